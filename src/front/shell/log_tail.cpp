#include "front/shell/log_tail.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace flowline::shell {

static constexpr int64_t kTailWindow = 64 * 1024;
static constexpr int64_t kFollowChunk = 1024 * 1024;

int64_t FileFollower::size_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

std::vector<std::string> run_log_files(const std::string& log_dir, int64_t run_id) {
  std::vector<std::string> out, err;
  const std::string prefix = std::to_string(run_id) + "-";
  if (log_dir.empty()) return out;
  if (DIR* dir = opendir(log_dir.c_str())) {
    while (dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 4) continue;
      const std::string ext = name.substr(name.size() - 4);
      if (ext == ".out") out.push_back(log_dir + "/" + name);
      if (ext == ".err") err.push_back(log_dir + "/" + name);
    }
    closedir(dir);
  }
  std::sort(out.begin(), out.end());
  std::sort(err.begin(), err.end());
  out.insert(out.end(), err.begin(), err.end());
  return out;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

static std::string read_range(const std::string& path, int64_t from, int64_t count) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(from);
  std::string data(static_cast<size_t>(count), '\0');
  in.read(data.data(), count);
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

Result<std::string> tail_lines(const std::string& path, size_t lines) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error{path + ": " + std::strerror(errno)};
  int64_t size = st.st_size;
  int64_t from = size > kTailWindow ? size - kTailWindow : 0;
  std::string data = read_range(path, from, size - from);
  size_t end = data.size();
  if (end > 0 && data[end - 1] == '\n') --end;  // a final newline does not start a line
  size_t start = end, seen = 0;
  while (start > 0 && seen < lines) {
    if (data[start - 1] == '\n' && ++seen == lines) break;
    --start;
  }
  std::string out = data.substr(start);
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::string FileFollower::read_new() {
  int64_t size = size_of(path_);
  if (size < offset_) offset_ = 0;  // truncated or replaced: start over
  if (size == offset_) return "";
  std::string data = read_range(path_, offset_, std::min(size - offset_, kFollowChunk));
  offset_ += static_cast<int64_t>(data.size());
  return data;
}

}  // namespace flowline::shell
