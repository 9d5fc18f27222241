#pragma once
// How a run ended: what an executor reports and the store records. A value of the core, so
// that the store and the engine need no executor's header to speak of it.
#include <cstdint>
#include <optional>
#include <string>

namespace flowline {

// How a run ended, as recorded by its supervisor (locally) or its job (Slurm).
struct RunExit {
  int64_t run_id = 0;
  std::optional<int> exit_code;  // set when the command exited
  std::optional<int> signal;     // set when it was killed by a signal
  bool timed_out = false;        // stopped because it ran past its timeout
  bool stopped = false;          // stopped on FlowLine's request
  // Nobody knows how it ended: its supervisor is gone without a record (killed, or the
  // machine rebooted), or a recorded pid now belongs to another process. No code, no signal.
  bool lost = false;
  std::string detail;  // why it is lost, for the run's message
  // Processes the command left running when it ended (a daemon, a stray worker), which its
  // supervisor then stopped: said in the run's record, not done in silence.
  int leftovers = 0;
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
};

inline RunExit exit_of(int64_t run_id) {
  RunExit e;
  e.run_id = run_id;
  return e;
}

}  // namespace flowline
