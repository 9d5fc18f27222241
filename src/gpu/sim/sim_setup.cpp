#include "gpu/sim/sim_setup.hpp"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>

#include "gpu/sim/sim_state.hpp"

namespace flowline::sim {

namespace {

constexpr const char* kLibraryName = "libflowline-sim-nvml.so";
constexpr int kMaxSimGpus = 64;

Error spec_error(const std::string& spec, const std::string& why) {
  return Error{"--sim-gpus '" + spec + "': " + why +
               "; expected COUNTxMIB[,COUNTxMIB...], e.g. 4x24000 or 2x24000,1x80000"};
}

bool parse_positive(const std::string& text, int64_t max, int64_t& value) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  value = std::stoll(text);
  return value > 0 && value <= max;
}

Status make_dirs(const std::string& dir) {
  std::string path;
  size_t start = 0;
  while (start <= dir.size()) {
    size_t slash = dir.find('/', start);
    path = dir.substr(0, slash);
    if (!path.empty() && ::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
      return Error{path + ": " + std::strerror(errno)};
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return ok_status();
}

bool readable(const std::string& path) { return ::access(path.c_str(), R_OK) == 0; }

}  // namespace

Result<std::vector<int64_t>> parse_sim_spec(const std::string& spec) {
  std::vector<int64_t> gpus;
  size_t start = 0;
  while (true) {
    size_t comma = spec.find(',', start);
    std::string item = spec.substr(start, comma == std::string::npos ? comma : comma - start);
    size_t x = item.find('x');
    int64_t count = 0, mib = 0;
    if (x == std::string::npos || !parse_positive(item.substr(0, x), kMaxSimGpus, count) ||
        !parse_positive(item.substr(x + 1), 100'000'000, mib))
      return spec_error(spec, "cannot read '" + item + "'");
    gpus.insert(gpus.end(), count, mib);
    if (gpus.size() > kMaxSimGpus) return spec_error(spec, "at most 64 GPUs");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return gpus;
}

Result<std::string> find_sim_library() {
  if (const char* env = std::getenv("FLOWLINE_SIM_LIBRARY"); env && *env) {
    if (readable(env)) return std::string(env);
    return Error{std::string("FLOWLINE_SIM_LIBRARY=") + env + ": no such file"};
  }
  char exe[PATH_MAX] = {};
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return Error{"cannot find this executable (/proc/self/exe) to locate the driver"};
  std::string dir(exe, static_cast<size_t>(n));
  dir = dir.substr(0, dir.rfind('/'));
  std::string tried;
  for (const std::string& candidate :
       {dir + "/" + kLibraryName, dir + "/../lib/" + kLibraryName, dir + "/../src/" + kLibraryName,
        dir + "/../lib/flowline/" + kLibraryName}) {
    if (readable(candidate)) return candidate;
    tried += (tried.empty() ? "" : ", ") + candidate;
  }
  return Error{"the simulated driver " + std::string(kLibraryName) + " is not installed (tried " +
               tried + "; set FLOWLINE_SIM_LIBRARY to its path)"};
}

Result<SimSetup> setup_sim_gpus(const std::string& spec, const std::string& state_dir,
                                const std::optional<std::string>& library) {
  auto totals = parse_sim_spec(spec);
  if (!totals) return totals.error();
  auto library_path = library ? Result<std::string>(*library) : find_sim_library();
  if (!library_path) return library_path.error();
  if (auto made = make_dirs(state_dir); !made) return made.error();
  char absolute[PATH_MAX] = {};
  if (!::realpath(state_dir.c_str(), absolute)) return Error{state_dir + ": " + strerror(errno)};
  SimSetup setup{absolute, *library_path, *totals};
  // Stable per state directory, distinct between directories: like real UUIDs, not reused.
  unsigned hash = static_cast<unsigned>(std::hash<std::string>{}(setup.state_dir));
  auto status = update_state(setup.state_dir, [&](SimState& state) {
    state.gpus.clear();
    for (size_t i = 0; i < setup.total_mib.size(); ++i) {
      char uuid[64];
      std::snprintf(uuid, sizeof uuid, "GPU-sim-%08x-%04zu", hash, i);
      state.gpus.push_back({static_cast<int>(i), setup.total_mib[i], kAuto, kAuto, kAuto,
                            setup.total_mib[i] >= 60000 ? 700 : 300, uuid});
    }
    return ok_status();
  });
  if (!status) return status.error();
  ::setenv("FLOWLINE_NVML_LIBRARY", setup.library_path.c_str(), 1);
  ::setenv("FLOWLINE_SIM_STATE", setup.state_dir.c_str(), 1);
  return setup;
}

}  // namespace flowline::sim
