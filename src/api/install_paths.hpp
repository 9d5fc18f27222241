#pragma once
// Where an embedding program finds FlowLine's helpers: next to libflowline itself (build tree)
// or in ../bin and ../lib of its prefix (installed), not next to the program, which may live
// anywhere.
#include <string>

namespace flowline {

// The directory holding the library this function is linked into; "" when unknown.
std::string library_dir();

// flowline-supervise, or "" (the executor then looks next to the program).
std::string find_supervisor(const std::string& lib_dir);

// The simulated NVML driver, or "" (then FlowLine's usual search and its error apply).
std::string find_sim_driver(const std::string& lib_dir);

}  // namespace flowline
