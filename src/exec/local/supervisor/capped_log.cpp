#include "exec/local/supervisor/capped_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "exec/local/fixed_text.hpp"

namespace flowline::supervisor {
namespace {

// Reads per pump(): bounds the time away from signals when a run writes without pause.
constexpr int kReadsPerPump = 16;

using Note = FixedText<256>;

// "1.5 GiB", "300 MiB", "12 KiB", "17 bytes": the size as a person reads it.
void append_size(Note& note, int64_t bytes) {
  struct Unit {
    int64_t size;
    const char* name;
  };
  for (Unit unit : {Unit{int64_t{1} << 30, " GiB"}, Unit{int64_t{1} << 20, " MiB"},
                    Unit{int64_t{1} << 10, " KiB"}}) {
    if (bytes < unit.size) continue;
    const int64_t tenths = bytes * 10 / unit.size;
    note << tenths / 10;
    if (tenths % 10) note << "." << tenths % 10;
    note << unit.name;
    return;
  }
  note << bytes << (bytes == 1 ? " byte" : " bytes");
}

void write_all(int fd, const char* data, int64_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, static_cast<size_t>(size));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a full disk: nothing here can help, and the run goes on
    data += n;
    size -= n;
  }
}

}  // namespace

CappedLog::~CappedLog() {
  close_write_end();
  close_read_end();
}

int CappedLog::open(int file_fd, int64_t limit) {
  file_fd_ = file_fd;
  limit_ = limit;
  struct stat st {};
  if (fstat(file_fd, &st) == 0 && S_ISREG(st.st_mode)) written_ = st.st_size;
  if (pipe2(pipe_, O_CLOEXEC) != 0) return errno;
  (void)fcntl(pipe_[0], F_SETFL, O_NONBLOCK);
  return 0;
}

void CappedLog::close_write_end() {
  if (pipe_[1] >= 0) close(pipe_[1]);
  pipe_[1] = -1;
}

void CappedLog::close_read_end() {
  if (pipe_[0] >= 0) close(pipe_[0]);
  pipe_[0] = -1;
}

void CappedLog::keep(const char* data, int64_t size) {
  const int64_t room = limit_ > written_ ? limit_ - written_ : 0;
  const int64_t kept = size < room ? size : room;
  if (kept > 0) {
    write_all(file_fd_, data, kept);
    written_ += kept;
    last_ = data[kept - 1];
  }
  dropped_ += size - kept;
}

void CappedLog::pump() {
  char buf[16 * 1024];
  for (int i = 0; i < kReadsPerPump && pipe_[0] >= 0; ++i) {
    const ssize_t n = read(pipe_[0], buf, sizeof buf);
    if (n > 0) {
      keep(buf, n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno != EAGAIN) close_read_end();  // every writer is gone
    return;
  }
}

void CappedLog::finish() {
  close_write_end();
  char buf[16 * 1024];
  while (pipe_[0] >= 0) {  // never waits: the read end is non-blocking
    const ssize_t n = read(pipe_[0], buf, sizeof buf);
    if (n > 0) keep(buf, n);
    else if (n < 0 && errno == EINTR) continue;
    else close_read_end();  // the end, or a writer we no longer wait for
  }
  if (dropped_ == 0) return;
  Note note;
  if (last_ != '\n') note << "\n";
  note << "[flowline: the rest of this run's output here, ";
  append_size(note, dropped_);
  note << ", was dropped: its log is capped at ";
  append_size(note, limit_);
  note << " (--log-limit)]\n";
  write_all(file_fd_, note.c_str(), static_cast<int64_t>(note.size()));
}

}  // namespace flowline::supervisor
