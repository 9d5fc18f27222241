// `ls`: the runs that are alive now. As in the original, each with its PID (the run's session
// leader: `ps -s PID` shows the command and its children) and its whole command, wrapped.
#include "front/cli/progress_line.hpp"
#include "front/shell/listings.hpp"
#include "front/shell/text_table.hpp"

namespace flowline::shell {

static std::string gpu_list(const std::vector<int>& gpus) {
  if (gpus.empty()) return "cpu";
  std::string out;
  for (int g : gpus) {
    if (!out.empty()) out += ",";  // not a ternary + string: GCC 12 warns falsely (-Wrestrict)
    out += std::to_string(g);
  }
  return out;
}

static Millis elapsed_ms(const EngineSnapshot& snap, const RunView& run) {
  return snap.taken_ms > run.started_ms ? snap.taken_ms - run.started_ms : 0;
}

std::string runs_text(const EngineSnapshot& snap, const Presentation& how) {
  if (snap.runs.empty()) return "no runs are running\n";
  TextTable table({{"RUN", true},
                   {"TASK", true},
                   {.header = "NAME", .distinct = true},
                   {"GPUS"},
                   {"ELAPSED", true},
                   {"PEAK MiB", true},
                   {"PID", true},
                   {.header = "COMMAND", .wrap = true}});
  for (const auto& run : snap.runs) {
    table.add_row({{std::to_string(run.run_id)},
                   {std::to_string(run.task_id)},
                   {run.task_name},
                   {gpu_list(run.gpus)},
                   {cli::format_duration(elapsed_ms(snap, run))},
                   {run.peak_mem_mib ? std::to_string(*run.peak_mem_mib) : "-"},
                   {run.place.session_id > 0 ? std::to_string(run.place.session_id) : "-"},
                   {run.command}});
  }
  return table.render(how.width, Style(how.colour));
}

}  // namespace flowline::shell
