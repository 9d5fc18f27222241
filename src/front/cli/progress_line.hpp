#pragma once
// The one-line progress report of `flowline run` on stderr.
#include <string>

#include "engine/snapshot.hpp"

namespace flowline::cli {

// "12/48 runs done · 4 running · 30 queued · 2 failed · ETA 3m20s"
std::string progress_line(const EngineSnapshot& snap);
std::string format_duration(Millis ms);

}  // namespace flowline::cli
