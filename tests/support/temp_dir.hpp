#pragma once
// A temporary directory for one test, removed with everything in it at destruction.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace flowline::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "flowline-test-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();  // no temp dir: nothing can run
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string operator/(const std::string& name) const { return file(name); }

 private:
  std::string path_;
};

}  // namespace flowline::testing
