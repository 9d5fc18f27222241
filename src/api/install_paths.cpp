#include "api/install_paths.hpp"

#include <dlfcn.h>
#include <unistd.h>

namespace flowline {
namespace {

std::string first_existing(std::initializer_list<std::string> candidates, int mode) {
  for (const std::string& path : candidates)
    if (access(path.c_str(), mode) == 0) return path;
  return "";
}

}  // namespace

std::string library_dir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&library_dir), &info) == 0 || !info.dli_fname) return "";
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string find_supervisor(const std::string& lib_dir) {
  if (lib_dir.empty()) return "";
  return first_existing({lib_dir + "/flowline-supervise", lib_dir + "/../bin/flowline-supervise"},
                        X_OK);
}

std::string find_sim_driver(const std::string& lib_dir) {
  if (lib_dir.empty()) return "";
  return first_existing({lib_dir + "/libflowline-sim-nvml.so"}, R_OK);
}

}  // namespace flowline
