#include "engine/program_command_builder.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstring>
#include <vector>

#include "core/task_table.hpp"
#include "engine/builder_request.hpp"
#include "exec/bounded_command.hpp"

namespace flowline {
namespace {

constexpr size_t kMaxShownProgram = 60;
constexpr size_t kMaxShownStderr = 600;

std::string shown_program(const std::string& program) {
  if (program.size() <= kMaxShownProgram) return "'" + program + "'";
  return "'" + program.substr(0, kMaxShownProgram) + "…'";
}

// Its stderr, on one line (messages and the summary are one line per event): trimmed, lines
// joined by " | ", and only the end when long, since that is where the error usually is.
std::string one_line(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  text.erase(0, start);
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += " | ";
    else if (c != '\r')
      out += c;
  }
  if (out.size() > kMaxShownStderr) out = "…" + out.substr(out.size() - kMaxShownStderr);
  return out;
}

std::string with_stderr(std::string message, const std::string& err) {
  std::string shown = one_line(err);
  if (shown.empty()) return message + " (no stderr)";
  return message + ": " + shown;
}

// The lines of its stdout that are not blank, without their line ends.
std::vector<std::string> printed_lines(const std::string& out) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// A builder's stdout is its command and nothing else: a debug print left in (the original's
// README example printed sorted_gpu_ids) would otherwise become part of every command.
std::string several_lines_text(const std::vector<std::string>& lines) {
  std::string text = "printed " + std::to_string(lines.size()) +
                     " lines on stdout, but its stdout must be exactly one command:";
  const size_t shown = std::min<size_t>(lines.size(), 4);
  for (size_t i = 0; i < shown; ++i) {
    std::string line = lines[i];
    if (line.size() > kMaxShownProgram * 2) line = line.substr(0, kMaxShownProgram * 2) + "…";
    text += (i == 0 ? " '" : " | '") + line + "'";
  }
  if (shown < lines.size()) text += " | …";
  return text + "; print anything else to stderr (Python: print(..., file=sys.stderr))";
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? "SIG" + std::string(abbrev) : "signal " + std::to_string(sig);
}

}  // namespace

ProgramCommandBuilder::ProgramCommandBuilder(ProgramBuilderOptions options)
    : options_(std::move(options)), cancel_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

ProgramCommandBuilder::~ProgramCommandBuilder() {
  if (cancel_fd_ >= 0) close(cancel_fd_);
}

void ProgramCommandBuilder::cancel() {
  const uint64_t one = 1;
  if (cancel_fd_ >= 0) (void)!write(cancel_fd_, &one, sizeof one);
}

Result<std::string> ProgramCommandBuilder::build(const Task& task, const std::vector<int>& gpus,
                                                 int64_t run) {
  BoundedCommand command;
  command.cancel_fd = cancel_fd_;
  command.shell_command = options_.program;
  command.cwd = options_.work_dir;
  command.input = builder_request(task, options_.columns, gpus, run);
  command.timeout_ms = options_.timeout_ms;
  const std::string who = "the command builder " + shown_program(options_.program);
  Result<BoundedOutcome> outcome = run_bounded(command);
  if (!outcome) return Error{who + ": " + outcome.error().message};
  const BoundedOutcome& o = *outcome;
  if (o.cancelled) return Error{who + " was stopped: FlowLine is shutting down"};
  if (o.timed_out)
    return Error{with_stderr(who + " gave no answer within " +
                                 timeout_seconds_text(options_.timeout_ms) + " s and was killed",
                             o.err)};
  if (o.output_too_large)
    return Error{with_stderr(
        who + " printed more than " + std::to_string(command.max_output) + " bytes and was killed",
        o.err)};
  if (o.signal != 0)
    return Error{with_stderr(who + " was killed by " + signal_name(o.signal), o.err)};
  if (o.exit_code != 0)
    return Error{with_stderr(who + " exited with status " + std::to_string(o.exit_code), o.err)};
  std::vector<std::string> lines = printed_lines(o.out);
  if (lines.empty()) return Error{with_stderr(who + " printed no command on stdout", o.err)};
  if (lines.size() > 1) return Error{who + " " + several_lines_text(lines)};
  return lines.front();
}

}  // namespace flowline
