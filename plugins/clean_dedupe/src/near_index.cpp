#include "near_index.hpp"

#include <algorithm>
#include <string>
#include <utility>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ajuste::clean_dedupe {
namespace {

constexpr std::size_t kInitialSlots = 4096;

}  // namespace

NearIndex::NearIndex(MemoryBudget& budget, std::size_t permutations, std::size_t bands)
    : budget_(&budget),
      permutations_(permutations),
      bands_(bands),
      rows_(permutations / bands),
      signatures_(budget, "near-duplicate signatures"),
      refs_(budget, "near-duplicate record references"),
      next_(budget, "near-duplicate band chains") {}

NearIndex::~NearIndex() { budget_->release(table_.size() * sizeof(Slot)); }

std::uint64_t NearIndex::bandKey(const std::uint32_t* signature, std::size_t band) const {
  const std::uint64_t key =
      XXH3_64bits_withSeed(signature + band * rows_, rows_ * sizeof(std::uint32_t), band);
  return key == 0 ? 1 : key;
}

std::size_t NearIndex::findSlot(std::uint64_t key) const {
  const std::size_t mask = table_.size() - 1;
  std::size_t i = static_cast<std::size_t>(key) & mask;
  while (table_[i].key != 0 && table_[i].key != key) i = (i + 1) & mask;
  return i;
}

Status NearIndex::growTable() {
  const std::size_t capacity = table_.empty() ? kInitialSlots : table_.size() * 2;
  if (Status reserved = budget_->reserve(capacity * sizeof(Slot), "the near-duplicate band table for more than " +
                                                                      std::to_string(size()) + " kept records");
      !reserved.isOk()) {
    return reserved;
  }
  std::vector<Slot> old = std::exchange(table_, std::vector<Slot>(capacity));
  for (const Slot& slot : old) {
    if (slot.key != 0) table_[findSlot(slot.key)] = slot;
  }
  budget_->release(old.size() * sizeof(Slot));
  return Status::ok();
}

std::optional<NearIndex::Match> NearIndex::bestMatch(const std::uint32_t* signature, double threshold) {
  if (table_.empty()) return std::nullopt;
  candidates_.clear();
  for (std::size_t band = 0; band < bands_; ++band) {
    const Slot& slot = table_[findSlot(bandKey(signature, band))];
    for (std::uint32_t id = slot.key == 0 ? kNone : slot.head; id != kNone; id = next_[id * bands_ + band]) {
      candidates_.push_back(id);
    }
  }
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  std::optional<Match> best;
  std::size_t best_agree = 0;
  for (const std::uint32_t id : candidates_) {  // ascending ids: the earliest wins ties
    const std::uint32_t* other = signatures_.data() + static_cast<std::size_t>(id) * permutations_;
    std::size_t agree = 0;
    for (std::size_t i = 0; i < permutations_; ++i) agree += signature[i] == other[i] ? 1 : 0;
    const double similarity = static_cast<double>(agree) / static_cast<double>(permutations_);
    if (similarity >= threshold && (!best || agree > best_agree)) {
      best = Match{refs_[id], similarity};
      best_agree = agree;
    }
  }
  return best;
}

Status NearIndex::add(const std::uint32_t* signature, RecordRef ref) {
  if (size() >= kNone) return Status::dataError("clean/dedupe: more than 2^32-1 kept records in near mode");
  if (Status room = signatures_.ensureRoom(permutations_); !room.isOk()) return room;
  if (Status room = refs_.ensureRoom(1); !room.isOk()) return room;
  if (Status room = next_.ensureRoom(bands_); !room.isOk()) return room;
  if (table_.empty() || (used_slots_ + bands_) * 4 > table_.size() * 3) {
    if (Status grown = growTable(); !grown.isOk()) return grown;
  }
  const auto id = static_cast<std::uint32_t>(size());
  for (std::size_t i = 0; i < permutations_; ++i) signatures_.push_back(signature[i]);
  refs_.push_back(ref);
  for (std::size_t band = 0; band < bands_; ++band) {
    const std::uint64_t key = bandKey(signature, band);
    Slot& slot = table_[findSlot(key)];
    if (slot.key == 0) {
      slot.key = key;
      ++used_slots_;
    }
    next_.push_back(slot.head);
    slot.head = id;
  }
  return Status::ok();
}

}  // namespace ajuste::clean_dedupe
