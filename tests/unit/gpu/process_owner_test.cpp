#include "gpu/process_owner.hpp"

#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace flowline {
namespace {

GpuInfo gpu_with(std::vector<int64_t> pids) {
  GpuInfo gpu;
  gpu.processes = std::vector<GpuProcess>{};
  for (int64_t pid : pids) gpu.processes->push_back({pid, std::nullopt, 1, false, std::nullopt});
  return gpu;
}

// Bounded wait (5 s) until the process's /proc environ is readable and non-empty.
bool environment_laid_out(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/environ";
  for (int attempt = 0; attempt < 5000; ++attempt) {
    std::ifstream file(path);
    if (file.get() != std::ifstream::traits_type::eof()) return true;
    usleep(1000);
  }
  return false;
}

TEST(ProcessOwner, ReadsUserAndSessionOfALiveProcess) {
  auto facts = read_process_facts(getpid(), true);
  ASSERT_TRUE(facts);
  struct passwd* me = getpwuid(getuid());
  ASSERT_NE(me, nullptr);
  EXPECT_EQ(facts->user, std::string(me->pw_name));
  EXPECT_EQ(facts->session, getsid(0));
}

TEST(ProcessOwner, VanishedProcessHasNoUserAndIsNotFlowLines) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  std::vector<GpuInfo> gpus = {gpu_with({child, getpid()})};
  annotate_processes(gpus, std::vector<int64_t>{getsid(child), getsid(0)});
  EXPECT_EQ((*gpus[0].processes)[0].user, std::nullopt);
  EXPECT_FALSE((*gpus[0].processes)[0].flowline);
  EXPECT_TRUE((*gpus[0].processes)[1].user);
  EXPECT_TRUE((*gpus[0].processes)[1].flowline);
}

TEST(ProcessOwner, FlowLineMarkerInEnvironmentWithoutSessions) {
  int ready[2];
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  pid_t child = fork();
  if (child == 0) {
    char* const argv[] = {const_cast<char*>("sleep"), const_cast<char*>("30"), nullptr};
    char* const envp[] = {const_cast<char*>("FLOWLINE_RUN_ID=7"), nullptr};
    close(ready[0]);
    execve("/bin/sleep", argv, envp);
    _exit(127);
  }
  close(ready[1]);
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 0);  // EOF once exec closed the child's end
  close(ready[0]);
  // exec closes descriptors before it lays out the new environment: until then
  // /proc/<pid>/environ reads empty (seen in CI), so wait for the layout itself.
  ASSERT_TRUE(environment_laid_out(child));
  std::vector<GpuInfo> gpus = {gpu_with({child, getpid()})};
  annotate_processes(gpus, std::nullopt);
  EXPECT_TRUE((*gpus[0].processes)[0].flowline);
  EXPECT_FALSE((*gpus[0].processes)[1].flowline);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

}  // namespace
}  // namespace flowline
