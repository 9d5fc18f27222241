#pragma once
// What /proc says about a GPU process: its owner and whether FlowLine started it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/gpu_info.hpp"

namespace flowline {

struct ProcessFacts {
  std::optional<std::string> user;  // login name, or the numeric uid when it has none
  std::optional<int64_t> session;
  std::optional<std::string> name;  // the command name the kernel keeps ("python")
  bool flowline_env = false;  // FLOWLINE_RUN_ID in its environment (readable for own processes)
};

// Facts about one live process; nullopt once it has exited (or never existed).
std::optional<ProcessFacts> read_process_facts(int64_t pid, bool read_environment);

// Fills `user`, `session`, `name` and `flowline` of every process. With `sessions` (FlowLine's live run
// sessions) a process is FlowLine's when its session is one of them; without, when its
// environment carries FLOWLINE_RUN_ID (which every run and its descendants inherit).
void annotate_processes(std::vector<GpuInfo>& gpus,
                        const std::optional<std::vector<int64_t>>& sessions);

}  // namespace flowline
