#include "faults/crash_point.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace flowline {
namespace {

struct CrashPlan {
  std::string name;  // "" = no crash planned
  long nth = 1;
};

CrashPlan read_plan() {
  CrashPlan plan;
  const char* text = std::getenv("FLOWLINE_CRASH_AT");
  if (text == nullptr || *text == '\0') return plan;
  plan.name = text;
  if (auto colon = plan.name.find(':'); colon != std::string::npos) {
    plan.nth = std::atol(plan.name.c_str() + colon + 1);
    plan.name.resize(colon);
  }
  if (plan.nth < 1) plan.nth = 1;
  return plan;
}

}  // namespace

void crash_point(const char* name) {
  static const CrashPlan plan = read_plan();
  static std::atomic<long> reached{0};
  if (plan.name.empty() || plan.name != name) return;
  if (reached.fetch_add(1) + 1 == plan.nth) ::kill(::getpid(), SIGKILL);
}

}  // namespace flowline
