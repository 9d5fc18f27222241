#pragma once
// A temporary simulated-driver state directory for one test, pointed to by FLOWLINE_SIM_STATE.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "gpu/sim/sim_state.hpp"

namespace flowline::testing {

class SimFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flowline-gpu-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    setenv("FLOWLINE_SIM_STATE", dir_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("FLOWLINE_SIM_STATE");
    std::filesystem::remove_all(dir_);
  }
  // `count` GPUs of `mib` each, automatic metrics.
  void make_gpus(int count, int64_t mib) {
    change([&](sim::SimState& s) {
      s.gpus.clear();
      for (int i = 0; i < count; ++i)
        s.gpus.push_back(
            {i, mib, sim::kAuto, sim::kAuto, sim::kAuto, 300, "GPU-sim-test-" + std::to_string(i)});
    });
  }
  template <class F>
  void change(F f) {
    Status status = sim::update_state(dir_, [&](sim::SimState& s) {
      f(s);
      return ok_status();
    });
    ASSERT_TRUE(status.ok()) << status.error().message;
  }
  std::string dir_;
};

}  // namespace flowline::testing
