#pragma once
// Out-of-memory deaths are requeued without limit (DESIGN.md §3: they never use up retries),
// which is right when GPUs are busy and wrong when a task's min_mem is simply too low: then
// it dies the same way forever. The engine cannot tell the two apart, so it tells the user.
#include <cstdint>
#include <string>

namespace flowline {

// A hint for the OOM message after `consecutive_ooms` OOMs in a row of a task that declares
// `min_mem_mib` per GPU: given at the 3rd and then every 10th, empty otherwise.
std::string repeated_oom_hint(int64_t consecutive_ooms, int64_t min_mem_mib);

}  // namespace flowline
