#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ajuste::split_random {

// Labels (stratify_by values) interned to compact ids, so a record costs 4 bytes, not its label.
class StratumTable {
 public:
  // A class label has few values; more than this means stratify_by points at free text (and the
  // names would cost memory that grows with the input).
  static constexpr std::size_t kMaxStrata = 1000;
  static constexpr const char* kMissingName = "(missing)";

  // The id of `label`, counting one more record; nullopt when a new label would pass kMaxStrata.
  [[nodiscard]] std::optional<std::uint32_t> add(const std::string& label);
  // The own stratum of the records without a label (missing_label: own_stratum).
  [[nodiscard]] std::optional<std::uint32_t> addMissing();

  [[nodiscard]] std::size_t size() const { return names_.size(); }
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  [[nodiscard]] const std::vector<std::uint64_t>& sizes() const { return sizes_; }
  // Byte-order rank for the quota tie-break; the missing stratum sorts after every label.
  [[nodiscard]] bool isMissing(std::uint32_t id) const { return missing_ && *missing_ == id; }

 private:
  std::optional<std::uint32_t> intern(const std::string* label);

  std::unordered_map<std::string, std::uint32_t> ids_;
  std::optional<std::uint32_t> missing_;
  std::vector<std::string> names_;
  std::vector<std::uint64_t> sizes_;
};

// Per-stratum validation quotas summing to exactly `total_valid` (Hamilton's largest remainder):
// each stratum s of n_s records first gets floor(T * n_s / N) (exact integer arithmetic), then the
// strata with the largest remainders (T * n_s mod N) get one more each until the sum is T. Ties go
// to the larger stratum, then to the first label in byte order.
[[nodiscard]] std::vector<std::uint64_t> largestRemainderQuotas(const StratumTable& strata, std::uint64_t total_valid);

// Which records go to validation, record by record in input order. With one stratum (or none:
// `stratum_of` empty), a single selection sampler seeded with `seed` walks all records, the
// plain split. With several, stratum s has its own sampler choosing quotas[s] of its records,
// seeded with seed XOR fnv1a64(label).
[[nodiscard]] std::vector<bool> stratifiedAssignment(const std::vector<std::uint32_t>& stratum_of,
                                                     std::uint64_t total, const StratumTable& strata,
                                                     const std::vector<std::uint64_t>& quotas, std::uint64_t seed);

struct GroupedAssignment {
  std::vector<bool> to_valid;    // per record, in input order
  std::uint64_t valid_records = 0;
  std::uint64_t valid_groups = 0;
};

// Whole groups to one side, as close to `total_valid` records as whole groups allow. The
// groups are shuffled by `seed` (Fisher-Yates with our PRNG); pass 1 takes, in that order, every
// group that still fits in `total_valid`; if that falls short, pass 2 takes the one remaining
// group (the first in the shuffled order among equals) that brings the count closest to
// `total_valid`, when that is strictly closer and leaves the training side at least one record.
[[nodiscard]] GroupedAssignment groupedAssignment(const std::vector<std::uint32_t>& group_of,
                                                  const std::vector<std::uint64_t>& group_sizes,
                                                  std::uint64_t total_valid, std::uint64_t seed);

}  // namespace ajuste::split_random
