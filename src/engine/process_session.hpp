#pragma once
// Which session a process belongs to: every process of a run shares its supervisor's session,
// so a GPU process is attributed to a run by its session id.
#include <cstdint>
#include <optional>

namespace flowline {

std::optional<int64_t> session_of(int64_t pid);

}  // namespace flowline
