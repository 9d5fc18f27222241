// One table, one state directory, one FlowLine: claim_table_home against temp dirs, each test
// with its own lock directory and "current directory" (no chdir).
#include "front/app/table_home.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"

namespace flowline {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::TempDir;

class TableHomeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::canonical(tmp_.path()).string();
    fs::create_directories(root_ + "/x");
    fs::create_directory(root_ + "/locks", ec_);
    ::chmod((root_ + "/locks").c_str(), 0700);
    locks_ = {root_ + "/locks"};
    write(root_ + "/x/t.csv");
  }
  static void write(const std::string& path, const std::string& text = "name\na\n") {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
  }
  Result<TableHome> claim(const std::string& table, const std::string& cwd,
                          std::optional<std::string> state_dir = std::nullopt,
                          std::optional<std::string> log_dir = std::nullopt) {
    return claim_table_home(table, state_dir, log_dir, cwd, locks_);
  }

  TempDir tmp_;
  std::string root_;  // tmp_ without symlinks, as realpath gives it
  std::vector<std::string> locks_;
  std::error_code ec_;
};

TEST_F(TableHomeTest, OneTableByAnyPathIsOneHomeAndOneLock) {
  const std::string x = root_ + "/x";
  fs::create_symlink("t.csv", x + "/link.csv");
  auto first = std::make_unique<Result<TableHome>>(claim("./t.csv", x));
  ASSERT_TRUE(first->ok()) << first->error().message;
  EXPECT_EQ((*first)->table, x + "/t.csv");
  EXPECT_EQ((*first)->state_dir, x + "/.flowline/t.csv");
  EXPECT_EQ((*first)->log_dir, x + "/log/t.csv");
  EXPECT_EQ(*state_dir_owner((*first)->state_dir), x + "/t.csv");
  for (const char* other : {"../x/t.csv", "link.csv"}) {
    Result<TableHome> again = claim(other, x);
    ASSERT_FALSE(again.ok()) << other;
    EXPECT_THAT(again.error().message, HasSubstr("already being run")) << other;
  }
  first.reset();
  for (const std::string& other :
       {std::string("../x/t.csv"), std::string("link.csv"), x + "/t.csv"}) {
    Result<TableHome> again = claim(other, x);
    ASSERT_TRUE(again.ok()) << other << ": " << again.error().message;
    EXPECT_EQ(again->table, x + "/t.csv");
    EXPECT_EQ(again->state_dir, x + "/.flowline/t.csv");
    EXPECT_EQ(again->log_dir, x + "/log/t.csv");
    EXPECT_TRUE(again->notes.empty());
  }
}

TEST_F(TableHomeTest, TwoTablesInOneDirectoryHaveTheirOwnStateAndLogs) {
  const std::string x = root_ + "/x";
  write(x + "/u.json", "[]");
  Result<TableHome> t = claim("t.csv", x);
  Result<TableHome> u = claim("u.json", x);  // both at once: they are different tables
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->state_dir, x + "/.flowline/u.json");
  EXPECT_EQ(u->log_dir, x + "/log/u.json");
  EXPECT_NE(t->state_dir, u->state_dir);
  EXPECT_NE(t->log_dir, u->log_dir);
  EXPECT_TRUE(fs::is_directory(u->log_dir));
}

TEST_F(TableHomeTest, AStateDirOfAnotherTableIsRefusedNamingBothAndTheWayOut) {
  const std::string x = root_ + "/x";
  write(x + "/u.csv");
  { ASSERT_TRUE(claim("t.csv", x, "mine").ok()); }
  Result<TableHome> u = claim("u.csv", x, "mine");
  ASSERT_FALSE(u.ok());
  const std::string mine = x + "/mine", t = x + "/t.csv", u_csv = x + "/u.csv";
  EXPECT_EQ(u.error().message, "state directory " + mine + " belongs to table " + t + ", not " +
                                   u_csv + "; use another --state-dir (or the default, " +
                                   ".flowline/u.csv), or delete " + mine + " to start over");
  EXPECT_TRUE(claim("t.csv", x, x + "/mine/").ok());  // its own table: welcome back
}

