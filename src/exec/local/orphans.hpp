#pragma once
// Clean-up after a supervisor that died without recording an exit (killed by a user or the
// OOM killer): its command may still run, unsupervised, holding GPU memory.
#include <cstdint>

namespace flowline {

// SIGKILLs the processes still in the run's session that carry FLOWLINE_RUN_ID=<run_id> in
// their environment — both marks are needed, so a stranger is never touched even if the
// session id was recycled. Each is pinned with a pidfd and checked after pinning. Returns how
// many were signalled.
int kill_orphans(int64_t run_id, int64_t session_id);

}  // namespace flowline
