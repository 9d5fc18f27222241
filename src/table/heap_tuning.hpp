#pragma once
// Process-wide malloc settings for a program that loads whole tables into memory.
namespace flowline {

// glibc serves blocks above a moving threshold (128 KiB at start) with mmap and returns them
// on free, so every doubling of a growing row vector maps, faults in and unmaps fresh pages.
// On a VM a page fault costs ~10 µs: for a 100,000-row CSV that was most of the load time
// (docs/benchmarks.md). Keeping large blocks on the heap lets freed ones be reused. Call once,
// first thing in main(); a library must not change its host's allocator.
void tune_heap_for_large_tables();

// Hands the heap's free pages back to the system. With the settings above, the blocks freed
// after a table is loaded (parsed rows, the store's copy) or a large answer is sent stay
// mapped: 40 MB of a 100,000-task FlowLine's RSS that it would never use again. Costs a walk
// of the heap (~1 ms), so call it after such events, not in a loop.
void release_free_heap();

}  // namespace flowline
