#pragma once
// Why a task that wants to run is not running: a kind a script can switch on, the numbers
// behind it, and the sentence a person reads (DESIGN.md §4.6: busy versus infeasible).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace flowline {

enum class WaitKind {
  kNone,        // nothing holds it: it starts at the next decision
  kMemory,      // not enough usable memory on enough GPUs now
  kSlot,        // --max runs are running
  kBackoff,     // after an out-of-memory or a failure, not before until_ms
  kGpusOff,     // fewer GPUs switched on than it needs
  kInfeasible,  // can never fit on this machine
  kStopped,     // dispatch is stopped (`run` starts it)
  kBuilding,    // its command is being built (--cmd-builder)
};
std::string_view wait_kind_name(WaitKind kind);

struct WaitReason {
  WaitKind kind = WaitKind::kNone;
  std::string text;  // what a person reads; "" for kNone
  // kMemory / kInfeasible: MiB it needs free on each of `gpus` GPUs. kMemory: the most any
  // switched-on GPU has usable now (-1 when none is readable).
  int64_t needs_mib = 0;
  int64_t gpus = 0;
  int64_t best_usable_mib = -1;
  int64_t max_running = 0;  // kSlot: the --max in force
  int64_t gpus_on = 0;      // kGpusOff: GPUs switched on (and readable)
  Millis until_ms = 0;      // kBackoff: no launch before then
  bool after_oom = false;   // kBackoff: the backoff follows an out-of-memory

  bool operator==(const WaitReason&) const = default;
};

}  // namespace flowline
