#include "exec/local/run_slots.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exec/errno_text.hpp"
#include "exec/local/slot_file.hpp"

namespace flowline {
namespace {

// A new file gets its header, and (durable) its directory entry is made to last.
int write_header(int fd, const std::string& dir, bool durable) {
  char header[slot_file::kSlotBytes] = {};
  std::memcpy(header, slot_file::kMagic.data(), slot_file::kMagic.size());
  if (pwrite(fd, header, sizeof header, 0) != static_cast<ssize_t>(sizeof header))
    return errno ? errno : EIO;
  if (!durable) return 0;
  if (fdatasync(fd) != 0) return errno;
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return errno;
  int err = fsync(dfd) == 0 ? 0 : errno;
  close(dfd);
  return err;
}

}  // namespace

Result<std::unique_ptr<RunSlots>> RunSlots::open(const std::string& runs_root, bool durable) {
  std::string path = runs_root + "/" + slot_file::kFileName;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Error{"cannot open " + path + ": " + errno_text(errno)};
  std::unique_ptr<RunSlots> slots(new RunSlots(path, fd, durable));
  if (Status loaded = slots->load(); !loaded.ok()) return loaded.error();
  return slots;
}

RunSlots::~RunSlots() { close(fd_); }

// Reads the claims a previous FlowLine left: those slots stay held until their runs' ends are
// recorded (by this executor, after adopting them).
Status RunSlots::load() {
  struct stat st{};
  if (fstat(fd_, &st) != 0) return Error{"cannot read " + path_ + ": " + errno_text(errno)};
  if (st.st_size == 0) {
    if (int err = write_header(fd_, path_.substr(0, path_.rfind('/')), durable_))
      return Error{"cannot write " + path_ + ": " + errno_text(err)};
    return ok_status();
  }
  char magic[slot_file::kMagic.size()];
  if (pread(fd_, magic, sizeof magic, 0) != static_cast<ssize_t>(sizeof magic) ||
      std::string_view(magic, sizeof magic) != slot_file::kMagic)
    return Error{path_ +
                 " is not a FlowLine slot file (written by another version?); move it "
                 "away if no run of this state directory is still running"};
  count_ = st.st_size / static_cast<off_t>(slot_file::kSlotBytes) - 1;
  for (int64_t slot = 0; slot < count_; ++slot) {
    const int64_t run_id = slot_file::claimant(fd_, slot);
    if (run_id < 0 || held_.count(run_id)) {
      free_.insert(slot);
    } else {
      held_[run_id] = slot;
      found_held_.insert(run_id);
    }
  }
  return ok_status();
}

Result<int64_t> RunSlots::claim(int64_t run_id) {
  int64_t slot = count_;
  if (auto held = held_.find(run_id); held != held_.end()) {
    slot = held->second;
  } else if (!free_.empty()) {
    slot = *free_.begin();
  }
  if (int err = slot_file::claim_slot(fd_, slot, run_id, false))
    return Error{"cannot claim a record slot for run " + std::to_string(run_id) + " in " + path_ +
                 ": " + errno_text(err)};
  free_.erase(slot);
  held_[run_id] = slot;
  if (slot == count_) ++count_;
  return slot;
}

void RunSlots::release(int64_t run_id) {
  auto held = held_.find(run_id);
  if (held == held_.end()) return;
  // Left claimed if this fails: the slot is then not reused, which costs 1 KiB, not a run.
  if (slot_file::clear_slot(fd_, held->second, false) == 0) free_.insert(held->second);
  held_.erase(held);
}

std::optional<int64_t> RunSlots::slot_of(int64_t run_id) const {
  auto held = held_.find(run_id);
  if (held == held_.end()) return std::nullopt;
  return held->second;
}

std::optional<run_files::PidInfo> RunSlots::read_pid(int64_t run_id) const {
  auto slot = slot_of(run_id);
  slot_file::RegionText text;
  if (!slot || !slot_file::read_region(fd_, *slot, slot_file::Region::kPid, run_id, text))
    return std::nullopt;
  return run_files::parse_pid(text.view());
}

std::optional<RunExit> RunSlots::read_exit(int64_t run_id) const {
  auto slot = slot_of(run_id);
  slot_file::RegionText text;
  if (!slot || !slot_file::read_region(fd_, *slot, slot_file::Region::kExit, run_id, text))
    return std::nullopt;
  auto exit = run_files::parse_exit(text.view());
  if (exit) exit->run_id = run_id;
  return exit;
}

std::string RunSlots::handle(int64_t slot) const { return path_ + "#" + std::to_string(slot); }

bool RunSlots::is_handle(std::string_view run_dir) {
  const size_t hash = run_dir.rfind('#');
  if (hash == std::string_view::npos || hash + 1 == run_dir.size()) return false;
  for (char c : run_dir.substr(hash + 1))
    if (c < '0' || c > '9') return false;
  const std::string_view file = run_dir.substr(0, hash);
  const size_t slash = file.rfind('/');
  return file.substr(slash == std::string_view::npos ? 0 : slash + 1) == slot_file::kFileName;
}

}  // namespace flowline
