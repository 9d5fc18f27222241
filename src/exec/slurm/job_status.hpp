#pragma once
// What squeue says of FlowLine's jobs, read from one call for all of them:
//   squeue -h -t all --jobs=ID,… -o '%i|%T|%r|%N'
// Pure: no I/O.
#include <map>
#include <string>
#include <string_view>

namespace flowline {

struct JobStatus {
  std::string state;   // PENDING, RUNNING, COMPLETED, CANCELLED, TIMEOUT, …
  std::string reason;  // why it waits ("Resources", "Priority"), "None" when it does not
  std::string node;    // where it runs; "" while pending
};

// The squeue format string parse_squeue() reads.
inline constexpr const char* kSqueueFormat = "%i|%T|%r|%N";

// By job id. A line that does not parse is skipped (squeue prints nothing else with -h).
std::map<std::string, JobStatus> parse_squeue(std::string_view text);

// Still to run, or running: the job has not ended. Anything else (COMPLETED, FAILED,
// CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED, BOOT_FAIL, DEADLINE…) has.
bool job_is_live(const std::string& state);

}  // namespace flowline
