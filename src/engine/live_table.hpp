#pragma once
// The table file as a live source of tasks (DESIGN.md §2): a watcher thread notices every save
// (table/file_watch.hpp), waits for the editor to finish, and reads the new version off the
// engine's thread, so that reading a 100,000-row table never delays a launch. The engine takes
// each version and applies it; its write-backs go through here too, and are refused while the
// file holds a version the engine has not applied yet, so that a user's edit is never
// overwritten with stale rows.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"
#include "table/file_signature.hpp"
#include "table/table_file.hpp"

namespace flowline {

struct TableVersion {
  // Tasks with identities, or why not. When `complete` is false it holds only the rows that
  // are new or changed since the version before (identity, row or a bookkeeping value), and
  // `gone` the identities no longer in the file: appending a row to a 100,000-row table then
  // costs the engine one row, not 100,000.
  Result<TaskTable> table = Error{"not read"};
  std::optional<FileSignature> signature;  // of the file as read; nullopt: missing
  bool complete = true;
  std::vector<TaskIdentity> gone;
  // Which version of the rows a partial one was measured against, and which it makes: the
  // engine applies a partial version only on top of the one it was measured against.
  uint64_t base_rows = 0;
  uint64_t rows = 0;
};

// What the watcher remembers of a row to tell a changed row from an unchanged one.
struct RowKey {
  TaskIdentity identity;
  int64_t row = 0;
  uint64_t fields = 0;  // a digest of its run_num, bookkeeping columns and name
  size_t index = 0;     // its place in the version it was made from
};
// Sorted by identity.
std::vector<RowKey> row_keys(const std::vector<Task>& tasks);

enum class WriteBack { kWritten, kStale };

class LiveTable {
 public:
  // `notify` is called from the watcher thread when take() has a version.
  LiveTable(std::string path, std::function<void()> notify);
  ~LiveTable();
  LiveTable(const LiveTable&) = delete;
  LiveTable& operator=(const LiveTable&) = delete;

  // Starts watching. Without inotify (limits reached) the file is checked once a second.
  // `applied` is the signature of the version the engine starts from, `keys` its rows.
  void start(const std::optional<FileSignature>& applied, std::vector<RowKey> keys);
  // The engine could not apply a version it took: the next one is read at once, complete.
  void forget_rows();
  // The newest version read since the last call, if any (engine thread).
  std::optional<TableVersion> take();
  // Reads the file now, on the caller's thread (`reload`, `add`, `copy`).
  TableVersion read_now();
  // The engine applied this version (or kept the last good one in force instead): a file
  // still at this signature is not read again.
  void applied(const std::optional<FileSignature>& signature);
  // Rewrites run_num cells (rows as in the applied version); kStale, writing nothing, when the
  // file changed since that version was read (a read is then on its way).
  Result<WriteBack> write_cells(const std::vector<CellUpdate>& updates);
  Status append_row(const NewRowCells& cells);
  // The file holds a version neither applied nor read yet (a save the watcher may not have
  // read yet): a batch must not end before it has seen it.
  bool has_unseen_version() const;
  // Frees a version the engine is done with on the watcher's thread: freeing 100,000 tasks
  // takes the engine's thread ~10 ms it owes to launches.
  void discard(TaskTable table);
  const std::string& path() const { return path_; }

 private:
  void watch_loop();
  TableVersion read_file() const;
  void wake_watcher();  // the eventfd the watcher polls: stop, read now, or free
  // Turns a complete version into the rows that changed since the last one (watcher thread).
  void keep_changes_only(TableVersion& v);
  bool read_if_changed(bool force);  // true when it posted a version

  const std::string path_;
  const std::function<void()> notify_;
  int wake_fd_ = -1;  // eventfd: stop or read now
  std::thread thread_;
  mutable std::mutex mutex_;
  bool stopping_ = false;
  bool read_requested_ = false;
  std::optional<FileSignature> applied_;    // guarded by mutex_
  std::optional<FileSignature> last_read_;  // guarded: the last version the watcher read
  bool has_read_ = false;
  std::optional<TableVersion> ready_;       // guarded by mutex_
  std::vector<TaskTable> discarded_;        // guarded by mutex_; freed by the watcher
  std::mutex rows_mutex_;                   // guards the two below
  std::vector<RowKey> rows_;                // of the last version handed to the engine
  bool rows_known_ = false;
  uint64_t rows_version_ = 1;  // counts the versions of rows_
};

}  // namespace flowline
