#include "table/heap_tuning.hpp"

#include <malloc.h>

namespace flowline {

void tune_heap_for_large_tables() {
  constexpr int kMmapThreshold = 64 << 20;  // only blocks this large get their own mapping
  constexpr int kTopPad = 16 << 20;         // grow the heap in steps of this much, not 128 KiB
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TOP_PAD, kTopPad);
}

void release_free_heap() { malloc_trim(0); }

}  // namespace flowline
