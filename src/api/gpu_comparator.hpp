#pragma once
// The C++ API's comparator (the original's user_cmp, returning <0/0/>0) as the engine's
// strict weak ordering of GPUs.
#include <flowline/flowline.hpp>

#include "core/gpu_info.hpp"
#include "core/scheduler.hpp"

namespace flowline {

// The public view of one GPU: the fields the original's GPU_info offers.
api::GpuInfo public_gpu_info(const GpuInfo& gpu);

// a before b iff cmp(a, b) < 0; ties (0) go to the lower index, so the order is total. A
// comparator that throws is treated as a tie.
GpuLess gpu_less_of(api::Comparator cmp);

}  // namespace flowline
