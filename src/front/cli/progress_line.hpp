#pragma once
// The one-line progress report of `flowline run` on stderr.
#include <optional>
#include <string>

#include "engine/snapshot.hpp"

namespace flowline::cli {

// "12/48 runs done · 4 running · 30 queued · 2 failed · ETA 3m20s"
std::string progress_line(const EngineSnapshot& snap);
std::string format_duration(Millis ms);
// Until every run is done: the runs left times the typical run, over the runs going at once;
// nullopt before a run of this session has ended well, or when nothing runs.
std::optional<Millis> eta_ms(const EngineSnapshot& snap);

}  // namespace flowline::cli
