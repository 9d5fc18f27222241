#include "front/app/gpu_trouble.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

GpuInfo healthy(int index) {
  GpuInfo gpu;
  gpu.index = index;
  gpu.free_memory_mib = 1000;
  gpu.total_memory_mib = 2000;
  return gpu;
}

TEST(GpuTrouble, ALostGpuIsSaidOnceAndItsReturnOnce) {
  GpuTrouble trouble;
  GpuInfo lost = healthy(1);
  lost.error = "GPU is lost";
  lost.free_memory_mib.reset();
  EXPECT_TRUE(trouble.update({healthy(0), healthy(1)}).empty());
  EXPECT_EQ(trouble.update({healthy(0), lost}),
            std::vector<std::string>{"GPU 1: GPU is lost; no run is placed on it until it "
                                     "answers again (runs on it go on)"});
  EXPECT_TRUE(trouble.update({healthy(0), lost}).empty());
  EXPECT_TRUE(trouble.update({healthy(0), lost}).empty());
  EXPECT_EQ(trouble.update({healthy(0), healthy(1)}),
            std::vector<std::string>{"GPU 1 answers again: runs may be placed on it"});
  EXPECT_TRUE(trouble.update({healthy(0), healthy(1)}).empty());
}

TEST(GpuTrouble, UnreadableMemoryIsTroubleAndAChangedFaultIsSaidAgain) {
  GpuTrouble trouble;
  GpuInfo unread = healthy(0);
  unread.free_memory_mib.reset();
  ASSERT_EQ(trouble.update({unread}).size(), 1u);
  EXPECT_TRUE(trouble.update({unread}).empty());
  GpuInfo lost = unread;
  lost.error = "GPU is lost";
  auto lines = trouble.update({lost});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("GPU is lost"), std::string::npos);
}

}  // namespace
}  // namespace flowline
