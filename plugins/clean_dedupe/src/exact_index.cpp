#include "exact_index.hpp"

#include <string>
#include <utility>

namespace ajuste::clean_dedupe {
namespace {

constexpr std::size_t kInitialSlots = 1024;

}  // namespace

ExactIndex::~ExactIndex() { budget_->release(bytes()); }

Status ExactIndex::grow() {
  const std::size_t capacity = slots_.empty() ? kInitialSlots : slots_.size() * 2;
  if (Status reserved = budget_->reserve(capacity * kSlotBytes,
                                         "the exact-duplicate table for more than " + std::to_string(size_) +
                                             " distinct records");
      !reserved.isOk()) {
    return reserved;
  }
  std::vector<Slot> grown(capacity);
  const std::size_t mask = capacity - 1;
  for (const Slot& slot : slots_) {
    if (slot.hash == Hash128{}) continue;
    std::size_t i = static_cast<std::size_t>(slot.hash.low) & mask;
    while (grown[i].hash != Hash128{}) i = (i + 1) & mask;
    grown[i] = slot;
  }
  budget_->release(bytes());
  slots_ = std::move(grown);
  return Status::ok();
}

Result<std::optional<RecordRef>> ExactIndex::findOrInsert(Hash128 hash, RecordRef ref) {
  if (hash == Hash128{}) hash.high = 1;
  if ((size_ + 1) * 4 > slots_.size() * 3) {
    if (Status grown = grow(); !grown.isOk()) return grown;
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash.low) & mask;
  while (slots_[i].hash != Hash128{}) {
    if (slots_[i].hash == hash) return std::optional<RecordRef>{slots_[i].ref};
    i = (i + 1) & mask;
  }
  slots_[i] = Slot{hash, ref};
  ++size_;
  return std::optional<RecordRef>{};
}

}  // namespace ajuste::clean_dedupe
