#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ajuste/status.hpp"

#include "memory_budget.hpp"
#include "record_ref.hpp"

namespace ajuste::clean_dedupe {

// 128-bit content hash (XXH3-128 of the normalized key).
struct Hash128 {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  bool operator==(const Hash128&) const = default;
};

// The set of distinct records seen so far: an open-addressing (linear probing) table of
// 24-byte slots {hash, first occurrence}. No text is kept, so memory depends on the number of
// distinct records, not their size. The table doubles at 3/4 load; each doubling reserves
// the new table (the old one is alive while rehashing) from the budget first.
class ExactIndex {
 public:
  static constexpr std::size_t kSlotBytes = 24;

  explicit ExactIndex(MemoryBudget& budget) : budget_(&budget) {}
  ~ExactIndex();
  ExactIndex(const ExactIndex&) = delete;
  ExactIndex& operator=(const ExactIndex&) = delete;

  // The first occurrence of `hash`, or nothing when it is new (then `ref` is recorded).
  // An error when the table cannot grow within the budget.
  [[nodiscard]] Result<std::optional<RecordRef>> findOrInsert(Hash128 hash, RecordRef ref);

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t bytes() const { return slots_.size() * kSlotBytes; }

 private:
  struct Slot {
    Hash128 hash;  // {0, 0} marks an empty slot; real hashes are nudged away from it
    RecordRef ref = 0;
  };
  static_assert(sizeof(Slot) == kSlotBytes);

  [[nodiscard]] Status grow();

  MemoryBudget* budget_;
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace ajuste::clean_dedupe
