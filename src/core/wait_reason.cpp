#include "core/wait_reason.hpp"

namespace flowline {

std::string_view wait_kind_name(WaitKind kind) {
  switch (kind) {
    case WaitKind::kNone: return "none";
    case WaitKind::kMemory: return "memory";
    case WaitKind::kSlot: return "slot";
    case WaitKind::kBackoff: return "backoff";
    case WaitKind::kGpusOff: return "gpus_off";
    case WaitKind::kInfeasible: return "infeasible";
    case WaitKind::kStopped: return "stopped";
    case WaitKind::kBuilding: return "building";
  }
  return "none";
}

}  // namespace flowline
