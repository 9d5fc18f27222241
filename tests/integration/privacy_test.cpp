// DESIGN.md §3 "Private by default": on a shared server a task's command, parameters and output
// are its owner's only, whatever umask FlowLine was started with.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

namespace fs = std::filesystem;

// Sets the umask for the test's duration (children inherit it); puts the old one back.
class UmaskScope {
 public:
  explicit UmaskScope(mode_t mask) : old_(::umask(mask)) {}
  ~UmaskScope() { ::umask(old_); }

 private:
  mode_t old_;
};

mode_t mode_of(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

// Every file and directory under `root` (root included) that group or others may use.
std::vector<std::string> open_to_others(const std::string& root) {
  std::vector<std::string> found;
  if ((mode_of(root) & 077) != 0) found.push_back(root);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string path = entry.path().string();
    if ((mode_of(path) & 077) != 0) found.push_back(path);
  }
  return found;
}

std::string listing(const std::vector<std::string>& paths) {
  std::string text;
  for (const auto& p : paths) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(mode_of(p)));
    text += "  " + std::string(mode) + " " + p + "\n";
  }
  return text;
}

// With umask 022 the state directory, the log directory, the run directories, the database
// and every run's .out/.err are the owner's only, while a run is live and after it ended.
TEST(Privacy, StateAndLogsAreOwnerOnlyUnderUmask022) {
  TempDir dir;
  UmaskScope umask(022);
  write_file(dir.file("todo.csv"),
             "name,gpus,cmd\n"
             "secret,0,echo the secret; while [ ! -e gate ]; do sleep 0.02; done\n");
  const int pid = spawn_flowline({"run", "todo.csv", "--batch", "--cmd", "{cmd}"}, dir.path(),
                                 "flowline.log");
  const std::string state = dir.file(".flowline/todo.csv");
  const std::string logs = dir.file("log/todo.csv");
  // The run is live (it waits for the gate) once it has written its secret.
  auto run_live = [&] {
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(logs, ec))
      if (e.is_regular_file(ec) && fs::file_size(e.path(), ec) > 0) return true;
    return false;
  };
  ASSERT_TRUE(wait_until(run_live)) << read_file(dir.file("flowline.log"));
  EXPECT_EQ(listing(open_to_others(state)), "");
  EXPECT_EQ(listing(open_to_others(logs)), "");
  write_file(dir.file("gate"), "");
  ASSERT_EQ(wait_for(pid), 0) << read_file(dir.file("flowline.log"));
  EXPECT_EQ(listing(open_to_others(state)), "");
  EXPECT_EQ(listing(open_to_others(logs)), "");
  EXPECT_EQ(mode_of(state + "/flowline.db"), 0600u);
}

}  // namespace
}  // namespace flowline::testing
