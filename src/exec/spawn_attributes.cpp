#include "exec/spawn_attributes.hpp"

namespace flowline {

SpawnAttributes::SpawnAttributes(short extra_flags, const sigset_t& mask) {
  posix_spawnattr_init(&attr_);
  sigset_t catchable;
  sigfillset(&catchable);
  sigdelset(&catchable, SIGKILL);
  sigdelset(&catchable, SIGSTOP);
  posix_spawnattr_setflags(&attr_, static_cast<short>(extra_flags | POSIX_SPAWN_SETSIGMASK |
                                                      POSIX_SPAWN_SETSIGDEF));
  // A new process group is led by the child itself (group id 0 = its own pid).
  if (extra_flags & POSIX_SPAWN_SETPGROUP) posix_spawnattr_setpgroup(&attr_, 0);
  posix_spawnattr_setsigmask(&attr_, &mask);
  posix_spawnattr_setsigdefault(&attr_, &catchable);
}

SpawnAttributes::~SpawnAttributes() { posix_spawnattr_destroy(&attr_); }

}  // namespace flowline
