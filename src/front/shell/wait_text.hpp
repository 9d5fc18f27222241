#pragma once
// A waiting task in a few words for the shell's narrow columns: its place, what holds it,
// and when it may start ("#3, slot (--max 2), ~4m0s"). The JSON views carry the full reason.
#include <string>

#include "engine/task_view.hpp"

namespace flowline::shell {

// "" for a task that does not wait (running, done, failed, dropped).
std::string wait_summary(const TaskView& t, Millis now);
// "~4m0s", "now" or "unknown": when it may start, seen from `now`.
std::string expected_start_text(const TaskView& t, Millis now);

}  // namespace flowline::shell
