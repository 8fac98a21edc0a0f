#include "assignment.hpp"

#include <algorithm>
#include <numeric>

#include "record_fields.hpp"
#include "selection.hpp"

namespace ajuste::split_random {
namespace {

// T * n_s never fits 64 bits for large inputs; GCC and Clang both have a 128-bit integer.
__extension__ using Wide = unsigned __int128;

}  // namespace

std::optional<std::uint32_t> StratumTable::intern(const std::string* label) {
  std::optional<std::uint32_t>& slot_missing = missing_;
  if (label == nullptr && slot_missing) {
    ++sizes_[*slot_missing];
    return slot_missing;
  }
  if (label != nullptr) {
    if (auto found = ids_.find(*label); found != ids_.end()) {
      ++sizes_[found->second];
      return found->second;
    }
  }
  if (names_.size() >= kMaxStrata) return std::nullopt;
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.push_back(label != nullptr ? *label : std::string(kMissingName));
  sizes_.push_back(1);
  if (label != nullptr) {
    ids_.emplace(*label, id);
  } else {
    slot_missing = id;
  }
  return id;
}

std::optional<std::uint32_t> StratumTable::add(const std::string& label) { return intern(&label); }

std::optional<std::uint32_t> StratumTable::addMissing() { return intern(nullptr); }

std::vector<std::uint64_t> largestRemainderQuotas(const StratumTable& strata, std::uint64_t total_valid) {
  const std::vector<std::uint64_t>& sizes = strata.sizes();
  const std::uint64_t total = std::accumulate(sizes.begin(), sizes.end(), std::uint64_t{0});
  std::vector<std::uint64_t> quotas(sizes.size(), 0);
  std::vector<std::uint64_t> remainders(sizes.size(), 0);
  if (total == 0) return quotas;
  std::uint64_t given = 0;
  for (std::size_t s = 0; s < sizes.size(); ++s) {
    const Wide product = static_cast<Wide>(total_valid) * sizes[s];
    quotas[s] = static_cast<std::uint64_t>(product / total);
    remainders[s] = static_cast<std::uint64_t>(product % total);
    given += quotas[s];
  }
  std::vector<std::uint32_t> order(sizes.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  const auto& names = strata.names();
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
    if (sizes[a] != sizes[b]) return sizes[a] > sizes[b];
    if (strata.isMissing(a) != strata.isMissing(b)) return strata.isMissing(b);
    return names[a] < names[b];
  });
  // The floors fall short of T by less than the number of strata, so one pass suffices.
  for (std::size_t k = 0; given < total_valid && k < order.size(); ++k, ++given) ++quotas[order[k]];
  return quotas;
}

std::vector<bool> stratifiedAssignment(const std::vector<std::uint32_t>& stratum_of, std::uint64_t total,
                                       const StratumTable& strata, const std::vector<std::uint64_t>& quotas,
                                       std::uint64_t seed) {
  std::vector<bool> to_valid(total, false);
  if (stratum_of.empty() || strata.size() <= 1) {
    // The plain split: kept bit for bit as before stratification existed (the pinned test).
    const std::uint64_t wanted = quotas.empty() ? 0 : std::accumulate(quotas.begin(), quotas.end(), std::uint64_t{0});
    SelectionSampler sampler(total, wanted, seed);
    for (std::uint64_t i = 0; i < total; ++i) to_valid[i] = sampler.next();
    return to_valid;
  }
  std::vector<SelectionSampler> samplers;
  samplers.reserve(strata.size());
  for (std::size_t s = 0; s < strata.size(); ++s) {
    samplers.emplace_back(strata.sizes()[s], quotas[s], seed ^ fnv1a64(strata.names()[s]));
  }
  for (std::uint64_t i = 0; i < total; ++i) to_valid[i] = samplers[stratum_of[i]].next();
  return to_valid;
}

GroupedAssignment groupedAssignment(const std::vector<std::uint32_t>& group_of,
                                    const std::vector<std::uint64_t>& group_sizes, std::uint64_t total_valid,
                                    std::uint64_t seed) {
  std::vector<std::uint32_t> order(group_sizes.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  Xoshiro256 rng(seed);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  const std::uint64_t total = group_of.size();
  std::vector<bool> group_valid(group_sizes.size(), false);
  GroupedAssignment out;
  for (const std::uint32_t g : order) {
    if (out.valid_records + group_sizes[g] > total_valid) continue;
    group_valid[g] = true;
    out.valid_records += group_sizes[g];
    ++out.valid_groups;
  }
  if (out.valid_records < total_valid) {
    // Gaps as distances from the target; only groups that overshoot are left to consider.
    std::uint64_t best_gap = total_valid - out.valid_records;
    std::optional<std::uint32_t> best;
    for (const std::uint32_t g : order) {
      if (group_valid[g] || out.valid_records + group_sizes[g] >= total) continue;
      const std::uint64_t gap = out.valid_records + group_sizes[g] - total_valid;
      if (gap < best_gap) {
        best_gap = gap;
        best = g;
      }
    }
    if (best) {
      group_valid[*best] = true;
      out.valid_records += group_sizes[*best];
      ++out.valid_groups;
    }
  }
  out.to_valid.assign(total, false);
  for (std::size_t i = 0; i < total; ++i) out.to_valid[i] = group_valid[group_of[i]];
  return out;
}

}  // namespace ajuste::split_random
