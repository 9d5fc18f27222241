#include "engine/live_table.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "table/file_watch.hpp"
#include "table/row_append.hpp"

namespace flowline {
namespace {

// An editor's save is several writes (or a write and a rename): read once it has been quiet
// this long, and never later than kMaxWaitMs after the first event, so an edit takes effect
// well within a second.
constexpr int kQuietMs = 80;
constexpr int kMaxWaitMs = 400;
constexpr int kFallbackCheckMs = 1000;  // without inotify

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

uint64_t fields_digest(const Task& t) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto add = [&](int64_t v) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((static_cast<uint64_t>(v) >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
  };
  add(t.run_num);
  add(t.need_run_num);
  add(t.priority);
  add(t.min_mem.value_or(t.min_mem_auto ? -2 : -1));
  add(t.gpus);
  add(t.timeout_ms.value_or(-1));
  for (unsigned char c : t.name) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

bool by_identity(const RowKey& a, const RowKey& b) {
  return a.identity.hi != b.identity.hi ? a.identity.hi < b.identity.hi
                                        : a.identity.lo < b.identity.lo;
}

}  // namespace

std::vector<RowKey> row_keys(const std::vector<Task>& tasks) {
  std::vector<RowKey> keys;
  keys.reserve(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i)
    keys.push_back({tasks[i].identity, tasks[i].row, fields_digest(tasks[i]), i});
  std::sort(keys.begin(), keys.end(), by_identity);
  return keys;
}

LiveTable::LiveTable(std::string path, std::function<void()> notify)
    : path_(std::move(path)), notify_(std::move(notify)) {}

LiveTable::~LiveTable() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_watcher();
  thread_.join();
  close(wake_fd_);
}

void LiveTable::start(const std::optional<FileSignature>& applied, std::vector<RowKey> keys) {
  {
    std::lock_guard rows_lock(rows_mutex_);
    rows_ = std::move(keys);
    rows_known_ = true;
  }
  std::lock_guard lock(mutex_);
  applied_ = applied;
  last_read_ = applied;
  has_read_ = true;
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { watch_loop(); });
}

void LiveTable::forget_rows() {
  {
    std::lock_guard lock(rows_mutex_);
    rows_known_ = false;
  }
  std::lock_guard lock(mutex_);
  read_requested_ = true;
  wake_watcher();
}

void LiveTable::keep_changes_only(TableVersion& v) {
  if (!v.table.ok()) return;
  std::vector<RowKey> keys = row_keys(v.table->tasks);
  std::lock_guard lock(rows_mutex_);
  if (rows_known_) {
    std::vector<Task> changed;
    auto old = rows_.begin();
    // Both sorted by identity: one merge finds the new, changed and gone rows.
    std::vector<char> keep(v.table->tasks.size(), 0);
    for (const RowKey& key : keys) {
      while (old != rows_.end() && by_identity(*old, key)) v.gone.push_back((old++)->identity);
      const bool known = old != rows_.end() && old->identity == key.identity;
      if (!known || old->row != key.row || old->fields != key.fields) keep[key.index] = 1;
      if (known) ++old;
    }
    for (; old != rows_.end(); ++old) v.gone.push_back(old->identity);
    for (size_t i = 0; i < keep.size(); ++i)
      if (keep[i]) changed.push_back(std::move(v.table->tasks[i]));
    v.table->tasks.swap(changed);  // the unchanged rows are freed here, on this thread
    v.complete = false;
    v.base_rows = rows_version_;
  }
  rows_ = std::move(keys);
  rows_known_ = true;
  v.rows = ++rows_version_;
}

TableVersion LiveTable::read_now() {
  TableVersion v = read_file();
  if (v.table.ok()) {
    // The engine applies this one whole: what comes next is measured against it.
    std::lock_guard rows_lock(rows_mutex_);
    rows_ = row_keys(v.table->tasks);
    rows_known_ = true;
    v.rows = ++rows_version_;
  }
  std::lock_guard lock(mutex_);
  last_read_ = v.signature;
  has_read_ = true;
  return v;
}

