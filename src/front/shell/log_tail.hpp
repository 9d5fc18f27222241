#pragma once
// The end of a run's output files, for `logs`, and what was added since, for `logs -f`.
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace flowline::shell {

// The last `lines` lines of the file (reads at most the last 64 KiB, so a huge log is cheap).
Result<std::string> tail_lines(const std::string& path, size_t lines);

bool file_exists(const std::string& path);

// The output files of run `run_id` in `log_dir` (<run id>-<name>.out, then .err), found by
// name: a run that has ended is no longer in the engine's snapshot, but its files stay.
std::vector<std::string> run_log_files(const std::string& log_dir, int64_t run_id);

// Reads what a growing file gained since the last call; a file that does not exist yet reads
// as empty, so following can start before the run has written anything.
class FileFollower {
 public:
  FileFollower(std::string path, int64_t offset) : path_(std::move(path)), offset_(offset) {}
  std::string read_new();
  static int64_t size_of(const std::string& path);  // 0 when missing

 private:
  std::string path_;
  int64_t offset_;
};

}  // namespace flowline::shell
