#pragma once
// Whether a built command names a program. A table with parameters but no `cmd` expands the
// default template `{cmd} {args}` to `--lr 0.1`, which /bin/sh reads as its own options
// ("sh: 0: Illegal option --"): every run would fail the same way, so FlowLine says why first.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command_template.hpp"
#include "core/task.hpp"

namespace flowline {

// nullopt when `command` starts with a program (or anything but an option or nothing); else
// why not, e.g. "the command is empty" or "the command starts with '--lr', an option, not a
// program".
std::optional<std::string> missing_program(std::string_view command);

// What to do about it, for messages: a `cmd` per row, or the program in the template.
inline constexpr std::string_view kMissingProgramHint =
    "give the rows a cmd (e.g. python train.py) or put the program in the template: "
    "--cmd 'python train.py {args}'";

// The tasks with runs left whose template command names no program: how many, and the first.
struct MissingPrograms {
  int64_t count = 0;
  int64_t first_id = 0;
  std::string first_name, first_command, why;
};
MissingPrograms find_missing_programs(const std::vector<Task>& tasks, const CommandTemplate& t);
// "3 of 4 tasks have no program in their command: task 0 (a) would run `--lr 0.1`: …; <hint>"
std::string missing_programs_text(const MissingPrograms& missing, size_t total);

}  // namespace flowline
