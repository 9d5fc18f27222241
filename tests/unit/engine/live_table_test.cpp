// The live table's watcher hands the engine only what changed since the version before, so
// that an append to a 100,000-row table costs the engine one row; and it never lets a
// write-back land on a version the engine has not applied.
#include "engine/live_table.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>

#include "support/temp_dir.hpp"

namespace flowline {
namespace {

using namespace std::chrono_literals;

void write(const std::string& path, const std::string& text) {
  std::ofstream(path + ".tmp") << text;
  std::filesystem::rename(path + ".tmp", path);  // as editors save
}

struct Watched {
  testing::TempDir dir;
  std::string path = dir / "t.csv";
  std::mutex mu;
  std::condition_variable cv;
  int notified = 0;
  std::unique_ptr<LiveTable> table;

  explicit Watched(const std::string& text) {
    write(path, text);
    table = std::make_unique<LiveTable>(path, [this] {
      std::lock_guard lock(mu);
      ++notified;
      cv.notify_all();
    });
    TableVersion first = table->read_now();
    EXPECT_TRUE(first.table.ok());
    table->start(first.signature, row_keys(first.table->tasks));
  }
  // The next version the watcher reads, within 5 s.
  std::optional<TableVersion> next() {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, 5s, [&] { return notified > 0; })) return std::nullopt;
    --notified;
    lock.unlock();
    return table->take();
  }
};

TEST(LiveTable, AnAppendedRowComesAloneAndADeletedOneAsGone) {
  Watched w("name,lr\na,1\nb,2\nc,3\n");
  write(w.path, "name,lr\na,1\nb,2\nc,3\nd,4\n");
  std::optional<TableVersion> v = w.next();
  ASSERT_TRUE(v && v->table.ok());
  EXPECT_FALSE(v->complete);
  ASSERT_EQ(v->table->tasks.size(), 1u);
  EXPECT_EQ(v->table->tasks[0].name, "d");
  EXPECT_TRUE(v->gone.empty());

  write(w.path, "name,lr\na,1\nc,3\nd,4\n");
  v = w.next();
  ASSERT_TRUE(v && v->table.ok());
  ASSERT_EQ(v->gone.size(), 1u);
  // c and d moved up a row: they come too, so the engine learns their new rows.
  ASSERT_EQ(v->table->tasks.size(), 2u);
  EXPECT_EQ(v->table->tasks[0].name, "c");
  EXPECT_EQ(v->base_rows + 1, v->rows);
}

TEST(LiveTable, AChangedBookkeepingValueComesAsAChangedRow) {
  Watched w("name,lr,need_run_num\na,1,1\nb,2,1\n");
  write(w.path, "name,lr,need_run_num\na,1,1\nb,2,3\n");
  std::optional<TableVersion> v = w.next();
  ASSERT_TRUE(v && v->table.ok());
  ASSERT_EQ(v->table->tasks.size(), 1u);
  EXPECT_EQ(v->table->tasks[0].need_run_num, 3);
}

// An unreadable save is handed over once, as an error, and the rows stay those of the last
// good version, so the fix is measured against what the engine has.
TEST(LiveTable, AnUnreadableVersionLeavesTheRowsAsTheyWere) {
  Watched w("name,gpus\na,1\n");
  write(w.path, "name,gpus\na,x\n");
  std::optional<TableVersion> v = w.next();
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->table.ok());
  write(w.path, "name,gpus\na,1\nb,1\n");
  v = w.next();
  ASSERT_TRUE(v && v->table.ok());
  ASSERT_EQ(v->table->tasks.size(), 1u);
  EXPECT_EQ(v->table->tasks[0].name, "b");
}

// A write-back while the file holds a version the engine has not applied writes nothing.
TEST(LiveTable, AWriteBackOnAnUnappliedVersionIsStaleAndTouchesNothing) {
  Watched w("name,lr\na,1\n");
  const std::string edited = "name,lr\nz,9\na,1\n";
  write(w.path, edited);
  Result<WriteBack> r = w.table->write_cells({{0, "run_num", "1"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, WriteBack::kStale);
  std::ifstream in(w.path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), edited);
}

}  // namespace
}  // namespace flowline
