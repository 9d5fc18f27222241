#include "core/oom_hint.hpp"

namespace flowline {

std::string repeated_oom_hint(int64_t consecutive_ooms, int64_t min_mem_mib) {
  if (consecutive_ooms != 3 && (consecutive_ooms < 10 || consecutive_ooms % 10 != 0)) return "";
  return "out of GPU memory " + std::to_string(consecutive_ooms) +
         " times in a row with min_mem " + std::to_string(min_mem_mib) +
         " MiB: if a run needs more, raise its min_mem in the table (FlowLine keeps retrying "
         "it with backoff; `drop` stops that)";
}

}  // namespace flowline
