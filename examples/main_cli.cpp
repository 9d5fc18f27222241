// FlowLine from C++: the original tool's main_cli.py, line for line. Each row of the table
// becomes `<cmd> --key value ...` (python -u train.py when the row has no cmd), and the GPUs are
// tried by our own comparator.
//
//   g++ -std=c++20 main_cli.cpp -lflowline -o main_cli
//   ./main_cli todo.csv --sim-gpus 4x24000     # any `flowline run` option may follow the table
#include <flowline/flowline.hpp>
#include <string>
#include <vector>

namespace fl = flowline::api;

// The original's func(dict, gpu_id, sorted_gpu_ids). FlowLine already sets
// CUDA_VISIBLE_DEVICES to sorted_gpu_ids, so the command needs only the program and its flags.
std::string func(const fl::Row& row, int gpu_id, const std::vector<int>& sorted_gpu_ids) {
  (void)gpu_id;
  (void)sorted_gpu_ids;
  std::string cmd = row.at("cmd").empty() ? "python -u train.py" : row.at("cmd");
  for (const auto& [key, value] : row)
    if (!fl::is_reserved_column(key) && !value.empty()) cmd += " --" + key + " " + value;
  return cmd;
}

// The original's user_cmp over free_memory, turned round: the GPU with the LEAST free memory
// that still fits goes first (best fit), so small runs pack together and leave whole GPUs for
// the big ones. FlowLine's default (--order) is the opposite, most free memory first.
int cmp(const fl::GpuInfo& info1, const fl::GpuInfo& info2) {
  if (!info1.free_memory || !info2.free_memory) return 0;  // unknown: no opinion
  if (*info1.free_memory < *info2.free_memory) return -1;
  if (*info1.free_memory > *info2.free_memory) return 1;
  return 0;
}

int main(int argc, char** argv) {
  std::string table = argc > 1 ? argv[1] : "todo.csv";
  fl::Options options;
  for (int i = 2; i < argc; ++i) options.args.push_back(argv[i]);
  return fl::run_cli(func, table, cmp, options);
}
