#include "engine/program_command_builder.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstring>

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
  std::string line = o.out;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (line.find_first_not_of(" \t\r\n") == std::string::npos)
    return Error{with_stderr(who + " printed no command on stdout", o.err)};
  return line;
}

}  // namespace flowline
