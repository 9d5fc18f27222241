#pragma once
// One FlowLine per table, whatever its state directory: an exclusive flock on a lock file
// named by the table's canonical path, held for the life of the process (the kernel drops it
// when the process dies, even by kill -9) and removed when let go. The file says who holds
// it, so that a second FlowLine, and `flowline ctl --table`, can find the first one's state
// directory.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace flowline {

// FNV-1a (64 bit) as 16 hex digits: names that stay the same across runs, builds and
// machines (std::hash promises none of that).
std::string stable_hash_hex(std::string_view text);

// Where the locks live: $XDG_RUNTIME_DIR/flowline when that is usable, and /tmp/flowline-<uid>
// when that is safe. Both are used when both are there: a FlowLine started from cron (no
// XDG_RUNTIME_DIR) must still meet the one started from a login shell. Each is created 0700
// and refused when another user owns it or others may write to it (they could then plant or
// remove our locks). An error when neither can be used.
Result<std::vector<std::string>> table_lock_dirs();

// Who holds a table's lock, as its holder wrote it.
struct TableLockHolder {
  std::string pid;  // empty while the holder has not written it yet
  std::string state_dir;
  std::string table;
};

class TableLock {
 public:
  // Locks canonical `table` in every one of `dirs` for this process, recording `state_dir`.
  // Refused, naming the holder and the way out, while another FlowLine holds it.
  static Result<std::unique_ptr<TableLock>> acquire(const std::vector<std::string>& dirs,
                                                    const std::string& table,
                                                    const std::string& state_dir);
  ~TableLock();
  TableLock(const TableLock&) = delete;
  TableLock& operator=(const TableLock&) = delete;

 private:
  TableLock() = default;
  struct Held {
    int fd;  // close-on-exec: runs must not inherit (and so keep) the lock
    std::string path;
  };
  std::vector<Held> held_;
};

// The FlowLine holding canonical `table`'s lock in any of `dirs`; nullopt when none does.
std::optional<TableLockHolder> table_lock_holder(const std::vector<std::string>& dirs,
                                                 const std::string& table);

}  // namespace flowline
