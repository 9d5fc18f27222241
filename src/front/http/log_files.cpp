#include "front/http/log_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace flowline::http {
namespace {

constexpr const char* kOwnLog = "flowline.log";

std::optional<LogFile> regular_file(const std::string& dir, const std::string& name) {
  struct stat st {};
  const std::string path = dir + "/" + name;
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;  // no links
  return LogFile{name, path, static_cast<int64_t>(st.st_size),
                 st.st_mtim.tv_sec * 1000LL + st.st_mtim.tv_nsec / 1'000'000};
}

bool plain_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find('/') == std::string::npos;
}

}  // namespace

std::vector<LogFile> list_log_files(const std::string& log_dir, const std::string& state_dir) {
  std::vector<LogFile> out;
  if (auto own = regular_file(state_dir, kOwnLog)) out.push_back(*own);
  if (DIR* dir = opendir(log_dir.c_str())) {
    while (dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (!plain_name(name) || name == kOwnLog) continue;
      if (auto file = regular_file(log_dir, name)) out.push_back(*file);
    }
    closedir(dir);
  }
  std::sort(out.begin(), out.end(),
            [](const LogFile& a, const LogFile& b) { return a.modified_ms > b.modified_ms; });
  return out;
}

std::optional<LogFile> find_log_file(const std::string& name, const std::string& log_dir,
                                     const std::string& state_dir) {
  if (!plain_name(name)) return std::nullopt;
  if (name == kOwnLog) return regular_file(state_dir, kOwnLog);
  return regular_file(log_dir, name);
}

std::vector<std::string> last_lines(const std::string& path, size_t max_lines, size_t max_bytes) {
  std::vector<std::string> lines;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return lines;
  struct stat st {};
  fstat(fd, &st);
  const int64_t size = st.st_size;
  const int64_t start = std::max<int64_t>(0, size - static_cast<int64_t>(max_bytes));
  std::string text(static_cast<size_t>(size - start), '\0');
  ssize_t n = pread(fd, text.data(), text.size(), start);
  close(fd);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  if (start > 0) {  // the first line was cut: drop it
    size_t nl = text.find('\n');
    text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.empty()) return lines;
  size_t begin = 0;
  while (true) {
    size_t nl = text.find('\n', begin);
    lines.push_back(text.substr(begin, nl == std::string::npos ? std::string::npos : nl - begin));
    if (nl == std::string::npos) break;
    begin = nl + 1;
  }
  if (lines.size() > max_lines) lines.erase(lines.begin(), lines.end() - static_cast<long>(max_lines));
  return lines;
}

std::optional<FileSlice> read_slice(const std::string& path, int64_t offset, int64_t limit) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  fstat(fd, &st);
  FileSlice slice;
  slice.size = st.st_size;
  if (offset < slice.size) {
    slice.data.resize(static_cast<size_t>(std::min<int64_t>(limit, slice.size - offset)));
    ssize_t n = pread(fd, slice.data.data(), slice.data.size(), offset);
    slice.data.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  close(fd);
  return slice;
}

std::string human_size(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 4) v /= 1024, ++unit;
  char buf[32];
  if (unit == 0) std::snprintf(buf, sizeof buf, "%lldB", static_cast<long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.1f%s", v, units[unit]);
  return buf;
}

}  // namespace flowline::http
