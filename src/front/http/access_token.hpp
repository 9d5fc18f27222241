#pragma once
// The HTTP server's access token: 256 random bits, hex, kept in <state-dir>/http-token (mode
// 0600) so that a bookmarked URL survives a restart; `flowline token --rotate` replaces it.
// A running server notices the replacement at its next request (TokenFile::current).
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flowline::http {

std::string token_path(const std::string& state_dir);
// The token in the file, made first when there is none (or it is not a token).
Result<std::string> load_or_create_token(const std::string& state_dir);
// A new token replaces the old one, which stops working at once.
Result<std::string> rotate_token(const std::string& state_dir);
// Compares in time independent of where the strings differ.
bool same_token(std::string_view a, std::string_view b);

// The token in force for a server: re-read when the file changes (a rotation).
class TokenFile {
 public:
  explicit TokenFile(std::string state_dir) : state_dir_(std::move(state_dir)) {}
  Status load();
  std::string current();

 private:
  std::string state_dir_;
  std::mutex mutex_;
  std::string token_;
  long long stamp_ = -1;  // the file's mtime (ns) and inode when last read
  unsigned long inode_ = 0;
};

}  // namespace flowline::http
