#include "table/file_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace flowline {

Result<std::unique_ptr<FileWatch>> FileWatch::open(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Error{std::string("cannot watch the table for changes: ") + strerror(errno)};
  // IN_MODIFY comes with every write of an in-place save; IN_CLOSE_WRITE ends it; MOVED_TO and
  // CREATE are the rename and copy patterns; DELETE so a deleted table is noticed too.
  const uint32_t mask = IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
                        IN_MOVED_FROM | IN_ATTRIB;
  if (inotify_add_watch(fd, dir.c_str(), mask) < 0) {
    const int err = errno;
    close(fd);
    return Error{"cannot watch " + dir + " for changes to the table: " + strerror(err)};
  }
  return std::unique_ptr<FileWatch>(new FileWatch(fd, name));
}

FileWatch::~FileWatch() { close(fd_); }

bool FileWatch::drain() {
  bool about_file = false;
  alignas(inotify_event) char buf[16384];
  for (;;) {
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n <= 0) return about_file;  // EAGAIN: nothing more
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      if (ev->mask & IN_Q_OVERFLOW) about_file = true;  // events were lost: assume the worst
      if (ev->len > 0 && name_ == ev->name) about_file = true;
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
}

}  // namespace flowline
