#pragma once
// What the store keeps about tasks and runs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowline {

enum class StoredTaskState { kQueued, kRunning, kDone, kFailed, kDropped };
enum class RunState { kStarting, kRunning, kSucceeded, kFailed, kOom, kKilled, kTimeout, kLost };

const char* to_string(StoredTaskState state);
const char* to_string(RunState state);
std::optional<StoredTaskState> task_state_from(const std::string& text);
std::optional<RunState> run_state_from(const std::string& text);
// A run in this state has ended and will not change again.
inline bool is_final(RunState s) { return s != RunState::kStarting && s != RunState::kRunning; }

struct StoredTask {
  int64_t id = 0;  // stable task id (Task::id)
  std::string identity;  // TaskIdentity::hex(); "" for a task stored before identities
  std::string table_path;
  std::string name;
  int64_t run_num = 0;
  int64_t need_run_num = 1;
  StoredTaskState state = StoredTaskState::kQueued;
  std::string last_error;
};

// What is known when a run is about to start.
struct NewRun {
  int64_t task_id = 0;
  int64_t attempt = 1;
  std::vector<int> gpus;
  std::string out_path;
  std::string err_path;
  std::optional<int64_t> start_ms;
};

struct StoredRun {
  int64_t run_id = 0;
  int64_t task_id = 0;
  int64_t attempt = 0;
  RunState state = RunState::kStarting;
  std::optional<int64_t> start_ms;
  std::optional<int64_t> end_ms;
  std::vector<int> gpus;
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
  std::string classification;
  std::string out_path;
  std::string err_path;
  std::string handle;  // what its executor needs to find it again (exec/executor.hpp)
  std::string message;
  // Measured GPU memory (core/run_memory.hpp's text forms): peak on its busiest GPU, the
  // series, and the other processes on its GPUs at the last sample.
  std::optional<int64_t> peak_mem_mib;
  std::string mem_series;
  std::string mem_holders;
};

// "0,2" <-> {0, 2}.
std::string gpus_to_text(const std::vector<int>& gpus);
std::vector<int> gpus_from_text(const std::string& text);

}  // namespace flowline
