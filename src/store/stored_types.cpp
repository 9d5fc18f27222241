#include "store/stored_types.hpp"

#include <array>
#include <cstdlib>

namespace flowline {
namespace {

constexpr std::array<const char*, 5> kTaskStates = {"queued", "running", "done", "failed",
                                                    "dropped"};
constexpr std::array<const char*, 8> kRunStates = {"starting", "running", "succeeded", "failed",
                                                   "oom",      "killed",  "timeout",   "lost"};

template <class Enum, size_t N>
std::optional<Enum> lookup(const std::array<const char*, N>& names, const std::string& text) {
  for (size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(StoredTaskState state) { return kTaskStates.at(static_cast<size_t>(state)); }
const char* to_string(RunState state) { return kRunStates.at(static_cast<size_t>(state)); }

std::optional<StoredTaskState> task_state_from(const std::string& text) {
  return lookup<StoredTaskState>(kTaskStates, text);
}
std::optional<RunState> run_state_from(const std::string& text) {
  return lookup<RunState>(kRunStates, text);
}

std::string gpus_to_text(const std::vector<int>& gpus) {
  std::string text;
  for (size_t i = 0; i < gpus.size(); ++i) {
    if (i) text += ',';
    text += std::to_string(gpus[i]);
  }
  return text;
}

std::vector<int> gpus_from_text(const std::string& text) {
  std::vector<int> gpus;
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    long v = std::strtol(p, &end, 10);
    if (end == p) {
      ++p;
      continue;
    }
    gpus.push_back(static_cast<int>(v));
    p = end;
  }
  return gpus;
}

}  // namespace flowline
