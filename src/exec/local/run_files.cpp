#include "exec/local/run_files.hpp"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace flowline::run_files {
namespace {

// Calls fn(key, value) for each "key value" line.
template <class Fn>
void for_each_line(std::string_view text, Fn fn) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) continue;
    fn(line.substr(0, sp), line.substr(sp + 1));
  }
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

int write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

}  // namespace

RecordText format_pid(const PidInfo& info) {
  RecordText text;
  text << "pid " << info.pid << "\nstart_ticks " << info.start_ticks << "\n";
  return text;
}

std::optional<PidInfo> parse_pid(std::string_view text) {
  PidInfo info;
  bool have_pid = false, have_ticks = false;
  for_each_line(text, [&](std::string_view key, std::string_view value) {
    if (key == "pid") have_pid = parse_number(value, info.pid);
    if (key == "start_ticks") have_ticks = parse_number(value, info.start_ticks);
  });
  if (!have_pid || !have_ticks || info.pid <= 0) return std::nullopt;
  return info;
}

RecordText format_exit(const RunExit& exit) {
  RecordText text;
  text << "flowline-exit 1\n";
  if (exit.exit_code) text << "exit_code " << *exit.exit_code << "\n";
  if (exit.signal) text << "signal " << *exit.signal << "\n";
  text << "timed_out " << (exit.timed_out ? 1 : 0) << "\n";
  text << "stopped " << (exit.stopped ? 1 : 0) << "\n";
  text << "started_ms " << exit.started_ms << "\n";
  text << "ended_ms " << exit.ended_ms << "\n";
  if (exit.leftovers > 0) text << "leftovers " << exit.leftovers << "\n";
  return text;
}

std::optional<RunExit> parse_exit(std::string_view text) {
  if (text.substr(0, 16) != "flowline-exit 1\n") return std::nullopt;
  RunExit exit;
  bool valid = true, have_end = false;
  for_each_line(text.substr(16), [&](std::string_view key, std::string_view value) {
    int n = 0;
    if (key == "exit_code" || key == "signal" || key == "timed_out" || key == "stopped" ||
        key == "leftovers") {
      if (!parse_number(value, n)) valid = false;
    }
    if (key == "exit_code") exit.exit_code = n;
    if (key == "signal") exit.signal = n;
    if (key == "timed_out") exit.timed_out = n != 0;
    if (key == "stopped") exit.stopped = n != 0;
    if (key == "leftovers") exit.leftovers = n;
    if (key == "started_ms") valid = valid && parse_number(value, exit.started_ms);
    if (key == "ended_ms") valid = valid && (have_end = parse_number(value, exit.ended_ms));
  });
  // A record without an outcome or an end time is not one the supervisor wrote.
  if (!valid || !have_end || (!exit.exit_code && !exit.signal)) return std::nullopt;
  return exit;
}

int write_atomically(std::string_view dir, const char* name, std::string_view text,
                     bool durable) {
  using Path = FixedText<PATH_MAX>;
  Path final_path, temp_path, dir_path;
  final_path << dir << "/" << name;
  temp_path << final_path.view() << kTempSuffix;
  dir_path << dir;
  if (temp_path.overflowed()) return ENAMETOOLONG;
  // Not truncated first: a reserved temp keeps its space, and the tail beyond the record is
  // cut off afterwards (shrinking a file needs no space).
  int fd = open(temp_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  int err = write_all(fd, text);
  if (!err && ftruncate(fd, static_cast<off_t>(text.size())) != 0) err = errno;
  if (!err && durable && fsync(fd) != 0) err = errno;
  if (close(fd) != 0 && !err) err = errno;
  if (!err && rename(temp_path.c_str(), final_path.c_str()) != 0) err = errno;
  if (err) {
    unlink(temp_path.c_str());
    return err;
  }
  if (durable) {
    int dfd = open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return errno;
    if (fsync(dfd) != 0) err = errno;
    close(dfd);
  }
  return err;
}

int reserve(std::string_view dir, const char* name, size_t bytes) {
  FixedText<PATH_MAX> temp_path;
  temp_path << dir << "/" << name << kTempSuffix;
  if (temp_path.overflowed()) return ENAMETOOLONG;
  int fd = open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  char blank[512];
  memset(blank, '\n', sizeof(blank));
  int err = 0;
  for (size_t done = 0; !err && done < bytes;) {
    const size_t n = bytes - done < sizeof(blank) ? bytes - done : sizeof(blank);
    err = write_all(fd, std::string_view(blank, n));
    done += n;
  }
  if (close(fd) != 0 && !err) err = errno;
  return err;
}

}  // namespace flowline::run_files
