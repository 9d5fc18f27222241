#include "front/cli/progress_line.hpp"

#include <algorithm>

namespace flowline::cli {

std::string format_duration(Millis ms) {
  int64_t s = ms / 1000;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + std::to_string((s % 3600) / 60) + "m";
}

// The work left (runs not started × the typical run, plus what the live runs still have of
// it) spread over the runs going at once now. It used to be the session's elapsed time × runs
// left / runs done, which counted stopped dispatch and killed runs as slowness, saw a raised
// `max` only as the runs completed, and jumped with each burst of completions.
std::optional<Millis> eta_ms(const EngineSnapshot& snap) {
  const Counts& c = snap.counts;
  const int64_t left = c.runs_total - c.runs_done;
  const int64_t done_here = c.runs_done - c.runs_done_at_start;
  if (left <= 0 || done_here <= 0 || c.running <= 0) return std::nullopt;
  if (!snap.typical_run_ms || snap.runs.empty()) {
    const Millis elapsed = snap.taken_ms - snap.started_ms;
    if (elapsed <= 0) return std::nullopt;
    return elapsed * left / done_here;
  }
  const Millis typical = *snap.typical_run_ms;
  const int64_t live = static_cast<int64_t>(snap.runs.size());
  Millis work = std::max<int64_t>(left - live, 0) * typical;
  for (const RunView& run : snap.runs) {
    const Millis ran = snap.taken_ms > run.started_ms ? snap.taken_ms - run.started_ms : 0;
    work += std::max<Millis>(typical - ran, 0);
  }
  return work / live;
}

std::string progress_line(const EngineSnapshot& snap) {
  const Counts& c = snap.counts;
  std::string line = std::to_string(c.runs_done) + "/" + std::to_string(c.runs_total) +
                     " runs done · " + std::to_string(c.running) + " running · " +
                     std::to_string(c.queued) + " queued · " + std::to_string(c.failed) + " failed";
  if (std::optional<Millis> eta = eta_ms(snap)) line += " · ETA " + format_duration(*eta);
  return line;
}

}  // namespace flowline::cli
