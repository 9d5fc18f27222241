#pragma once
// What `flowline --version` says. Defined in the build's generated/version_info.cpp
// (cmake/write_version.cmake).

namespace flowline::cli {

extern const char* const kVersion;    // the project's version, "0.1.0"
extern const char* const kGitCommit;  // "0b5acc8f12c4", "…-modified", or "unknown"

}  // namespace flowline::cli
