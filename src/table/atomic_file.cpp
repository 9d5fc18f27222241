#include "table/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "faults/crash_point.hpp"
#include "table/table_error.hpp"

namespace flowline {
namespace {

Error sys_error(const std::string& path, const char* what) {
  return file_error(path, std::string(what) + ": " + std::strerror(errno));
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status write_all(int fd, std::string_view data, const std::string& temp) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error(temp, "write failed");
    }
    done += static_cast<size_t>(n);
  }
  return ok_status();
}

Status fsync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error(dir, "cannot open directory to sync it");
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return sys_error(dir, "fsync of directory failed");
  return ok_status();
}

constexpr std::string_view kTempInfix = ".flowline-";
constexpr size_t kTempSuffixLength = 6;  // mkstemp's XXXXXX

// Writes contents to a fresh temp file in `dir` and fsyncs it; returns the temp's path.
Result<std::string> write_temp(const std::string& target, std::string_view contents, mode_t mode) {
  std::string temp = target + std::string(kTempInfix) + std::string(kTempSuffixLength, 'X');
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return sys_error(target, "cannot create a temp file beside it");
  Status status = write_all(fd, contents, temp);
  if (status.ok() && ::fchmod(fd, mode) != 0) status = sys_error(temp, "chmod failed");
  if (status.ok() && ::fsync(fd) != 0) status = sys_error(temp, "fsync failed");
  if (::close(fd) != 0 && status.ok()) status = sys_error(temp, "close failed");
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status.error();
  }
  return temp;
}

}  // namespace

Status write_file_atomically(const std::string& path, std::string_view contents) {
  Result<bool> written = replace_file_if(path, contents, [] { return true; });
  if (!written.ok()) return written.error();
  return ok_status();
}

Result<bool> replace_file_if(const std::string& path, std::string_view contents,
                             const std::function<bool()>& still_wanted) {
  std::string target = path;
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) != nullptr) target = resolved;
  mode_t mode = 0644;
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) mode = st.st_mode & 07777;
  Result<std::string> temp = write_temp(target, contents, mode);
  if (!temp.ok()) return temp.error();
  if (!still_wanted()) {
    ::unlink(temp->c_str());
    return false;
  }
  crash_point(kCrashTableReplace);
  if (::rename(temp->c_str(), target.c_str()) != 0) {
    Error error = sys_error(path, "cannot rename the temp file over it");
    ::unlink(temp->c_str());
    return error;
  }
  if (Status s = fsync_directory(directory_of(target)); !s.ok()) return s.error();
  return true;
}

int remove_leftover_temps(const std::string& path) {
  std::string target = path;
  char resolved[PATH_MAX];
  if (::realpath(path.c_str(), resolved) != nullptr) target = resolved;
  const std::string dir = directory_of(target);
  const std::string prefix = target.substr(target.rfind('/') + 1) + std::string(kTempInfix);
  DIR* listing = ::opendir(dir.c_str());
  if (listing == nullptr) return 0;
  int removed = 0;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string_view name = entry->d_name;
    if (name.size() != prefix.size() + kTempSuffixLength || !name.starts_with(prefix)) continue;
    removed += ::unlinkat(::dirfd(listing), entry->d_name, 0) == 0;
  }
  ::closedir(listing);
  return removed;
}

}  // namespace flowline
