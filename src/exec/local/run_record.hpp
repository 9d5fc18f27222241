#pragma once
// What the local executor keeps to find a run again, and its handle's text:
// "local:SUPERVISOR_PID:SESSION_ID:RUN_DIR" (the directory last: it may hold colons).
#include <cstdint>
#include <optional>
#include <string>

namespace flowline {

struct RunRecord {
  int64_t run_id = 0;
  int64_t supervisor_pid = 0;
  int64_t session_id = 0;  // the run's session: the command and every descendant share it
  std::string run_dir;     // where the supervisor writes the exit status
};

std::string local_handle_text(const RunRecord& record);
// The record a handle names; an empty handle gives a record with only the run id (a run
// stored before its launch returned). nullopt when the text is not a local handle.
std::optional<RunRecord> local_record_of(int64_t run_id, const std::string& text);

}  // namespace flowline
