#pragma once
// The log files the HTTP server may show: regular files FlowLine wrote directly in the log
// directory (each run's NAME.out / NAME.err) and its own flowline.log in the state directory.
// A name from a request is looked up among these, never joined onto a path: "../x",
// "/etc/passwd", encoded slashes and symlinks planted in the log directory all find nothing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowline::http {

struct LogFile {
  std::string name;  // as listed and requested
  std::string path;  // absolute
  int64_t size = 0;
  int64_t modified_ms = 0;
};

std::vector<LogFile> list_log_files(const std::string& log_dir, const std::string& state_dir);
std::optional<LogFile> find_log_file(const std::string& name, const std::string& log_dir,
                                     const std::string& state_dir);

// The last `max_lines` lines of a file, reading at most `max_bytes` from its end.
std::vector<std::string> last_lines(const std::string& path, size_t max_lines, size_t max_bytes);

// Up to `limit` bytes from `offset` on; nullopt when the file cannot be opened.
struct FileSlice {
  std::string data;
  int64_t size = 0;  // the file's size now
};
std::optional<FileSlice> read_slice(const std::string& path, int64_t offset, int64_t limit);

// "1.2KB", "3.4MB", as the original showed sizes.
std::string human_size(int64_t bytes);

}  // namespace flowline::http
