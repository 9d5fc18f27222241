#include "front/app/table_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace flowline {
namespace {

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// `dir` exists (made 0700 if it did not), is a directory of ours, and no one else may write
// in it. lstat, not stat: a symlink planted by another user must not lead us elsewhere.
Status private_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Error{"cannot create " + dir + ": " + std::strerror(errno)};
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return Error{dir + ": " + std::strerror(errno)};
  if (!S_ISDIR(st.st_mode)) return Error{dir + " is not a directory"};
  if (st.st_uid != ::geteuid())
    return Error{dir + " is owned by uid " + std::to_string(st.st_uid) + ", not by you"};
  if ((st.st_mode & 022) != 0)
    return Error{dir + " is writable by others (mode " + octal_mode(st.st_mode) + ")"};
  return ok_status();
}

// $XDG_RUNTIME_DIR/flowline, when the variable names a directory of ours.
std::optional<std::string> xdg_lock_dir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (!xdg || xdg[0] != '/') return std::nullopt;
  struct stat st {};
  if (::stat(xdg, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
    return std::nullopt;  // e.g. inherited through `su`: another user's
  return std::string(xdg) + "/flowline";
}

std::string lock_path(const std::string& dir, const std::string& table) {
  return dir + "/" + stable_hash_hex(table) + ".lock";
}

TableLockHolder read_holder(int fd) {
  char buf[8192];
  ssize_t n = ::pread(fd, buf, sizeof buf, 0);
  std::string text = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  std::string lines[3];
  size_t start = 0;
  for (std::string& line : lines) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    line = text.substr(start, end - start);
    start = end + 1;
  }
  return {lines[0], lines[1], lines[2]};
}

std::string refusal(const std::string& table, const TableLockHolder& holder) {
  std::string who = holder.pid.empty() ? "another FlowLine" : "FlowLine pid " + holder.pid;
  std::string where = holder.state_dir.empty() ? "" : " (state directory " + holder.state_dir + ")";
  return "table " + table + " is already being run by " + who + where +
         "; stop it (flowline ctl --table " + table + " stop) or wait for it to end";
}

// An exclusive lock on the file at `path`, which its holder removes when it lets go: a lock
// won on a file that is no longer at `path` is worth nothing, so try again.
Result<int> lock_file(const std::string& path, const std::string& table) {
  for (;;) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return Error{"cannot open the table lock " + path + ": " + std::strerror(errno)};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      TableLockHolder holder = read_holder(fd);
      ::close(fd);
      if (err != EWOULDBLOCK) return Error{"cannot lock " + path + ": " + std::strerror(err)};
      return Error{refusal(table, holder)};
    }
    struct stat locked {
    }, now{};
    if (::fstat(fd, &locked) == 0 && ::lstat(path.c_str(), &now) == 0 &&
        locked.st_dev == now.st_dev && locked.st_ino == now.st_ino)
      return fd;
    ::close(fd);
  }
}

}  // namespace

std::string stable_hash_hex(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a offset basis and prime
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

Result<std::vector<std::string>> table_lock_dirs() {
  std::vector<std::string> dirs;
  std::string why;
  if (std::optional<std::string> xdg = xdg_lock_dir()) {
    Status usable = private_dir(*xdg);
    if (usable.ok())
      dirs.push_back(*xdg);
    else
      why = usable.error().message + "; ";
  }
  std::string tmp = "/tmp/flowline-" + std::to_string(::geteuid());
  Status usable = private_dir(tmp);
  if (usable.ok())
    dirs.push_back(tmp);
  else
    why += usable.error().message;
  if (dirs.empty())
    return Error{"nowhere safe to keep the lock that allows one FlowLine per table: " + why +
                 " (remove it, or set XDG_RUNTIME_DIR to a directory of yours)"};
  return dirs;
}

Result<std::unique_ptr<TableLock>> TableLock::acquire(const std::vector<std::string>& dirs,
                                                      const std::string& table,
                                                      const std::string& state_dir) {
  std::unique_ptr<TableLock> lock(new TableLock);  // lets go of what it took on every return
  for (const std::string& dir : dirs) {
    std::string path = lock_path(dir, table);
    Result<int> fd = lock_file(path, table);
    if (!fd.ok()) return fd.error();
    lock->held_.push_back({*fd, path});
  }
  std::string text = std::to_string(::getpid()) + "\n" + state_dir + "\n" + table + "\n";
  for (const Held& held : lock->held_) {
    if (::ftruncate(held.fd, 0) != 0 ||
        ::pwrite(held.fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
      return Error{"cannot write the table lock " + held.path + ": " + std::strerror(errno)};
  }
  return lock;
}

TableLock::~TableLock() {
  for (const Held& held : held_) {
    // Removed while still locked: whoever opened it meanwhile finds, once they have the
    // lock, that it is no longer the file at its path (see lock_file), and takes that one.
    ::unlink(held.path.c_str());
    ::close(held.fd);
  }
}

std::optional<TableLockHolder> table_lock_holder(const std::vector<std::string>& dirs,
                                                 const std::string& table) {
  for (const std::string& dir : dirs) {
    int fd = ::open(lock_path(dir, table).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    // A shared lock we can take means no FlowLine holds it (dropped again at close).
    bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    std::optional<TableLockHolder> holder;
    if (held) holder = read_holder(fd);
    ::close(fd);
    if (holder) return holder;
  }
  return std::nullopt;
}

}  // namespace flowline
