#pragma once
// Helpers for table tests: a private temp directory and whole-file I/O.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/table_model.hpp"
#include "support/temp_dir.hpp"

namespace flowline::testing {

inline void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  if (!out) std::abort();
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string fixture(const std::string& relative) {
  return std::string(FLOWLINE_SOURCE_DIR) + "/tests/fixtures/" + relative;
}

// Runs a shell command, returning its exit status and stdout.
inline std::pair<int, std::string> run_command(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The table's rows as strings, blanks as "<blank>", for compact assertions.
// LibreOffice converts `inputs` (space-separated paths) to UTF-8 CSV in `outdir`, with a
// profile of its own (`profile_name` under the build dir), so that tests may run it at once.
inline std::pair<int, std::string> soffice_to_csv(const std::string& profile_name,
                                                  const std::string& outdir,
                                                  const std::string& inputs) {
  const std::string profile = std::string(FLOWLINE_BINARY_DIR) + "/" + profile_name;
  return run_command("soffice -env:UserInstallation=file://" + profile +
                     " --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' "
                     "--outdir " + outdir + inputs + " 2>&1");
}

inline std::vector<std::vector<std::string>> cells(const RawTable& table) {
  std::vector<std::vector<std::string>> out;
  for (const auto& row : table.rows) {
    std::vector<std::string> r;
    for (const auto& cell : row) r.push_back(cell ? *cell : "<blank>");
    out.push_back(std::move(r));
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;
using Strings = std::vector<std::string>;

}  // namespace flowline::testing
