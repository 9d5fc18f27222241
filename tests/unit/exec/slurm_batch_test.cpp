// What a run becomes under Slurm (exec/slurm/batch_script.hpp) and how squeue is read
// (exec/slurm/job_status.hpp): the pure parts of the Slurm executor. The executor itself is
// tested against a real Slurm (tests/slurm).
#include <gtest/gtest.h>

#include <algorithm>

#include "exec/slurm/batch_script.hpp"
#include "exec/slurm/job_status.hpp"
#include "exec/slurm/partition_gpus.hpp"

namespace flowline {
namespace {

bool has(const std::vector<std::string>& args, const std::string& arg) {
  return std::find(args.begin(), args.end(), arg) != args.end();
}

LaunchSpec spec_of(int gpu_count) {
  LaunchSpec spec;
  spec.run_id = 7;
  spec.task_id = 3;
  spec.name = "lr=0.1 ✓,x";
  spec.command = "python train.py --name 'a b'";
  spec.gpu_count = gpu_count;
  spec.stdout_path = "/logs/7-a.out";
  spec.stderr_path = "/logs/7-a.err";
  spec.cwd = "/work dir";
  return spec;
}

TEST(SlurmBatch, ArgumentsAskForTheTasksGpusNameLogsAndTheUsersOptions) {
  SlurmOptions options;
  options.partition = "gpu";
  options.qos = "long";
  options.extra_args = {"--mem=16G"};
  std::vector<std::string> args = sbatch_args(spec_of(2), options);
  EXPECT_TRUE(has(args, "--parsable"));
  EXPECT_TRUE(has(args, "--gres=gpu:2"));
  EXPECT_TRUE(has(args, "--output=/logs/7-a.out"));
  EXPECT_TRUE(has(args, "--error=/logs/7-a.err"));
  EXPECT_TRUE(has(args, "--chdir=/work dir"));
  EXPECT_TRUE(has(args, "--partition=gpu"));
  EXPECT_TRUE(has(args, "--qos=long"));
  EXPECT_TRUE(has(args, "--mem=16G"));
  EXPECT_FALSE(std::any_of(args.begin(), args.end(),
                           [](const std::string& a) { return a.rfind("--account", 0) == 0; }));
  // Printable ASCII only in the job's name, and it starts with the run id (adoption finds a
  // job stored before sbatch answered by it).
  EXPECT_TRUE(has(args, "--job-name=flowline-7-lr=0.1_____x")) << args[2];
}

TEST(SlurmBatch, ACpuOnlyRunAsksForNoGpuAndSeesNone) {
  SlurmOptions options;
  options.supervisor_path = "/opt/fl/flowline-supervise";
  LaunchSpec spec = spec_of(0);
  std::vector<std::string> args = sbatch_args(spec, options);
  EXPECT_FALSE(std::any_of(args.begin(), args.end(),
                           [](const std::string& a) { return a.rfind("--gres", 0) == 0; }));
  std::string script = batch_script(spec, options, "/state/runs/7");
  EXPECT_NE(script.find("export CUDA_VISIBLE_DEVICES=\n"), std::string::npos) << script;
  EXPECT_NE(script.find("export FLOWLINE_RUN_ID=7\n"), std::string::npos);
  EXPECT_NE(script.find("setsid -w /opt/fl/flowline-supervise --run-dir /state/runs/7"),
            std::string::npos)
      << script;
  // The command is one quoted word after --, whatever quotes it holds.
  EXPECT_NE(script.find("-- 'python train.py --name '\\''a b'\\'''"), std::string::npos)
      << script;
}

TEST(SlurmBatch, TheTimeLimitBacksUpTheSupervisorsTimeoutInWholeMinutes) {
  LaunchSpec spec = spec_of(1);
  spec.timeout_ms = 90'000;
  SlurmOptions options;
  std::vector<std::string> args = sbatch_args(spec, options);
  EXPECT_TRUE(has(args, "--time=0-00:03:00"));  // 90 s + 5 s grace -> 2 min, + 1 spare
  EXPECT_NE(batch_script(spec, options, "/r").find("--timeout-ms 90000"), std::string::npos);
  EXPECT_EQ(slurm_time_limit(3 * 24 * 3600 * 1000LL, 0), "3-00:01:00");
}

TEST(SlurmJobStatus, ReadsStatesReasonsAndNodesAndSkipsNoise) {
  auto jobs = parse_squeue("12|PENDING|Resources|\n13|RUNNING|None|node-a\nbad line\n"
                           "14|COMPLETED|None|(null)\r\n");
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs["12"].reason, "Resources");
  EXPECT_EQ(jobs["12"].node, "");
  EXPECT_EQ(jobs["13"].node, "node-a");
  EXPECT_EQ(jobs["14"].state, "COMPLETED");
  EXPECT_EQ(jobs["14"].node, "");
  EXPECT_TRUE(job_is_live("PENDING"));
  EXPECT_TRUE(job_is_live("COMPLETING"));
  EXPECT_FALSE(job_is_live("CANCELLED"));
  EXPECT_FALSE(job_is_live("NODE_FAIL"));
  EXPECT_FALSE(job_is_live(""));
}

}  // namespace
}  // namespace flowline

namespace flowline {
namespace {

TEST(SlurmPartitionGpus, CountsGresEntriesAndReadsSinfoRows) {
  EXPECT_EQ(gpu_count("gpu:4"), 4);
  EXPECT_EQ(gpu_count("gpu:a100:2(S:0-1),gpu:v100:1"), 3);
  EXPECT_EQ(gpu_count("gpu:a100:2(IDX:0,3),mps:100"), 2);
  EXPECT_EQ(gpu_count("(null)"), 0);
  auto nodes = parse_partition_gpus(
      "localhost           |debug*   |gpu:4     |gpu:1(IDX:2)  |mixed   |\n"
      "n2|long|(null)|gpu:0|down|\nnoise\n");
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].node, "localhost");
  EXPECT_EQ(nodes[0].partition, "debug*");
  EXPECT_EQ(nodes[0].total, 4);
  EXPECT_EQ(nodes[0].used, 1);
  EXPECT_EQ(nodes[0].state, "mixed");
  EXPECT_EQ(nodes[1].total, 0);
}

}  // namespace
}  // namespace flowline
