#include "front/http/access_token.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace flowline::http {
namespace {

constexpr size_t kTokenBytes = 32;  // 256 bits

Result<std::string> random_token() {
  unsigned char bytes[kTokenBytes];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return internal_error(std::string("cannot make a random token: ") + strerror(errno));
    got += static_cast<size_t>(n);
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool looks_like_token(const std::string& text) {
  if (text.size() != 2 * kTokenBytes) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::optional<std::string> read_token(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (n <= 0) return std::nullopt;
  std::string text(buf, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!looks_like_token(text)) return std::nullopt;
  return text;
}

// Written to a temp file created 0600 and renamed over: never readable by others, even for
// a moment, and never half written.
Status write_token(const std::string& path, const std::string& token) {
  const std::string temp = path + ".new";
  unlink(temp.c_str());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return internal_error("cannot write " + temp + ": " + strerror(errno));
  const std::string line = token + "\n";
  bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = fsync(fd) == 0 && ok;
  close(fd);
  if (!ok || rename(temp.c_str(), path.c_str()) != 0) {
    unlink(temp.c_str());
    return internal_error("cannot write " + path + ": " + strerror(errno));
  }
  return ok_status();
}

}  // namespace

std::string token_path(const std::string& state_dir) { return state_dir + "/http-token"; }

Result<std::string> load_or_create_token(const std::string& state_dir) {
  const std::string path = token_path(state_dir);
  if (auto token = read_token(path)) {
    chmod(path.c_str(), 0600);  // a copy restored with looser bits is tightened
    return *token;
  }
  return rotate_token(state_dir);
}

Result<std::string> rotate_token(const std::string& state_dir) {
  Result<std::string> token = random_token();
  if (!token.ok()) return token;
  if (Status s = write_token(token_path(state_dir), *token); !s.ok()) return s.error();
  return token;
}

bool same_token(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = a.size();
  for (size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

Status TokenFile::load() {
  Result<std::string> token = load_or_create_token(state_dir_);
  if (!token.ok()) return token.error();
  std::lock_guard lock(mutex_);
  token_ = *token;
  struct stat st {};
  if (stat(token_path(state_dir_).c_str(), &st) == 0) {
    stamp_ = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
    inode_ = st.st_ino;
  }
  return ok_status();
}

std::string TokenFile::current() {
  struct stat st {};
  std::lock_guard lock(mutex_);
  if (stat(token_path(state_dir_).c_str(), &st) == 0) {
    const long long stamp = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
    if (stamp != stamp_ || st.st_ino != inode_) {
      if (auto token = read_token(token_path(state_dir_))) token_ = *token;
      stamp_ = stamp;
      inode_ = st.st_ino;
    }
  }
  return token_;
}

}  // namespace flowline::http
