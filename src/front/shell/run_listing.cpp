// `ls`: the runs that are alive now. As in the original, each with its PID (the run's session
// leader: `ps -s PID` shows the command and its children) and its whole command, wrapped.
#include <algorithm>

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

// A Slurm job's state as ls shows it: "RUNNING", "PENDING (Resources)".
std::string job_state(const RunPlace& place) {
  return place.reason.empty() ? place.state : place.state + " (" + place.reason + ")";
}

std::string runs_text(const EngineSnapshot& snap, const Presentation& how) {
  if (snap.runs.empty()) return "no runs are running\n";
  // Slurm's runs are known by job, state and node instead of a local process.
  const bool jobs = std::any_of(snap.runs.begin(), snap.runs.end(),
                                [](const RunView& run) { return !run.place.job_id.empty(); });
  std::vector<TableColumn> columns{{"RUN", true},
                                         {"TASK", true},
                                         {.header = "NAME", .distinct = true},
                                         {"GPUS"},
                                         {"ELAPSED", true},
                                         {"PEAK MiB", true}};
  if (jobs)
    columns.insert(columns.end(), {{"JOB", true}, {"STATE"}, {"NODE"}});
  else
    columns.push_back({"PID", true});
  columns.push_back({.header = "COMMAND", .wrap = true});
  TextTable table(columns);
  for (const auto& run : snap.runs) {
    std::vector<TableCell> row{{std::to_string(run.run_id)},
                                     {std::to_string(run.task_id)},
                                     {run.task_name},
                                     {gpu_list(run.gpus)},
                                     {cli::format_duration(elapsed_ms(snap, run))},
                                     {run.peak_mem_mib ? std::to_string(*run.peak_mem_mib) : "-"}};
    if (jobs) {
      row.insert(row.end(), {{run.place.job_id.empty() ? "-" : run.place.job_id},
                             {run.place.state.empty() ? "-" : job_state(run.place)},
                             {run.place.node.empty() ? "-" : run.place.node}});
    } else {
      row.push_back({run.place.session_id > 0 ? std::to_string(run.place.session_id) : "-"});
    }
    row.push_back({run.command});
    table.add_row(row);
  }
  return table.render(how.width, Style(how.colour));
}

}  // namespace flowline::shell
