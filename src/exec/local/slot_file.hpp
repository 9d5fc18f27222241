#pragma once
// The run records of one runs directory, in one file of fixed slots (RUNS/slots) instead of a
// directory, a pid file and an exit record per run (issue 14 item 7). Creating and deleting
// three inodes per run made ext4 scan its recently deleted inodes on every file it created
// afterwards (`__ext4_new_inode` → `recently_deleted`): over half of FlowLine's CPU time for
// short runs. A slot is reused in place, so a run creates no file but its two logs.
//
// Layout: a header of kSlotBytes ("flowline-slots 1\n"), then slot k at (k + 1) * kSlotBytes,
// with three regions, each written whole by one pwrite:
//   claim  the run that holds the slot, written by the executor before the start, blanked
//          when the run's end is recorded in the store (the slot is then free)
//   pid    the supervisor's pid and start time, written by the supervisor before the command
//   exit   how the run ended, written by the supervisor after every process of it ended
// Each region is framed by its length, its kind, its run id and a checksum over all of them:
// a torn write (power loss) or a region of another run reads as absent, never as wrong.
// The claim write covers the whole slot, so the exit record's space is allocated when the
// run starts and its write needs none (a disk that filled up meanwhile still takes it).
// Shared by the supervisor, which may not allocate: nothing here touches the heap.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exec/local/fixed_text.hpp"

namespace flowline::slot_file {

inline constexpr const char* kFileName = "slots";
inline constexpr size_t kSlotBytes = 1024;
inline constexpr std::string_view kMagic = "flowline-slots 1\n";

enum class Region : uint32_t { kClaim = 1, kPid = 2, kExit = 3 };

// Room for a region's text (its frame takes the rest).
using RegionText = FixedText<480>;

// Offset and size of a region of slot `slot` in the file.
struct Span {
  int64_t offset;
  size_t size;
};
Span span_of(int64_t slot, Region region);

// Writes `text` as region `region` of `slot`, held by `run_id`; with `sync`, fdatasync after.
// Returns 0 or an errno (E2BIG for text longer than the region holds).
int write_region(int fd, int64_t slot, Region region, int64_t run_id, std::string_view text,
                 bool sync);

// Reads region `region` of `slot` if it is whole and belongs to `run_id`; false otherwise.
bool read_region(int fd, int64_t slot, Region region, int64_t run_id, RegionText& text);

// The run holding `slot` (its claim region), or -1 when the slot is free or unreadable.
int64_t claimant(int fd, int64_t slot);

// Writes the whole slot: a claim by `run_id` and blank pid and exit regions. Returns 0 or an
// errno (ENOSPC when a new slot finds the disk full).
int claim_slot(int fd, int64_t slot, int64_t run_id, bool sync);

// Blanks a whole slot: it is free, and the space of its records stays allocated.
int clear_slot(int fd, int64_t slot, bool sync);

}  // namespace flowline::slot_file
