#pragma once
// The shell's history file, <state-dir>/history: read at start, appended line by line (so a
// crash loses nothing), trimmed at exit. Private to the user: commands can name experiments.
#include <cstddef>
#include <string>

namespace flowline::shell {

class ShellHistory {
 public:
  ShellHistory(std::string state_dir, size_t max_lines);
  void load();
  void add(const std::string& line);  // skips blank lines and immediate repeats
  void trim();

 private:
  std::string path_;
  size_t max_lines_;
  std::string last_;
};

}  // namespace flowline::shell
