#include "core/identity_index.hpp"

namespace flowline {

// Identities are digests: their low bits are already evenly spread, so they index directly.
size_t IdentityIndex::slot_of(const TaskIdentity& identity) const {
  const size_t mask = ids_.size() - 1;
  size_t slot = static_cast<size_t>(identity.lo ^ identity.hi) & mask;
  while (ids_[slot] != kEmpty && !(identities_[slot] == identity)) slot = (slot + 1) & mask;
  return slot;
}

std::optional<int64_t> IdentityIndex::find(const TaskIdentity& identity) const {
  if (ids_.empty()) return std::nullopt;
  const size_t slot = slot_of(identity);
  if (ids_[slot] == kEmpty) return std::nullopt;
  return ids_[slot];
}

void IdentityIndex::set(const TaskIdentity& identity, int64_t id) {
  auto [held, fresh] = try_emplace(identity, id);
  if (!fresh && held != id) ids_[slot_of(identity)] = id;
}

std::pair<int64_t, bool> IdentityIndex::try_emplace(const TaskIdentity& identity, int64_t id) {
  // At most 7/8 full: probes stay short, and 100,000 tasks fit in 131,072 slots.
  if ((used_ + 1) * 8 > ids_.size() * 7) grow();
  const size_t slot = slot_of(identity);
  if (ids_[slot] != kEmpty) return {ids_[slot], false};
  identities_[slot] = identity;
  ids_[slot] = id;
  ++used_;
  return {id, true};
}

void IdentityIndex::grow() {
  std::vector<TaskIdentity> identities = std::move(identities_);
  std::vector<int64_t> ids = std::move(ids_);
  const size_t slots = ids.empty() ? 1024 : ids.size() * 2;
  identities_.assign(slots, TaskIdentity{});
  ids_.assign(slots, kEmpty);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == kEmpty) continue;
    const size_t slot = slot_of(identities[i]);
    identities_[slot] = identities[i];
    ids_[slot] = ids[i];
  }
}

}  // namespace flowline
