#pragma once
// Finds again every process a short helper (a command builder, an event hook) started, even
// one that left the helper's process group and session (setsid, a daemon): each helper gets
// a tag of its own in its environment, which its descendants inherit, and the tag is looked
// for in /proc/*/environ. Killing the process group alone let such a grandchild outlive the
// helper's time limit.
#include <string>
#include <vector>

namespace flowline {

class HelperTag {
 public:
  HelperTag();  // unique in this FlowLine and among FlowLines (it holds our pid)
  // `base` (KEY=VALUE entries) with the tag added.
  std::vector<std::string> environment(char** base) const;
  // SIGKILLs every live process that carries the tag; returns how many. Costs a walk of
  // /proc: for the give-up path only.
  int kill_all() const;

 private:
  std::string entry_;  // "FLOWLINE_HELPER=<pid>.<n>"
};

}  // namespace flowline
