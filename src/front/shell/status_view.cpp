// `status`: the settings and counts a user checks before walking away.
#include "front/cli/progress_line.hpp"
#include "front/shell/listings.hpp"
#include "front/shell/style.hpp"
#include "front/shell/wait_text.hpp"

namespace flowline::shell {

static std::string gpu_set(const std::set<int>& gpus) {
  std::string out;
  for (int g : gpus) {
    if (!out.empty()) out += ",";  // not a ternary + string: GCC 12 warns falsely (-Wrestrict)
    out += std::to_string(g);
  }
  return out.empty() ? "none" : out;
}

static Millis uptime_ms(const EngineSnapshot& snap) {
  return snap.taken_ms > snap.started_ms ? snap.taken_ms - snap.started_ms : 0;
}

// The task that starts next (the first place in the queue), what holds it and when.
static std::string next_task_line(const EngineSnapshot& snap) {
  const std::optional<TaskView> next = snap.tasks.next_in_queue();
  if (!next) return "";
  return "next:      task " + std::to_string(next->task->id) + " (" + next->task->name + "): " +
         wait_summary(*next, snap.taken_ms) + "\n";
}

std::string status_text(const EngineSnapshot& snap, const Presentation& how) {
  Style style(how.colour);
  const auto& s = snap.settings;
  std::string dispatch = s.dispatching
                             ? style.paint("on", Colour::kGreen)
                             : style.paint("off", Colour::kYellow) + " (type `run` to start)";
  if (s.dispatching && !snap.dispatch_paused.empty())
    dispatch = style.paint("paused", Colour::kYellow) + " (" + snap.dispatch_paused +
               "; resumes by itself)";
  std::string out;
  out += "dispatch:  " + dispatch + "\n";
  out += "progress:  " + cli::progress_line(snap) + "\n";
  out += "tasks:     " + std::to_string(snap.counts.done) + " done, " +
         std::to_string(snap.counts.running) + " running, " + std::to_string(snap.counts.queued) +
         " queued, " + std::to_string(snap.counts.failed) + " failed, " +
         std::to_string(snap.counts.other) + " other\n";
  out += next_task_line(snap);
  out += "max:       " + std::to_string(s.max_running) + " runs at once\n";
  out += "min:       " + std::to_string(s.default_min_mem_mib) + " MiB free per GPU" +
         (s.min_mem_auto ? " until measured (auto: peak + " +
                               std::to_string(s.memory_margin_percent) + " %" +
                               (s.memory_margin_learned ? ", less once a group's runs agree"
                                                        : "") +
                               ")"
                         : std::string()) +
         "\n";
  out += "order:     " + (snap.order.empty() ? std::string("default") : snap.order) + "\n";
  out += "queue:     " + std::string(s.pack_largest_first ? "priority, then most GPU memory first (--pack)"
                                                          : "priority, then table order") + "\n";
  out += "disabled:  " + gpu_set(s.disabled_gpus) + "\n";
  out += "uptime:    " + cli::format_duration(uptime_ms(snap)) + "\n";
  if (snap.simulated) out += "GPUs:      simulated\n";
  if (snap.finished) out += "finished:  nothing left to run\n";
  return out;
}

}  // namespace flowline::shell
