#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ajuste/status.hpp"

#include "budgeted_vector.hpp"
#include "memory_budget.hpp"
#include "record_ref.hpp"

namespace ajuste::clean_dedupe {

// MinHash signatures of the kept records, with LSH banding to find candidates: the signature
// is cut into `bands` bands of permutations/bands values; two records sharing any band are
// candidates, and a candidate counts only when its full signature agrees with the query's on
// at least `threshold` of the positions (the estimated Jaccard similarity).
//
// Memory per kept record: the signature (4 bytes × permutations), its ref (8), a chain link
// per band (4 × bands), and per band one 16-byte slot of the band table at ≤ 3/4 load
// (≤ 2 × 16 × bands after a doubling). Defaults (128, 32): 512 + 8 + 128 + 683..1024 ≈
// 1.3–1.7 KB.
class NearIndex {
 public:
  struct Match {
    RecordRef ref = 0;
    double similarity = 0;
  };

  NearIndex(MemoryBudget& budget, std::size_t permutations, std::size_t bands);
  ~NearIndex();
  NearIndex(const NearIndex&) = delete;
  NearIndex& operator=(const NearIndex&) = delete;

  // The most similar kept record at or above `threshold` (ties: the earliest), if any.
  [[nodiscard]] std::optional<Match> bestMatch(const std::uint32_t* signature, double threshold);
  // Keeps `signature` as the record `ref`'s.
  [[nodiscard]] Status add(const std::uint32_t* signature, RecordRef ref);

  [[nodiscard]] std::size_t size() const { return refs_.size(); }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  struct Slot {
    std::uint64_t key = 0;  // 0 = empty; real keys are nudged away from it
    std::uint32_t head = kNone;  // the latest kept record with this band key
    std::uint32_t unused = 0;
  };

  [[nodiscard]] std::uint64_t bandKey(const std::uint32_t* signature, std::size_t band) const;
  [[nodiscard]] std::size_t findSlot(std::uint64_t key) const;
  [[nodiscard]] Status growTable();

  MemoryBudget* budget_;
  std::size_t permutations_;
  std::size_t bands_;
  std::size_t rows_;
  BudgetedVector<std::uint32_t> signatures_;
  BudgetedVector<RecordRef> refs_;
  BudgetedVector<std::uint32_t> next_;  // next_[record * bands + band]: the previous record in that chain
  std::vector<Slot> table_;
  std::size_t used_slots_ = 0;
  std::vector<std::uint32_t> candidates_;  // scratch
};

}  // namespace ajuste::clean_dedupe
