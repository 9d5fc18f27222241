// Issue 14: noise. A fault is said once (and its end too), a table FlowLine cannot run is
// refused where it is wrong, and `flowline ctl` answers whatever another client does and
// wherever the state directory lies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A table whose file name leaves no room for the temp file of an atomic rewrite (NAME_MAX):
// readable, never writable, whoever runs the test (root included). While the second run
// lasts, writing run_num back is retried every 200 ms; the failure is said once.
TEST(Noise, AnUnwritableTableIsReportedOnceNotEveryRetry) {
  TempDir dir;
  const std::string table = std::string(236, 't') + ".csv";
  write_file(dir.file(table), "name,gpus,cmd\nquick,0,true\nslow,0,sleep 1.5\n");
  Outcome o = run_flowline(
      {"run", table, "--batch", "--cmd", "{cmd}", "--max", "2", "--state-dir", "state"},
      dir.path());
  EXPECT_EQ(o.exit_code, 1) << o.err;  // the results could not be written back
  EXPECT_EQ(count_of(o.err, "cannot update the table:"), 1) << o.err;
  EXPECT_THAT(o.err, HasSubstr("File name too long"));
  EXPECT_THAT(o.err, HasSubstr("the results of finished runs could not be written into the "
                               "table"));
}

// A NUL byte cannot reach a command: refused by check (and run) where it is, not by every
// run failing with "Protocol error".
TEST(Noise, ANulByteInACellIsRefusedNamingItsRowAndColumn) {
  TempDir dir;
  write_file(dir.file("todo.csv"), std::string("name,gpus,cmd,lr\na,0,true,0.1\nb,0,true,0.\0""2\n",
                                               44));
  for (std::vector<std::string> args : {std::vector<std::string>{"check", "todo.csv"},
                                         std::vector<std::string>{"run", "todo.csv", "--batch"}}) {
    Outcome o = run_flowline(args, dir.path());
    EXPECT_EQ(o.exit_code, 2) << args[0] << ": " << o.err;
    EXPECT_THAT(o.err, HasSubstr("todo.csv:3:4: column 'lr': holds a NUL byte (\\0)")) << args[0];
  }
}

// `flowline run` on a gated CPU task, in `dir`, with `state` as its state directory; returns
// its pid once its ctl answers.
int start_instance(const TempDir& dir, const std::string& state) {
  write_file(dir.file("todo.csv"),
             "name,gpus,cmd\nheld,0,while [ ! -e gate ]; do sleep 0.02; done\n");
  const int pid = spawn_flowline({"run", "todo.csv", "--batch", "--cmd", "{cmd}", "--state-dir",
                                  state},
                                 dir.path(), "flowline.log");
  wait_until([&] { return run_flowline({"ctl", "--state-dir", state, "status"}).exit_code == 0; });
  return pid;
}

// A client that connects and says nothing used to hold every other ctl for 5 s.
TEST(Noise, ASilentCtlClientBlocksNoOtherClient) {
  TempDir dir;
  const std::string state = dir.file("state");
  const int pid = start_instance(dir, state);
  int silent = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = state + "/ctl.sock";
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(::connect(silent, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  Outcome o = run_program({{flowline_exe(), "ctl", "--state-dir", state, "status"},
                           dir.path(),
                           {},
                           "",
                           std::chrono::milliseconds(3000)});
  EXPECT_FALSE(o.timed_out) << "ctl waited for the silent client";
  EXPECT_EQ(o.exit_code, 0) << o.err;
  ::close(silent);
  write_file(dir.file("gate"), "");
  EXPECT_EQ(wait_for(pid), 0) << read_file(dir.file("flowline.log"));
}

// A state directory deeper than a Unix socket's path allows (107 bytes) still has a ctl.
TEST(Noise, CtlWorksWithAStateDirectoryTooDeepForASocketPath) {
  TempDir dir;
  const std::string state = dir.file(std::string(60, 'a') + "/" + std::string(60, 'b'));
  ASSERT_GT((state + "/ctl.sock").size(), 107u);
  const int pid = start_instance(dir, state);
  Outcome o = run_flowline({"ctl", "--state-dir", state, "status"}, dir.path());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("running"));
  EXPECT_EQ(run_flowline({"ctl", "status"}, dir.path()).exit_code, 3);  // not in .flowline/*/
  write_file(dir.file("gate"), "");
  EXPECT_EQ(wait_for(pid), 0) << read_file(dir.file("flowline.log"));
  EXPECT_THAT(read_file(dir.file("flowline.log")), ::testing::Not(HasSubstr("unavailable")));
}

}  // namespace
}  // namespace flowline::testing
