// A full disk under the state and log directories (issue 14): before, every launch failed and
// each task burnt its retries within seconds ("4 done, 8 failed"). Now dispatch pauses, says
// so once, charges no task, and resumes by itself when space returns. The disk is a real
// 4 MiB tmpfs, so the test needs root (CI runs as root); without it the test is skipped.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

namespace fs = std::filesystem;

// A tmpfs mounted for the test's life.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& at) : at_(at) {
    fs::create_directories(at);
    mounted_ = ::mount("tmpfs", at.c_str(), "tmpfs", 0, "size=4m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

  // Writes a filler file until the disk refuses more.
  void fill() {
    std::ofstream out(at_ + "/filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) out.flush();
  }
  void free() { fs::remove(at_ + "/filler"); }

 private:
  std::string at_;
  bool mounted_ = false;
};

TEST(DiskFull, PausesDispatchWithoutChargingAnyTaskAndResumesWhenSpaceReturns) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  TempDir dir;
  SmallDisk disk(dir.file("disk"));
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
  // Two runs start and wait at the gate; the disk fills while they run; the other ten must
  // wait for space, not fail. Each run notes its end in done.log (outside the small disk).
  std::string table = "name,gpus,cmd\n";
  for (int i = 0; i < 12; ++i)
    table += "t" + std::to_string(i) +
             ",0,while [ ! -e gate ]; do sleep 0.02; done; echo t" + std::to_string(i) +
             " >> done.log\n";
  write_file(dir.file("todo.csv"), table);
  int pid = spawn_flowline({"run", "todo.csv", "--batch", "--max", "2", "--retries", "1",
                            "--cmd", "{cmd}", "--state-dir", "disk/state", "--log-dir",
                            "disk/log"},
                           dir.path(), "flowline.log");
  const std::string log = dir.file("flowline.log");
  ASSERT_TRUE(wait_until([&] { return processes_with("while [ ! -e gate ]").size() >= 2; }))
      << read_file(log);
  disk.fill();
  write_file(dir.file("gate"), "");
  ASSERT_TRUE(wait_until([&] { return read_file(log).find("dispatch paused") != std::string::npos; }))
      << read_file(log);
  // Paused for as long as the disk stays full (a few retry backoffs' worth): no task fails,
  // no run is lost (their exit records have room reserved) and nothing else starts.
  EXPECT_FALSE(wait_until(
      [&] {
        const std::string said = read_file(log);
        return said.find(") failed") != std::string::npos ||
               said.find(" lost") != std::string::npos ||
               said.find("cannot start task") != std::string::npos;
      },
      std::chrono::milliseconds(3000)))
      << read_file(log);
  EXPECT_LE(count_lines(dir.file("done.log")), 2);
  disk.free();
  ASSERT_EQ(wait_for(pid), 0) << read_file(log);
  EXPECT_EQ(count_lines(dir.file("done.log")), 12) << read_file(log);
  const std::string said = read_file(log);
  EXPECT_NE(said.find("space is back"), std::string::npos) << said;
  EXPECT_EQ(said.find("cannot start task"), std::string::npos) << said;
  EXPECT_EQ(said.find(" lost"), std::string::npos) << said;
  EXPECT_NE(said.find("12 done, 0 failed"), std::string::npos) << said;
}

}  // namespace
}  // namespace flowline::testing
