#pragma once
// Tab completion: command names first, then the ids that command takes, read from the
// engine's current snapshot (run ids for kill/logs, task ids for drop/retry, GPU ids for
// gpu/killgpu), and its flags.
#include <string>
#include <vector>

#include "engine/snapshot.hpp"

namespace flowline::shell {

// Every word that may come next after `before` (the line up to the word being completed).
std::vector<std::string> completion_candidates(const std::string& before,
                                               const EngineSnapshot& snap);

}  // namespace flowline::shell
