#include "front/cli/progress_line.hpp"

namespace flowline::cli {

std::string format_duration(Millis ms) {
  int64_t s = ms / 1000;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + std::to_string((s % 3600) / 60) + "m";
}

std::string progress_line(const EngineSnapshot& snap) {
  const Counts& c = snap.counts;
  std::string line = std::to_string(c.runs_done) + "/" + std::to_string(c.runs_total) +
                     " runs done · " + std::to_string(c.running) + " running · " +
                     std::to_string(c.queued) + " queued · " + std::to_string(c.failed) + " failed";
  Millis elapsed = snap.taken_ms - snap.started_ms;
  // The rate comes from this session's runs only: runs done before it took no time here.
  int64_t done_here = c.runs_done - c.runs_done_at_start;
  int64_t left = c.runs_total - c.runs_done;
  if (done_here > 0 && left > 0 && elapsed > 0 && c.running > 0)
    line += " · ETA " + format_duration(elapsed * left / done_here);
  return line;
}

}  // namespace flowline::cli
