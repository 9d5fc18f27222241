#pragma once
// posix_spawn attributes for a child that starts clean: every catchable signal back to its
// default disposition and a signal mask chosen by the caller, whatever FlowLine's threads have
// set for themselves (handlers, blocked signals). Owns the attribute object.
#include <signal.h>
#include <spawn.h>

namespace flowline {

class SpawnAttributes {
 public:
  // `extra_flags`: POSIX_SPAWN_SETPGROUP (a process group of its own) or POSIX_SPAWN_SETSID
  // (a session of its own), on top of the mask and the default dispositions.
  SpawnAttributes(short extra_flags, const sigset_t& mask);
  ~SpawnAttributes();
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;

  const posix_spawnattr_t* get() const { return &attr_; }

 private:
  posix_spawnattr_t attr_;
};

}  // namespace flowline
