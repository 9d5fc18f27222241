// The live table (DESIGN.md §2): each version of the file is matched to the engine's tasks by
// identity (core/task_identity.hpp), so rows may move, appear and vanish while runs go on.
// Progress follows identity too: the database keeps each identity's task id and run count.
#include <algorithm>
#include <set>

#include "core/task_row.hpp"
#include "engine/engine.hpp"

namespace flowline {
namespace {

// The columns that say how a task runs; a change to them is applied to the task in place.
bool same_bookkeeping(const Task& a, const Task& b) {
  return a.need_run_num == b.need_run_num && a.priority == b.priority && a.min_mem == b.min_mem &&
         a.min_mem_auto == b.min_mem_auto && a.gpus == b.gpus && a.timeout_ms == b.timeout_ms;
}

std::string count_text(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string TableChange::describe() const {
  std::vector<std::string> parts;
  if (added) parts.push_back(count_text(added, "task added", "tasks added"));
  if (removed) parts.push_back(std::to_string(removed) + " removed");
  if (changed) parts.push_back(std::to_string(changed) + " changed");
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
  return text.empty() ? "no task added, removed or changed" : text;
}

StoredTask Engine::stored_task(const Task& task) const {
  StoredTask t;
  t.id = task.id;
  t.identity = task.identity.hex();
  t.table_path = config_.table_path;
  t.name = task.name;
  t.run_num = task.run_num;
  t.need_run_num = task.need_run_num;
  return t;
}

void Engine::load_store_identities(const std::vector<StoredTask>& known) {
  for (const StoredTask& k : known) {
    next_task_id_ = std::max(next_task_id_, k.id + 1);
    stored_run_num_[k.id] = k.run_num;
    if (std::optional<TaskIdentity> id = TaskIdentity::from_hex(k.identity)) id_of_.set(*id, k.id);
  }
  // A database from before identities: its tasks were rows. A row still at its place with
  // its name is taken to be the same task, once; the others start afresh.
  if (!initial_table_) return;
  for (const StoredTask& k : known) {
    if (!k.identity.empty() || k.id < 0) continue;
    const auto row = static_cast<size_t>(k.id);
    if (row >= initial_table_->tasks.size()) continue;
    const Task& t = initial_table_->tasks[row];
    if (t.name == k.name && !id_of_.contains(t.identity)) id_of_.set(t.identity, k.id);
  }
}

TableChange Engine::apply_table(TaskTable table, const std::vector<TaskIdentity>* gone) {
  TableChange change;
  std::vector<StoredTask> to_store;
  std::vector<Task> arrivals;  // new to this session: added rows, or every row at start
  std::vector<int64_t> behind;  // the file shows fewer runs than the engine counted
  std::vector<char> seen(gone ? 0 : static_cast<size_t>(next_task_id_), 0);
  for (Task& task : table.tasks) {
    const auto [id, fresh] = id_of_.try_emplace(task.identity, next_task_id_);
    if (fresh) ++next_task_id_;
    task.id = id;
    // A blank name shows as "Task:<id>": a label that stays with the task when rows move
    // (the reader could only number it by row). For a table read the first time, id = row.
    if (!task.name_given) task.name = "Task:" + std::to_string(task.id);
    const auto slot = static_cast<size_t>(task.id);
    if (!gone) {
      if (seen.size() <= slot) seen.resize(slot + 1, 0);
      seen[slot] = 1;
    }
    // The larger count wins: more runs in the file is the user saying they are done; fewer is
    // a file behind the database (written first), or an editor that kept an old copy of the
    // file, which must not make every task run again. To run a task again, raise need_run_num.
    const int64_t in_file = task.run_num;
    int64_t counted = -1;
    if (scheduler_.knows_task(task.id) && !fresh) counted = scheduler_.tasks()[slot].task->run_num;
    else if (auto s = stored_run_num_.find(task.id); s != stored_run_num_.end()) counted = s->second;
    task.run_num = std::max(in_file, counted);
    if (task.run_num > in_file) behind.push_back(task.id);
    if (scheduler_.has_task(task.id)) {
      const auto now_held = scheduler_.tasks()[slot].task;  // kept alive across edits
      const Task& now = *now_held;
      const bool edited = task.run_num != now.run_num || !same_bookkeeping(now, task);
      if (edited || now.row != task.row || now.name != task.name) {
        scheduler_.set_run_num(task.id, task.run_num);
        scheduler_.update_task(task);
      }
      if (edited) {
        ++change.changed;
        change.changed_ids.push_back(task.id);
        to_store.push_back(stored_task(task));
      }
      continue;
    }
    if (recovered_) {
      ++change.added;
      change.added_ids.push_back(task.id);
    }
    to_store.push_back(stored_task(task));
    arrivals.push_back(std::move(task));
  }
  scheduler_.put_tasks(std::move(arrivals));
  // A removed task's live runs finish and are recorded, credited to no row.
  if (gone) {
    for (const TaskIdentity& identity : *gone) {
      const std::optional<int64_t> id = id_of_.find(identity);
      if (id && scheduler_.remove_task(*id)) {
        ++change.removed;
        change.removed_ids.push_back(*id);
      }
    }
  } else {
    for (const auto& p : scheduler_.tasks()) {
      const auto slot = static_cast<size_t>(p.task->id);
      if (p.removed || (slot < seen.size() && seen[slot])) continue;
      scheduler_.remove_task(p.task->id);
      ++change.removed;
      change.removed_ids.push_back(p.task->id);
    }
  }
  const Millis now = parts_.clock->now_ms();
  for (int64_t id : behind) mirror_run_num(*scheduler_.tasks()[static_cast<size_t>(id)].task, now);
  columns_ = table.columns;
  table_.discard(std::move(table));
  if (Status s = parts_.store->upsert_tasks(to_store); !s.ok())
    say("cannot record the table's tasks: " + s.error().message);
  return change;
}

Result<TableChange> Engine::apply_version(TableVersion version) {
  // A partial version measured against rows the engine does not have (a `reload` came in
  // between) cannot be applied: the file is read again, whole.
  if (version.table.ok() && !version.complete && version.base_rows != applied_rows_) {
    table_.forget_rows();
    return TableChange{};
  }
  // A version whose columns the command template cannot use (a column it names was removed)
  // is refused like an unreadable one, before any of its tasks could fail to launch.
  if (version.table.ok()) {
    if (Status s = parts_.builder->check_columns(version.table->columns); !s.ok()) {
      version.table = Error{config_.table_path + ": " + s.error().message};
      table_.forget_rows();  // the version after it must come whole
    }
  }
  if (!version.table.ok()) {
    const std::string& why = version.table.error().message;
    if (why != table_unreadable_) {
      table_unreadable_ = why;
      say("table " + config_.table_path + " cannot be read; the last good version stays in "
          "force until the file is fixed:\n" + why);
    }
    return version.table.error();
  }
  if (!table_unreadable_.empty()) say("table " + config_.table_path + " can be read again");
  table_unreadable_.clear();
  TableChange change =
      apply_table(std::move(*version.table), version.complete ? nullptr : &version.gone);
  applied_rows_ = version.rows;
  table_.applied(version.signature);
  return change;
}

void Engine::take_table_version() {
  std::optional<TableVersion> version = table_.take();
  if (!version) return;
  Result<TableChange> change = apply_version(std::move(*version));
  if (change.ok()) tell_table_change(*change);
  if (change.ok()) wakeup_.notify();  // new or changed tasks may start now
}

// One sentence for people, and an event per task for programs while there are few: a table of
// 100,000 new rows is one notice, not 100,000 events (listeners refetch on the notice).
void Engine::tell_table_change(const TableChange& change) {
  if (!change.any()) return;
  say("table changed: " + change.describe());
  constexpr size_t kMaxTaskEvents = 64;
  if (change.added_ids.size() + change.removed_ids.size() + change.changed_ids.size() >
      kMaxTaskEvents)
    return;
  auto each = [this](EventKind kind, const std::vector<int64_t>& ids, const char* what) {
    for (int64_t id : ids) {
      const auto t_held = scheduler_.tasks()[static_cast<size_t>(id)].task;  // kept alive across edits
      const Task& t = *t_held;
      tell_task(kind, t, "task " + std::to_string(id) + " (" + t.name + ") " + what);
    }
  };
  each(EventKind::kTaskAdded, change.added_ids, "added");
  each(EventKind::kTaskChanged, change.changed_ids, "changed");
  each(EventKind::kTaskDropped, change.removed_ids, "left the table");
}

Result<bool> Engine::write_run_nums(const std::vector<RunNumUpdate>& updates) {
  std::vector<CellUpdate> cells;
  for (const RunNumUpdate& u : updates) {
    if (!scheduler_.has_task(u.task_id)) continue;  // its row is gone: nothing to write
    const auto t_held = scheduler_.tasks()[static_cast<size_t>(u.task_id)].task;  // kept alive across edits
    const Task& t = *t_held;
    cells.push_back({t.row, "run_num", std::to_string(u.run_num)});
  }
  if (cells.empty()) return true;
  Result<WriteBack> written = table_.write_cells(cells);
  if (!written.ok()) return written.error();
  return *written == WriteBack::kWritten;
}

Result<std::string> Engine::reload_table() {
  return call([](Engine& e) -> Result<std::string> {
    Result<TableChange> change = e.apply_version(e.table_.read_now());
    if (!change.ok()) return conflict(change.error().message);  // the file, not the request
    e.tell_table_change(*change);
    return "table re-read: " + change->describe();
  });
}

Result<std::string> Engine::append_and_apply(const NewRowCells& cells) {
  // A conflict, not "unavailable": the request is sound, but the file as it stands refuses it,
  // and waiting will not help: only the user's fix of the file will.
  if (!table_unreadable_.empty())
    return conflict("the table cannot be read right now, so no row was added; fix it first:\n" +
                    table_unreadable_);
  // Apply what the file holds now first, so the new row is the only change reported below.
  take_table_version();
  if (Status s = table_.append_row(cells); !s.ok()) return s.error();
  Result<TableChange> change = apply_version(table_.read_now());
  if (!change.ok()) return conflict(change.error().message);
  tell_table_change(*change);
  if (change->added_ids.empty())
    return conflict("the row was added to " + config_.table_path + " but no new task came of it");
  const int64_t id = change->added_ids.back();
  const auto t_held = scheduler_.tasks()[static_cast<size_t>(id)].task;  // kept alive across edits
  const Task& t = *t_held;
  std::string answer = "task " + std::to_string(id) + " (" + t.name + ") added as row " +
                       std::to_string(t.row + 1) + " of " + config_.table_path;
  if (change->added > 1 || change->removed || change->changed)
    answer += " (the table also changed: " + change->describe() + ")";
  return answer;
}

Result<std::string> Engine::add_task(const NewRowCells& cells) {
  if (cells.empty()) return Error{"add needs at least one column=value"};
  return call([cells](Engine& e) { return e.append_and_apply(cells); });
}

Result<std::string> Engine::copy_task(int64_t task_id, const NewRowCells& changes) {
  return call([task_id, changes](Engine& e) -> Result<std::string> {
    if (!e.scheduler_.has_task(task_id))
      return not_found("no task " + std::to_string(task_id));
    const auto source_held = e.scheduler_.tasks()[static_cast<size_t>(task_id)].task;  // kept alive across edits
    const Task& source = *source_held;
    // A change to a column the file lacks is refused by the append, in the words `add` uses.
    std::set<std::string> columns(e.columns_.begin(), e.columns_.end());
    NewRowCells cells;
    for (const auto& [column, value] : task_row(source, e.columns_)) {
      if (!columns.count(column)) continue;  // reserved columns the file does not have
      if (column == "run_num") continue;     // a copy has run nothing yet
      if (column == "name" && !source.name_given) continue;  // "Task:<id>" is a label
      cells.emplace_back(column, value);
    }
    for (const auto& change : changes) {  // (clang 14 cannot capture a structured binding)
      auto it = std::find_if(cells.begin(), cells.end(),
                             [&](const auto& c) { return c.first == change.first; });
      if (it != cells.end()) it->second = change.second;
      else cells.push_back(change);
    }
    return e.append_and_apply(cells);
  });
}

}  // namespace flowline

namespace flowline {

// The priority lives in the table like every other column: the cell is written into the
// file, then the file is applied, so the table stays the one source of tasks.
Result<std::string> Engine::set_priority(int64_t task_id, int64_t priority) {
  return call([task_id, priority](Engine& e) -> Result<std::string> {
    if (!e.table_unreadable_.empty())
      return conflict("the table cannot be read right now, so nothing was written; fix it "
                      "first:\n" + e.table_unreadable_);
    e.take_table_version();  // the row numbers below must be the file's
    if (!e.scheduler_.has_task(task_id)) return not_found("no task " + std::to_string(task_id));
    const auto task_held = e.scheduler_.tasks()[static_cast<size_t>(task_id)].task;  // kept alive across edits
    const Task& task = *task_held;
    Result<WriteBack> written =
        e.table_.write_cells({{task.row, "priority", std::to_string(priority)}});
    if (!written.ok()) return written.error();
    if (*written == WriteBack::kStale)
      return conflict("the table changed while its priority was being written; nothing was "
                      "written: try again");
    Result<TableChange> change = e.apply_version(e.table_.read_now());
    if (!change.ok()) return conflict(change.error().message);
    e.tell_table_change(*change);
    return "task " + std::to_string(task_id) + " priority " + std::to_string(priority) +
           " (written into " + e.config_.table_path + ")";
  });
}

}  // namespace flowline
