#pragma once
// One of a run's logs (.out or .err) with a cap on its size (`--log-limit`). The command writes
// into a pipe that the supervisor drains into the file; what comes past the cap is read and
// dropped, so the command never blocks on a full pipe and keeps running, and once the stream
// ends one note line in the log says how much was dropped and why.
//
// A run writing 100 MB/s would otherwise fill the disk that every other run and user shares.
// The price: the command's output is a pipe, not the file, and a supervisor killed outright
// takes the pipe with it (its run is then lost anyway, see local_executor.cpp).
//
// Used inside a supervisor, so it allocates nothing (supervisor.hpp).
#include <cstdint>
#include <string_view>

namespace flowline::supervisor {

class CappedLog {
 public:
  CappedLog() = default;
  CappedLog(const CappedLog&) = delete;
  CappedLog& operator=(const CappedLog&) = delete;
  ~CappedLog();

  // Caps the log open on `file_fd` (not owned) at `limit` bytes, counting what it holds
  // already. Returns 0 or the errno of the failing pipe.
  int open(int file_fd, int64_t limit);
  // The pipe's write end, for the command (close-on-exec: dup2 it where it belongs).
  int write_end() const { return pipe_[1]; }
  void close_write_end();
  // The end to poll, or -1 once the stream has ended.
  int read_end() const { return pipe_[0]; }

  // Copies what the pipe holds now into the file, up to the cap; the rest is dropped.
  void pump();
  // Takes what is left without waiting for more (every writer is gone), closes the pipe and
  // writes the note, if anything was dropped.
  void finish();

  int64_t dropped() const { return dropped_; }

 private:
  void keep(const char* data, int64_t size);
  void close_read_end();

  int file_fd_ = -1;
  int pipe_[2] = {-1, -1};
  int64_t limit_ = 0;
  int64_t written_ = 0;  // the file's size, as far as we know
  int64_t dropped_ = 0;
  char last_ = '\n';  // the last byte kept: the note starts on a line of its own
};

}  // namespace flowline::supervisor
