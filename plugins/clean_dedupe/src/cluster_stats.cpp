#include "cluster_stats.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace ajuste::clean_dedupe {

Status ClusterStats::addDuplicate(RecordRef first) {
  const auto it = sizes_.find(first);
  if (it != sizes_.end()) {
    ++it->second;
    return Status::ok();
  }
  if (Status reserved = budget_->reserve(kClusterBytes, "the duplicate cluster counts"); !reserved.isOk()) {
    return reserved;
  }
  sizes_.emplace(first, 2);
  return Status::ok();
}

nlohmann::json ClusterStats::largest(std::size_t limit, const RecordRefs& refs) const {
  std::vector<std::pair<RecordRef, std::uint64_t>> all(sizes_.begin(), sizes_.end());
  const auto bigger = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const std::size_t count = std::min(limit, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(), bigger);
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back({{"first", refs.describe(all[i].first)}, {"size", all[i].second}});
  }
  return out;
}

}  // namespace ajuste::clean_dedupe
