#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"

#include "memory_budget.hpp"
#include "record_ref.hpp"

namespace ajuste::clean_dedupe {

// Duplicate clusters: a kept record plus every record rejected as its (exact or near)
// duplicate. Only clusters with duplicates take memory (about 64 bytes each, charged to the
// budget); the report names a cluster by its first record's source:line, never its text.
class ClusterStats {
 public:
  static constexpr std::size_t kClusterBytes = 64;

  explicit ClusterStats(MemoryBudget& budget) : budget_(&budget) {}
  ~ClusterStats() { budget_->release(sizes_.size() * kClusterBytes); }
  ClusterStats(const ClusterStats&) = delete;
  ClusterStats& operator=(const ClusterStats&) = delete;

  [[nodiscard]] Status addDuplicate(RecordRef first);

  [[nodiscard]] std::size_t clusters() const { return sizes_.size(); }
  // The `limit` largest clusters, largest first, ties by input order of their first record:
  // [{"first": "data.jsonl:25", "size": 3}, ...].
  [[nodiscard]] nlohmann::json largest(std::size_t limit, const RecordRefs& refs) const;

 private:
  MemoryBudget* budget_;
  std::unordered_map<RecordRef, std::uint64_t> sizes_;  // first record -> records in the cluster
};

}  // namespace ajuste::clean_dedupe
