#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stats_common/distribution.hpp"

namespace ajuste::split_random {

// Per-split statistics from the numbers validate/openai leaves in record.meta["openai"]
// ({"tokens", "assistant_tokens", "messages", "billed", "format", "label"?}).
//
// `add` is called once per spilled record, in input order (records without that meta count as
// absent); `assign` once per record in the same order when the split is decided. Memory: 24
// bytes per record plus the distinct labels (up to kMaxLabels). Label counts are reported only
// when the labels look like classes: fewer than one distinct label per 3 labelled records.
// Distributions are stats/openai's (shared code, stats_common): min, max, mean, median/p5/p95 by
// linear interpolation between the nearest ranks (numpy's default, real 5th/95th percentiles)
// and a histogram of at most 20 integer-edged bins.
class SplitStats {
 public:
  static constexpr std::size_t kMaxLabels = 1000;

  void add(const nlohmann::json& meta);
  void assign(bool valid);
  // {"train": {...}, "valid": {...}} or null when no record carried meta["openai"].
  [[nodiscard]] nlohmann::json report() const;

 private:
  struct Entry {
    std::uint32_t tokens = 0;
    std::uint32_t assistant_tokens = 0;
    std::uint32_t messages = 0;
    std::uint32_t billed = 0;  // tokens billed per epoch (the model's limit applied)
    std::uint32_t label = 0;   // 0 = none, else index + 1 into labels_
    bool present = false;      // the record carried meta["openai"]
  };
  struct Side {
    std::vector<std::uint32_t> tokens, assistant_tokens, messages;
    std::uint64_t billed = 0;
    std::map<std::uint32_t, std::uint64_t> labels;
  };

  std::vector<Entry> entries_;
  std::map<std::string, std::uint32_t> label_ids_;
  std::vector<std::string> labels_;
  bool labels_capped_ = false;
  bool chat_like_ = true;  // false for legacy data: no messages distribution
  std::size_t next_ = 0;
  Side train_, valid_;
  bool any_ = false;
};

// OpenAI's default epochs for n training examples: 3, raised to min(25, 100 / n) when n * 3 < 100,
// lowered to max(1, 25000 / n) when n * 3 > 25000 (the same rule as stats/openai, shared code).
using stats_common::autoEpochs;

}  // namespace ajuste::split_random
