#pragma once
// Places where FlowLine may be killed on purpose, so that the chaos suite (tests/chaos) can
// prove that a crash at the worst moment loses and repeats nothing: between writing a table's
// new version and renaming it over the old one, inside a database transaction before COMMIT.
// A random `kill -9` lands there too rarely to be tested.
//
// FLOWLINE_CRASH_AT=NAME:N kills the process with SIGKILL the N-th time it reaches the point
// NAME (N = 1 when left out). Without the variable a crash point costs one load of a flag.
namespace flowline {

// The points, as FLOWLINE_CRASH_AT names them.
inline constexpr const char* kCrashTableReplace = "table-replace";   // temp written, not renamed
inline constexpr const char* kCrashStoreCommit = "store-commit";     // transaction not committed

void crash_point(const char* name);

}  // namespace flowline
