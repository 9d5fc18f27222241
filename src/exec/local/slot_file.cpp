#include "exec/local/slot_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace flowline::slot_file {
namespace {

struct Frame {
  uint32_t length;
  uint32_t kind;
  int64_t run_id;
  uint64_t checksum;
};
static_assert(sizeof(Frame) == 24);

// FNV-1a, 64 bits: enough to tell a whole region from a torn or blank one.
uint64_t mix(uint64_t hash, const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  return hash;
}

uint64_t checksum_of(const Frame& frame, std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  hash = mix(hash, &frame.length, sizeof frame.length);
  hash = mix(hash, &frame.kind, sizeof frame.kind);
  hash = mix(hash, &frame.run_id, sizeof frame.run_id);
  return mix(hash, text.data(), text.size());
}

int pwrite_all(int fd, const char* data, size_t size, int64_t offset) {
  while (size > 0) {
    const ssize_t n = pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    data += n;
    size -= static_cast<size_t>(n);
    offset += n;
  }
  return 0;
}

// Puts region `region`'s frame and text at `out` (which has the region's size, zeroed).
bool frame_into(char* out, size_t size, Region region, int64_t run_id, std::string_view text) {
  if (sizeof(Frame) + text.size() > size) return false;
  Frame frame{static_cast<uint32_t>(text.size()), static_cast<uint32_t>(region), run_id, 0};
  frame.checksum = checksum_of(frame, text);
  std::memcpy(out, &frame, sizeof frame);
  if (!text.empty()) std::memcpy(out + sizeof frame, text.data(), text.size());
  return true;
}

int finish_write(int fd, int err, bool sync) {
  if (!err && sync && fdatasync(fd) != 0) err = errno;
  return err;
}

}  // namespace

Span span_of(int64_t slot, Region region) {
  const int64_t base = (slot + 1) * static_cast<int64_t>(kSlotBytes);
  switch (region) {
    case Region::kClaim:
      return {base, 128};
    case Region::kPid:
      return {base + 128, 384};
    case Region::kExit:
      return {base + 512, 512};
  }
  return {base, 0};
}

int write_region(int fd, int64_t slot, Region region, int64_t run_id, std::string_view text,
                 bool sync) {
  const Span span = span_of(slot, region);
  char buf[kSlotBytes] = {};
  if (!frame_into(buf, span.size, region, run_id, text)) return E2BIG;
  return finish_write(fd, pwrite_all(fd, buf, span.size, span.offset), sync);
}

bool read_region(int fd, int64_t slot, Region region, int64_t run_id, RegionText& text) {
  const Span span = span_of(slot, region);
  char buf[kSlotBytes];
  const ssize_t n = pread(fd, buf, span.size, static_cast<off_t>(span.offset));
  if (n < static_cast<ssize_t>(sizeof(Frame))) return false;
  Frame frame;
  std::memcpy(&frame, buf, sizeof frame);
  if (frame.kind != static_cast<uint32_t>(region) || frame.run_id != run_id ||
      frame.length > static_cast<size_t>(n) - sizeof frame)
    return false;
  const std::string_view body(buf + sizeof frame, frame.length);
  if (checksum_of(frame, body) != frame.checksum) return false;
  text << body;
  return !text.overflowed();
}

int64_t claimant(int fd, int64_t slot) {
  const Span span = span_of(slot, Region::kClaim);
  Frame frame;
  if (pread(fd, &frame, sizeof frame, static_cast<off_t>(span.offset)) !=
      static_cast<ssize_t>(sizeof frame))
    return -1;
  if (frame.kind != static_cast<uint32_t>(Region::kClaim) || frame.length != 0 ||
      frame.run_id < 0 || checksum_of(frame, {}) != frame.checksum)
    return -1;
  return frame.run_id;
}

int claim_slot(int fd, int64_t slot, int64_t run_id, bool sync) {
  char buf[kSlotBytes] = {};
  frame_into(buf, span_of(slot, Region::kClaim).size, Region::kClaim, run_id, {});
  return finish_write(fd, pwrite_all(fd, buf, kSlotBytes, span_of(slot, Region::kClaim).offset),
                      sync);
}

int clear_slot(int fd, int64_t slot, bool sync) {
  const char blank[kSlotBytes] = {};
  return finish_write(fd, pwrite_all(fd, blank, kSlotBytes, span_of(slot, Region::kClaim).offset),
                      sync);
}

}  // namespace flowline::slot_file
