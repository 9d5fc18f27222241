// `task`: every task of the table, with why it is not running when it is not.
#include "front/shell/listings.hpp"
#include "front/shell/text_table.hpp"
#include "front/shell/wait_text.hpp"

namespace flowline::shell {

static std::optional<Colour> state_colour(TaskState state) {
  switch (state) {
    case TaskState::kDone:
      return Colour::kGreen;
    case TaskState::kRunning:
      return Colour::kCyan;
    case TaskState::kFailed:
    case TaskState::kInfeasible:
      return Colour::kRed;
    case TaskState::kBackoff:
      return Colour::kYellow;
    case TaskState::kDropped:
      return Colour::kDim;
    case TaskState::kQueued:
      return std::nullopt;
  }
  return std::nullopt;
}

// The one thing a user wants to know about a task that is not simply running or done: for a
// waiting task its place, what holds it and when it may start, then its last error.
static std::string task_note(const TaskView& t, Millis now) {
  std::string note = wait_summary(t, now);
  if (!t.last_error.empty() && t.state != TaskState::kRunning && t.state != TaskState::kDone)
    note += (note.empty() ? "" : "; ") + t.last_error;
  return note.empty() ? t.waiting_for : note;
}

// "9000/7700": the most a run used on one GPU, then what the next run asks for ("-" before
// any measurement); a "+" marks a requirement raised after out-of-memory deaths.
static std::string memory_cell(const TaskView& t) {
  if (t.task->gpus == 0) return "-";
  std::string peak = t.peak_mem_mib ? std::to_string(*t.peak_mem_mib) : "-";
  return peak + "/" + std::to_string(t.min_mem_mib) + (t.min_mem_raised ? "+" : "");
}

std::string tasks_text(const EngineSnapshot& snap, const Presentation& how) {
  if (snap.tasks.empty()) return "the table has no tasks\n";
  TextTable table({{"ID", true},
                   {"NAME", false, 28},
                   {"STATE"},
                   {"RUNS", true},
                   {"PRIO", true},
                   {"MEM MiB", true},
                   {"NOTE", false, 0, true}});
  for (const auto& t : snap.tasks) {
    table.add_row({{std::to_string(t.task->id)},
                   {t.task->name},
                   {std::string(task_state_name(t.state)), state_colour(t.state)},
                   {std::to_string(t.task->run_num) + "/" + std::to_string(t.task->need_run_num)},
                   {std::to_string(t.task->priority)},
                   {memory_cell(t)},
                   {task_note(t, snap.taken_ms)}});
  }
  return table.render(how.width, Style(how.colour));
}

}  // namespace flowline::shell
