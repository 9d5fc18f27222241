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
  if (!t.last_error->empty() && t.state != TaskState::kRunning && t.state != TaskState::kDone)
    note += (note.empty() ? "" : "; ") + t.last_error.get();
  return note.empty() ? t.waiting_for() : note;
}

// After the requirement: where it came from when it is not simply min_mem or the global
// setting. One character, so that the column stays narrow on an 80-column terminal; the
// legend under the table says what each means.
static const char* source_mark(MemSource source) {
  switch (source) {
    case MemSource::kRaised:
      return "+";
    case MemSource::kRuns:
      return "*";
    case MemSource::kGroup:
      return "~";
    case MemSource::kMinMem:
    case MemSource::kGlobal:
      return "";
  }
  return "";
}

// "9000/7700": the most a run used on one GPU, then what the next run asks for ("-" before
// any measurement), marked by where that came from (source_mark).
static std::string memory_cell(const TaskView& t) {
  if (t.task->gpus == 0) return "-";
  std::string peak = t.peak_mem_mib ? std::to_string(*t.peak_mem_mib) : "-";
  return peak + "/" + std::to_string(t.min_mem_mib) + source_mark(t.min_mem_source);
}

static std::string memory_legend(const EngineSnapshot& snap) {
  bool marked = false;
  for (const auto& t : snap.tasks)
    marked = marked || (t.task->gpus > 0 && *source_mark(t.min_mem_source) != '\0');
  if (!marked) return "";
  return "MEM MiB peak/asked: + raised by OOM, * from its runs, ~ from its --mem-group\n";
}

std::string tasks_text(const EngineSnapshot& snap, const Presentation& how) {
  if (snap.tasks.empty()) return "the table has no tasks\n";
  TextTable table({{"ID", true},
                   {.header = "NAME", .distinct = true},
                   {"STATE"},
                   {"RUNS", true},
                   {"PRIO", true},
                   {"MEM MiB", true},
                   {.header = "NOTE", .flexible = true}});
  for (const auto& t : snap.tasks) {
    table.add_row({{std::to_string(t.task->id)},
                   {t.task->name},
                   {std::string(task_state_name(t.state)), state_colour(t.state)},
                   {std::to_string(t.task->run_num) + "/" + std::to_string(t.task->need_run_num)},
                   {std::to_string(t.task->priority)},
                   {memory_cell(t)},
                   {task_note(t, snap.taken_ms)}});
  }
  return table.render(how.width, Style(how.colour)) + memory_legend(snap);
}

}  // namespace flowline::shell
