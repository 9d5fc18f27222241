#pragma once
// The memory of one run's supervisor: a stack, and its request copied out of the server's
// heap. The supervisor shares the server's address space (spawn_server.hpp), so this mapping
// is the only memory it writes; the server hands it out before the start and takes it back
// once it has reaped that supervisor. Blocks of the usual size are kept for the next run, so
// their pages are not faulted in and zeroed again for every run.
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "exec/local/spawn_protocol.hpp"
#include "exec/local/supervisor/supervisor.hpp"

namespace flowline::supervisor {

// What the started supervisor finds at the bottom of its block.
struct Launch {
  RunRequest request;  // pointers into this block
  const char* cwd = nullptr;
  int stdout_fd = -1, stderr_fd = -1;
  char name[16] = {};  // its /proc comm, "fl-run-<id>"
};

class RunBlocks {
 public:
  RunBlocks() = default;
  RunBlocks(const RunBlocks&) = delete;
  RunBlocks& operator=(const RunBlocks&) = delete;

  struct Block {
    char* base = nullptr;
    size_t size = 0;
    Launch* launch = nullptr;
    void* stack_top = nullptr;
  };

  // A block holding `request` (strings and environment copied in); base is null with errno
  // set when memory cannot be mapped.
  Block take(const spawn_protocol::Request& request, const int fds[2]);
  // Binds the block to the supervisor started on it.
  void started(const Block& block, pid_t pid);
  // Returns a block that no supervisor ever started on.
  void give_back(const Block& block);
  // The supervisor `pid` was reaped: its block is free again.
  void reaped(pid_t pid);

 private:
  struct InUse {
    pid_t pid;
    Block block;
  };
  std::vector<InUse> in_use_;
  std::vector<Block> spare_;  // of the usual size only
};

}  // namespace flowline::supervisor
