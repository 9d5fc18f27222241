#include "front/app/table_home.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "table/atomic_file.hpp"
#include "store/state_dir_lock.hpp"

namespace flowline {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOwnerFile = "/table";  // in the state dir: the canonical table + "\n"

// `path` taken from `cwd`, without "." / ".." / a trailing "/" (for messages and keys).
std::string in_dir(const std::string& cwd, const std::string& path) {
  fs::path p = fs::path(path).is_relative() ? fs::path(cwd) / path : fs::path(path);
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

Result<std::string> read_small_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{"cannot read " + path + ": " + std::strerror(errno)};
  char buf[8192];
  ssize_t n = ::read(fd, buf, sizeof buf);
  int err = errno;
  ::close(fd);
  if (n < 0) return Error{"cannot read " + path + ": " + std::strerror(err)};
  return std::string(buf, static_cast<size_t>(n));
}

// Whether `dir` can be `table`'s default state directory: new, empty, already the table's,
// or an older FlowLine's (a database, no owner). Anything else there is not ours to take.
bool fits_default(const std::string& dir, const std::string& table) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return errno == ENOENT;
  if (!S_ISDIR(st.st_mode)) return false;
  Result<std::string> owner = state_dir_owner(dir);
  if (!owner.ok() || !owner->empty()) return owner.ok() && *owner == table;
  std::error_code ec;
  return fs::is_empty(dir, ec) || fs::exists(dir + "/flowline.db", ec);
}

// mkdir -p, the last directory private (DESIGN.md §3: state and logs are the owner's only).
Status make_private_dir(const std::string& dir, const char* what) {
  std::error_code ec;
  fs::create_directories(fs::path(dir).parent_path(), ec);
  if (!ec) {
    // chmod after a mkdir of ours: 0700 whatever the umask took from it.
    const bool made = ::mkdir(dir.c_str(), 0700) == 0;
    if ((made && ::chmod(dir.c_str(), 0700) != 0) || (!made && errno != EEXIST))
      ec = std::error_code(errno, std::generic_category());
  }
  if (!ec && !fs::is_directory(dir, ec) && !ec)
    ec = std::make_error_code(std::errc::not_a_directory);
  if (ec) return Error{std::string("cannot create the ") + what + " " + dir + ": " + ec.message()};
  return ok_status();
}

std::string foreign_state_dir(const TableHome& home, const std::string& owner,
                              const std::string& name) {
  return "state directory " + home.state_dir + " belongs to table " + owner + ", not " +
         home.table + "; use another --state-dir (or the default, " + kStateRoot + "/" + name +
         "), or delete " + home.state_dir + " to start over";
}

Status refuse_foreign(const TableHome& home, const std::string& name) {
  Result<std::string> owner = state_dir_owner(home.state_dir);
  if (!owner.ok()) return owner.error();
  if (!owner->empty() && *owner != home.table) return Error{foreign_state_dir(home, *owner, name)};
  return ok_status();
}

// The owner file appears whole or not at all, and only once: link() fails where another
// FlowLine won a race for the same new directory (rename would silently overwrite it).
Status write_owner(const TableHome& home, const std::string& name) {
  std::string path = home.state_dir + kOwnerFile;
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  std::string text = home.table + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error{"cannot write " + tmp + ": " + std::strerror(errno)};
  bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                 ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    return Error{"cannot write " + tmp + ": " + std::strerror(err)};
  }
  if (::link(tmp.c_str(), path.c_str()) == 0 || errno == EEXIST) {
    ::unlink(tmp.c_str());
    return refuse_foreign(home, name);
  }
  // A file system without hard links: the table lock already keeps our own table's
  // FlowLines apart, and a race with another table's is then only unlikely, not impossible.
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    return Error{"cannot write " + path + ": " + std::strerror(err)};
  }
  return ok_status();
}

// Makes the state directory `home.table`'s; true when it was not yet (a new or older one).
Result<bool> claim_state_dir(TableHome& home, const std::string& name) {
  if (Status made = make_private_dir(home.state_dir, "state directory"); !made.ok())
    return made.error();
  Result<std::string> owner = state_dir_owner(home.state_dir);
  if (!owner.ok()) return owner.error();
  if (*owner == home.table) return false;
  if (!owner->empty()) return Error{foreign_state_dir(home, *owner, name)};
  std::error_code ec;
  if (fs::exists(home.state_dir + "/flowline.db", ec)) {
    // An older FlowLine may still be running there, on whatever table: it is not ours yet.
    Result<std::unique_ptr<StateDirLock>> probe = StateDirLock::acquire(home.state_dir);
    if (!probe.ok()) return probe.error();
    home.notes.push_back("state directory " + home.state_dir +
                         " was made by an older FlowLine; it now belongs to table " + home.table);
  }
  if (Status written = write_owner(home, name); !written.ok()) return written.error();
  return true;
}

