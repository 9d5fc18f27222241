#pragma once
// `flowline-supervise --serve`: a small, single-threaded process that FlowLine starts once and
// that starts one supervisor per run on request.
//
// Each supervisor is a process of its own (its own pid, session, descriptors, signal mask, and
// the subreaper of its run) that shares this server's memory: clone(CLONE_VM) copies no page
// tables and faults in no copy-on-write pages, which on a virtual machine cost more than the
// run's own `sh` (docs/benchmarks.md, "Supervisors share the server's memory"). The price is a
// discipline: code that runs in a supervisor allocates nothing and writes only its RunBlock
// and its stack (supervisor.hpp). The supervisor outlives both FlowLine and this server; the
// memory stays mapped for as long as any of them uses it.
//
// Caveats of the shared memory:
// - errno is one variable for the server and every supervisor, so an errno read after a failed
//   call may come from another process's failure at that moment. It only ever feeds error
//   messages and the choice to give up; nothing retries on it.
// - The kernel's OOM killer kills every process that shares the memory of its victim. The
//   shared memory is a few MiB against the gigabytes of a training run, so the killer picks a
//   run first; if it ever picked a supervisor, every supervisor would go, and the runs would
//   be reported lost (with their leftover processes killed), as for any killed supervisor.
namespace flowline::supervisor {

// Serves requests on `sock` until FlowLine closes it or exits; returns the exit status.
int serve(int sock);

}  // namespace flowline::supervisor
