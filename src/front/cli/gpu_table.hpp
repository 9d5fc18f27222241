#pragma once
// The `flowline gpus` table, fitted to a terminal width: less important columns go first.
#include <string>

#include "gpu/gpu_snapshot.hpp"

namespace flowline::cli {

std::string render_gpu_table(const GpuSnapshot& snapshot, int width);

// The width of the terminal on stdout, else $COLUMNS, else 100.
int terminal_width();

}  // namespace flowline::cli