// What the user should know about a default state directory that was just made.
void note_new_default(TableHome& home, const std::string& name, const std::string& cwd) {
  std::string plain = fs::path(home.table).filename().string();
  if (name != plain) {
    Result<std::string> other = state_dir_owner(cwd + "/" + kStateRoot + "/" + plain);
    home.notes.push_back(std::string(kStateRoot) + "/" + plain + " is taken" +
                         (other.ok() && !other->empty() ? " by table " + *other : "") +
                         ": this table's state is in " + kStateRoot + "/" + name +
                         " and its logs in " + kLogRoot + "/" + name);
  }
  std::error_code ec;
  if (!fs::exists(cwd + "/" + kStateRoot + "/flowline.db", ec)) return;
  home.notes.push_back(
      "an older FlowLine kept its state in .flowline itself; each table now has "
      "its own (this one: .flowline/" +
      name + ").");
  home.notes.back() +=
      " If runs of this table started by that FlowLine are still alive, stop this one and start "
      "it again with --state-dir .flowline to take them back";
}

}  // namespace

Result<std::string> canonical_table(const std::string& table_arg, const std::string& cwd) {
  std::string path = fs::path(table_arg).is_relative() ? cwd + "/" + table_arg : table_arg;
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return Error{"cannot find the table " + table_arg + ": " + std::strerror(errno)};
  std::string out(real);
  std::free(real);
  struct stat st {};
  if (::stat(out.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return Error{"table " + table_arg + " is a directory, not a table file"};
  return out;
}

Result<std::string> state_dir_owner(const std::string& state_dir) {
  std::string path = state_dir + kOwnerFile;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) return std::string();
  Result<std::string> text = read_small_file(path);
  if (!text.ok()) return text.error();
  return text->substr(0, text->find('\n'));
}

std::string default_home_name(const std::string& table, const std::string& cwd) {
  std::string name = fs::path(table).filename().string();
  if (fits_default(cwd + "/" + kStateRoot + "/" + name, table)) return name;
  return name + "-" + stable_hash_hex(table).substr(0, 8);
}

Result<TableHome> claim_table_home(const std::string& table_arg,
                                   const std::optional<std::string>& state_dir_arg,
                                   const std::optional<std::string>& log_dir_arg,
                                   const std::string& cwd,
                                   const std::vector<std::string>& lock_dirs) {
  TableHome home;
  Result<std::string> table = canonical_table(table_arg, cwd);
  if (!table.ok()) return table.error();
  home.table = *table;
  std::string name = default_home_name(home.table, cwd);
  home.state_dir = in_dir(cwd, state_dir_arg.value_or(std::string(kStateRoot) + "/" + name));
  home.log_dir = in_dir(cwd, log_dir_arg.value_or(std::string(kLogRoot) + "/" + name));
  if (Status s = refuse_foreign(home, name); !s.ok()) return s.error();
  Result<std::unique_ptr<TableLock>> lock =
      TableLock::acquire(lock_dirs, home.table, home.state_dir);
  if (!lock.ok()) return lock.error();
  home.lock = std::move(*lock);
  // A FlowLine killed while replacing the table left its temp file beside it; with the lock
  // held, no other FlowLine is writing one.
  (void)remove_leftover_temps(home.table);
  Result<bool> claimed = claim_state_dir(home, name);
  if (!claimed.ok()) return claimed.error();
  if (*claimed && !state_dir_arg) note_new_default(home, name, cwd);
  if (Status made = make_private_dir(home.log_dir, "log directory"); !made.ok())
    return made.error();
  return home;
}

Result<TableHome> claim_table_home(const std::string& table_arg,
                                   const std::optional<std::string>& state_dir_arg,
                                   const std::optional<std::string>& log_dir_arg) {
  std::error_code ec;
  std::string cwd = fs::current_path(ec).string();
  if (ec) return Error{"cannot tell the current directory: " + ec.message()};
  Result<std::vector<std::string>> lock_dirs = table_lock_dirs();
  if (!lock_dirs.ok()) return lock_dirs.error();
  return claim_table_home(table_arg, state_dir_arg, log_dir_arg, cwd, *lock_dirs);
}

}  // namespace flowline
