#pragma once
// What a `--cmd-builder` program reads on its stdin: one JSON object with the task, its row and
// its placement (README "Programmable commands" documents the shape).
#include <cstdint>
#include <string>
#include <vector>

#include "core/task.hpp"

namespace flowline {

// {"task_id", "name", "run_num", "need_run_num", "cmd", "gpus" (count), "min_mem" (MiB or
//  null), "priority", "timeout" (seconds or null), "params" {column: text, in column order},
//  "row" {every column: text}, "gpu_ids" [assigned GPUs, in the user's GPU order], "gpu" (the
//  first, or null for a CPU-only run), "run"}. One line, ending in a newline; text that is not
// valid UTF-8 is replaced (U+FFFD) rather than refused.
std::string builder_request(const Task& task, const std::vector<std::string>& columns,
                            const std::vector<int>& gpus, int64_t run);

}  // namespace flowline
