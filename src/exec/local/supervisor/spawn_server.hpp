#pragma once
#include <cstddef>

// `flowline-supervise --serve`: a small, single-threaded process that FlowLine starts once and
// that forks one supervisor per run on request. Forking this small static process costs a
// fraction of exec'ing a new supervisor for every run (docs/benchmarks.md, engine "a."), and
// each forked supervisor is exactly the per-run supervisor of supervisor.hpp: its own session,
// subreaper of its run, pid file, exit record; it outlives both FlowLine and this server.
namespace flowline::supervisor {

// Serves requests on `sock` until FlowLine closes it or exits; returns the exit status.
// `title` is the memory of the server's argv (what `ps` shows): each forked supervisor writes
// "flowline-supervise run N" there, so that a user can tell them from the server.
struct ProcessTitle {
  char* begin = nullptr;
  size_t size = 0;
};
int serve(int sock, ProcessTitle title);

}  // namespace flowline::supervisor