TableVersion LiveTable::read_file() const {
  // Stat before and after: a save during the read makes them differ, and the read is redone
  // (bounded: a file rewritten without pause is taken as it was last read).
  TableVersion v;
  for (int attempt = 0; attempt < 3; ++attempt) {
    v.signature = file_signature(path_);
    if (!v.signature) {
      v.table = Error{path_ + ": the table file is missing or cannot be opened"};
      return v;
    }
    v.table = load_task_table(path_);
    if (file_signature(path_) == v.signature) break;
  }
  return v;
}

std::optional<TableVersion> LiveTable::take() {
  std::lock_guard lock(mutex_);
  std::optional<TableVersion> v = std::move(ready_);
  ready_.reset();
  return v;
}

void LiveTable::applied(const std::optional<FileSignature>& signature) {
  std::lock_guard lock(mutex_);
  applied_ = signature;
}

bool LiveTable::read_if_changed(bool force) {
  const std::optional<FileSignature> now = file_signature(path_);
  {
    std::lock_guard lock(mutex_);
    // Our own write-back, or a version already read (an unreadable one is reported once).
    if (!force && (now == applied_ || (has_read_ && now == last_read_))) return false;
  }
  TableVersion v = read_file();
  keep_changes_only(v);
  {
    std::lock_guard lock(mutex_);
    last_read_ = v.signature;
    has_read_ = true;
    ready_ = std::move(v);
  }
  notify_();
  return true;
}

void LiveTable::watch_loop() {
  Result<std::unique_ptr<FileWatch>> watch = FileWatch::open(path_);
  const int watch_fd = watch.ok() ? (*watch)->fd() : -1;
  // A save between the engine's first read and the watch being in place sent no event.
  read_if_changed(false);
  std::optional<int64_t> first_event, last_event;
  for (;;) {
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {watch_fd, POLLIN, 0}};
    int timeout = watch_fd < 0 ? kFallbackCheckMs : -1;
    if (first_event) {
      const int64_t t = now_ms();
      const int64_t due = std::min(*last_event + kQuietMs, *first_event + kMaxWaitMs);
      timeout = static_cast<int>(std::max<int64_t>(0, due - t));
    }
    const int n = poll(fds, watch_fd < 0 ? 1 : 2, timeout);
    bool force = false;
    if (n > 0 && (fds[0].revents & POLLIN)) {
      uint64_t count = 0;
      [[maybe_unused]] ssize_t r = read(wake_fd_, &count, sizeof count);
      std::vector<TaskTable> garbage;  // freed outside the lock, at the end of this block
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      force = read_requested_;
      read_requested_ = false;
      garbage.swap(discarded_);
    }
    if (n > 0 && watch_fd >= 0 && (fds[1].revents & POLLIN) && (*watch)->drain()) {
      last_event = now_ms();
      if (!first_event) first_event = last_event;
    }
    const bool settled = first_event && now_ms() >= std::min(*last_event + kQuietMs,
                                                             *first_event + kMaxWaitMs);
    if (force || settled || (watch_fd < 0 && n == 0)) {
      first_event.reset();
      last_event.reset();
      read_if_changed(force);
    }
  }
}

Result<WriteBack> LiveTable::write_cells(const std::vector<CellUpdate>& updates) {
  std::lock_guard lock(mutex_);
  const std::optional<FileSignature> now = file_signature(path_);
  Result<bool> written = Result<bool>(false);
  if (applied_ && now == applied_) written = write_cells_if_unchanged(path_, updates, *applied_);
  if (!written.ok()) return written.error();
  if (*written) {
    applied_ = file_signature(path_);
    return WriteBack::kWritten;
  }
  // Someone saved the file since the version the rows come from: it must be read and applied
  // first. A version already read (unreadable, or deleted) waits for the next save instead.
  if (!(has_read_ && file_signature(path_) == last_read_)) {
    read_requested_ = true;
    wake_watcher();
  }
  return WriteBack::kStale;
}

void LiveTable::discard(TaskTable table) {
  if (!thread_.joinable()) return;  // not watching: freed here
  std::lock_guard lock(mutex_);
  discarded_.push_back(std::move(table));
  wake_watcher();
}

void LiveTable::wake_watcher() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

bool LiveTable::has_unseen_version() const {
  const std::optional<FileSignature> now = file_signature(path_);
  std::lock_guard lock(mutex_);
  return !(now == applied_ || (has_read_ && now == last_read_));
}

Status LiveTable::append_row(const NewRowCells& cells) {
  return append_table_row(path_, cells);
}

}  // namespace flowline
