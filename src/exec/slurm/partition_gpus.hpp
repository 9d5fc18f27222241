#pragma once
// The GPUs of a Slurm partition, node by node, as `flowline gpus --executor slurm` shows them:
// read from one `sinfo -h -N -O NodeHost:|,Partition:|,Gres:|,GresUsed:|,StateLong:|`.
// Pure: no I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flowline {

struct NodeGpus {
  std::string node;
  std::string partition;  // "debug*": the star marks the default partition
  int64_t total = 0;      // GPUs its gres has
  int64_t used = 0;       // allocated to jobs now
  std::string state;      // idle, mixed, allocated, down, drained…
};

inline constexpr const char* kSinfoGpuFormat = "NodeHost:|,Partition:|,Gres:|,GresUsed:|,StateLong:|";

// "gpu:4", "gpu:a100:2(S:0-1),gpu:v100:1", "gpu:2(IDX:0-1)", "(null)": how many GPUs.
int64_t gpu_count(std::string_view gres);
std::vector<NodeGpus> parse_partition_gpus(std::string_view sinfo_output);

}  // namespace flowline
