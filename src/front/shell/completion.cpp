#include "front/shell/completion.hpp"

#include "front/shell/command_interpreter.hpp"
#include "front/shell/command_spec.hpp"

namespace flowline::shell {

static std::vector<std::string> ids_for(ArgumentKind kind, const EngineSnapshot& snap) {
  std::vector<std::string> out;
  switch (kind) {
    case ArgumentKind::kRunId:
      for (const auto& r : snap.runs) out.push_back(std::to_string(r.run_id));
      break;
    case ArgumentKind::kTaskId:
      for (const auto& t : snap.tasks) out.push_back(std::to_string(t.task->id));
      break;
    case ArgumentKind::kGpuId:
      for (const auto& g : snap.gpus) out.push_back(std::to_string(g.index));
      break;
    case ArgumentKind::kCommandName:
      for (const auto& c : command_specs()) out.push_back(c.name);
      break;
    case ArgumentKind::kOrderKeys:
      out = {"index",
             "free_memory",
             "total_memory",
             "utilization",
             "user_process_num",
             "all_process_num",
             "temperature",
             "power",
             "max_power",
             "asc",
             "desc",
             "default"};
      break;
    case ArgumentKind::kNone:
    case ArgumentKind::kNumber:
      break;
  }
  return out;
}

// Flags and fixed words a command takes after `words_so_far` words.
static std::vector<std::string> flags_for(const CommandSpec& spec, size_t words_so_far) {
  std::string name = spec.name;
  if (spec.has_json && words_so_far == 1) return {"--json"};
  if (name == "logs" && words_so_far == 2) return {"-f"};
  if (name == "run" && words_so_far == 1) return {"on", "off"};
  if (name == "stop" && words_so_far == 1) return {"--leave-runs"};
  return {};
}

std::vector<std::string> completion_candidates(const std::string& before,
                                               const EngineSnapshot& snap) {
  std::vector<std::string> words = split_words(before);
  if (words.empty()) return ids_for(ArgumentKind::kCommandName, snap);
  const CommandSpec* spec = find_command(words[0] == "?" ? "help" : words[0]);
  if (spec == nullptr) return {};
  std::vector<std::string> out = flags_for(*spec, words.size());
  if (words.size() == 1 || spec->argument == ArgumentKind::kOrderKeys) {
    for (auto& id : ids_for(spec->argument, snap)) out.push_back(std::move(id));
  }
  return out;
}

}  // namespace flowline::shell
