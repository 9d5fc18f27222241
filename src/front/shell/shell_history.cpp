#include "front/shell/shell_history.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
// readline.h needs stdio.h first.
#include <readline/history.h>
#include <readline/readline.h>

namespace flowline::shell {

ShellHistory::ShellHistory(std::string state_dir, size_t max_lines)
    : path_(state_dir + "/history"), max_lines_(max_lines) {
  // History is a convenience: a state dir we cannot create just means none is kept.
  (void)::mkdir(state_dir.c_str(), 0700);
}

void ShellHistory::load() {
  using_history();
  stifle_history(static_cast<int>(max_lines_));
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // append_history needs the file to exist
  (void)read_history(path_.c_str());
  if (HIST_ENTRY* last = history_get(history_base + history_length - 1)) last_ = last->line;
}

void ShellHistory::add(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos || line == last_) return;
  add_history(line.c_str());
  (void)append_history(1, path_.c_str());
  last_ = line;
}

void ShellHistory::trim() {
  (void)history_truncate_file(path_.c_str(), static_cast<int>(max_lines_));
}

}  // namespace flowline::shell
