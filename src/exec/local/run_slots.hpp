#pragma once
// The executor's side of the slot file (slot_file.hpp): which slot each run holds, which are
// free, and reading what the supervisors wrote. The file outlives FlowLine: a later executor
// finds the claims still held (runs it is about to adopt, records not yet in the store) and
// hands out only the free slots. Not thread-safe: the engine's loop thread owns it.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "exec/executor.hpp"
#include "exec/local/run_files.hpp"

namespace flowline {

class RunSlots {
 public:
  // Opens RUNS_ROOT/slots, creating it (0600) when missing.
  static Result<std::unique_ptr<RunSlots>> open(const std::string& runs_root, bool durable);
  ~RunSlots();
  RunSlots(const RunSlots&) = delete;
  RunSlots& operator=(const RunSlots&) = delete;

  const std::string& path() const { return path_; }

  // A slot for `run_id`, blank: the one it already holds (an earlier launch of it that never
  // started), else the lowest free one. Errors name the file (a full disk, for one).
  Result<int64_t> claim(int64_t run_id);
  // The run's end is recorded elsewhere: its slot is free again.
  void release(int64_t run_id);
  std::optional<int64_t> slot_of(int64_t run_id) const;
  // The runs whose claims were in the file when it was opened (left by an earlier FlowLine).
  const std::set<int64_t>& found_held() const { return found_held_; }

  std::optional<run_files::PidInfo> read_pid(int64_t run_id) const;
  std::optional<RunExit> read_exit(int64_t run_id) const;

  // What the run's record keeps as its place ("RUNS/slots#3"); is_handle() tells it from a
  // run directory of the layout before slots.
  std::string handle(int64_t slot) const;
  static bool is_handle(std::string_view run_dir);

 private:
  RunSlots(std::string path, int fd, bool durable)
      : path_(std::move(path)), fd_(fd), durable_(durable) {}
  Status load();

  std::string path_;
  int fd_;
  bool durable_;
  int64_t count_ = 0;                // slots in the file
  std::map<int64_t, int64_t> held_;  // run id → slot
  std::set<int64_t> free_;           // below count_
  std::set<int64_t> found_held_;
};

}  // namespace flowline