TEST_F(TableHomeTest, ASecondClaimIsRefusedWhileTheFirstLivesFromAnyStateDir) {
  const std::string x = root_ + "/x";
  auto first = std::make_unique<Result<TableHome>>(claim("t.csv", x));
  ASSERT_TRUE(first->ok()) << first->error().message;
  Result<TableHome> elsewhere = claim(x + "/t.csv", root_, "other-state");
  ASSERT_FALSE(elsewhere.ok());
  const std::string t = x + "/t.csv", pid = std::to_string(::getpid());
  const std::string state = x + "/.flowline/t.csv";
  EXPECT_EQ(elsewhere.error().message,
            "table " + t + " is already being run by FlowLine pid " + pid + " (state directory " +
                state + "); stop it (flowline ctl --table " + t + " stop) or wait for it to end");
  std::optional<TableLockHolder> holder = table_lock_holder(locks_, x + "/t.csv");
  ASSERT_TRUE(holder);
  EXPECT_EQ(holder->state_dir, x + "/.flowline/t.csv");
  first.reset();
  EXPECT_FALSE(table_lock_holder(locks_, x + "/t.csv"));
  EXPECT_TRUE(fs::is_empty(locks_[0]));  // a lock let go leaves nothing behind
  Result<TableHome> after = claim(x + "/t.csv", root_, "other-state");
  EXPECT_TRUE(after.ok()) << after.error().message;
}

TEST_F(TableHomeTest, SameFileNameFromTwoDirectoriesGetsTwoStableHomes) {
  write(root_ + "/y/t.csv");
  std::string first_dir, second_dir, second_log;
  {
    Result<TableHome> a = claim("x/t.csv", root_);
    ASSERT_TRUE(a.ok()) << a.error().message;
    first_dir = a->state_dir;
  }
  for (int round = 0; round < 2; ++round) {
    Result<TableHome> b = claim("y/t.csv", root_);
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_THAT(b->state_dir, MatchesRegex(root_ + "/\\.flowline/t\\.csv-[0-9a-f]{8}"));
    EXPECT_EQ(fs::path(b->log_dir).filename(), fs::path(b->state_dir).filename());
    if (round == 0) {
      ASSERT_EQ(b->notes.size(), 1u);
      EXPECT_THAT(b->notes[0], HasSubstr("is taken by table " + root_ + "/x/t.csv"));
      second_dir = b->state_dir;
      second_log = b->log_dir;
    } else {  // the same next time, and nothing more to say
      EXPECT_EQ(b->state_dir, second_dir);
      EXPECT_EQ(b->log_dir, second_log);
      EXPECT_TRUE(b->notes.empty());
    }
  }
  EXPECT_EQ(first_dir, root_ + "/.flowline/t.csv");
  Result<TableHome> a = claim("x/t.csv", root_);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->state_dir, first_dir);
}

TEST_F(TableHomeTest, AnOlderFlowLinesStateDirIsAdoptedWithANote) {
  const std::string x = root_ + "/x";
  write(x + "/old/flowline.db", "");
  Result<TableHome> home = claim("t.csv", x, "old");
  ASSERT_TRUE(home.ok()) << home.error().message;
  ASSERT_EQ(home->notes.size(), 1u);
  EXPECT_THAT(home->notes[0], HasSubstr("was made by an older FlowLine"));
  EXPECT_EQ(*state_dir_owner(x + "/old"), x + "/t.csv");
}

TEST_F(TableHomeTest, AMissingTableIsNamed) {
  Result<TableHome> home = claim("nope.csv", root_);
  ASSERT_FALSE(home.ok());
  EXPECT_EQ(home.error().message, "cannot find the table nope.csv: No such file or directory");
  EXPECT_FALSE(fs::exists(root_ + "/.flowline"));
}

TEST(StableHash, IsFnv1a64) {
  EXPECT_EQ(stable_hash_hex(""), "cbf29ce484222325");
  EXPECT_EQ(stable_hash_hex("a"), "af63dc4c8601ec8c");
}

// A lock directory others may write to is not used: they could remove or plant our locks.
TEST(TableLockDirs, ALockDirectoryOthersMayWriteIsNotUsed) {
  TempDir xdg;
  const char* saved = std::getenv("XDG_RUNTIME_DIR");
  std::string before = saved ? saved : "";
  ::setenv("XDG_RUNTIME_DIR", xdg.path().c_str(), 1);
  fs::create_directory(xdg.file("flowline"));
  ::chmod(xdg.file("flowline").c_str(), 0777);
  Result<std::vector<std::string>> open_dir = table_lock_dirs();
  ::chmod(xdg.file("flowline").c_str(), 0700);
  Result<std::vector<std::string>> private_dir = table_lock_dirs();
  if (saved) {
    ::setenv("XDG_RUNTIME_DIR", before.c_str(), 1);
  } else {
    ::unsetenv("XDG_RUNTIME_DIR");
  }
  auto has_xdg = [&](const std::vector<std::string>& dirs) {
    return std::find(dirs.begin(), dirs.end(), xdg.file("flowline")) != dirs.end();
  };
  if (open_dir.ok()) {
    EXPECT_FALSE(has_xdg(*open_dir));
  }
  ASSERT_TRUE(private_dir.ok()) << private_dir.error().message;
  EXPECT_TRUE(has_xdg(*private_dir));
}

}  // namespace
}  // namespace flowline
