#include "table/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "table/table_error.hpp"

namespace flowline {
namespace {

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<std::string> read_whole_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return file_error(path, std::string("cannot open: ") + std::strerror(errno));
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return file_error(path, std::string("cannot stat: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return file_error(path, "is a directory, not a table file");
  if (st.st_size > kMaxTableFileBytes) {
    return file_error(path, "file is larger than " + std::to_string(kMaxTableFileBytes >> 20) +
                                " MiB; refusing to load it");
  }
  std::string data;
  // One spare byte, so the read that finds EOF needs no reallocation.
  data.resize(static_cast<size_t>(st.st_size) + 1);
  size_t done = 0;
  // Read until EOF, not just st_size: the file may grow, or be a pipe reporting size 0.
  while (true) {
    if (done == data.size()) {
      if (static_cast<int64_t>(data.size()) >= kMaxTableFileBytes) {
        return file_error(path, "file is larger than the limit; refusing to load it");
      }
      data.resize(data.size() + 65536);
    }
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return file_error(path, std::string("read failed: ") + std::strerror(errno));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

}  // namespace flowline
