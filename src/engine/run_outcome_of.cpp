#include "engine/run_outcome_of.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "core/failure_classifier.hpp"

namespace flowline {
namespace {

constexpr off_t kTailBytes = static_cast<off_t>(kFailureTailBytes);

// The last kTailBytes of a log: OOM tracebacks end there, and logs can be gigabytes.
std::string read_tail(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  off_t size = lseek(fd, 0, SEEK_END);
  off_t from = size > kTailBytes ? size - kTailBytes : 0;
  std::string text(static_cast<size_t>(size - from), '\0');
  ssize_t n = size > 0 ? pread(fd, text.data(), text.size(), from) : 0;
  close(fd);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return text;
}

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return {};
  size_t begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return text.substr(begin, end - begin + 1);
}

std::string describe_status(const RunExit& exit) {
  if (exit.exit_code) return "exit " + std::to_string(*exit.exit_code);
  if (exit.signal) return "killed by signal " + std::to_string(*exit.signal);
  return "ended without an exit record";
}

}  // namespace

namespace {

ClassifiedExit classify_ending(const RunExit& exit, bool killed_by_user,
                               const std::string& out_path, const std::string& err_path) {
  if (exit.exit_code == 0 && !exit.timed_out && !exit.stopped) return {RunOutcome::kSucceeded, ""};
  if (killed_by_user) return {RunOutcome::kKilled, "stopped by the user"};
  if (exit.timed_out) return {RunOutcome::kTimedOut, "stopped after its timeout"};
  if (exit.lost || (!exit.exit_code && !exit.signal))
    return {RunOutcome::kLost, exit.detail.empty() ? describe_status(exit) : exit.detail};
  std::string tail = read_tail(out_path) + "\n" + read_tail(err_path);
  FailureClass failure = classify_failure(tail);
  if (failure.kind == FailureKind::kGpuOutOfMemory)
    return {RunOutcome::kOutOfMemory, "GPU out of memory: " + failure.line};
  std::string last = last_line(read_tail(err_path));
  std::string message = describe_status(exit);
  if (!last.empty()) message += ": " + last;
  return {RunOutcome::kFailed, message};
}

}  // namespace

ClassifiedExit classify_exit(const RunExit& exit, bool killed_by_user,
                             const std::string& out_path, const std::string& err_path) {
  ClassifiedExit classified = classify_ending(exit, killed_by_user, out_path, err_path);
  if (exit.leftovers > 0) {
    if (!classified.message.empty()) classified.message += "; ";
    classified.message += std::to_string(exit.leftovers) +
                          (exit.leftovers == 1 ? " process" : " processes") +
                          " it left running after it ended " +
                          (exit.leftovers == 1 ? "was" : "were") + " killed";
  }
  return classified;
}

}  // namespace flowline
