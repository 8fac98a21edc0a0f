#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

#include "findings.hpp"
#include "legacy_analysis.hpp"
#include "options.hpp"

namespace ajuste::validate_openai {

// stats/openai: dataset statistics, cost estimate, findings and gates, from the per-record numbers
// validate/openai left in record.meta.openai. Passes every record through unchanged.
//
// Serial on purpose: it aggregates in input order, so the report is identical for any thread
// count and batch size (validate/openai is parallel and keeps no state). Memory per record: three
// uint32 metrics (12 bytes), plus 16 bytes (hash, line) for duplicate detection (plus 4 for DPO);
// distinct system prompts and labels are counted up to a cap.
// `finish` reports "statistics" and "findings", logs warnings, and returns gateFailed when a
// finding is an error (or a warning promoted by fail_on), else budgetExceeded when the estimated
// cost is over max_cost.
class OpenAIStats final : public RecordStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  explicit OpenAIStats(OpenAIOptions options);

  [[nodiscard]] Status process(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status finish(Batch& out, Context& ctx) override;

  // What finish() reports, for tests: {"statistics": ..., "findings": [...]}.
  [[nodiscard]] std::vector<Finding> findings(std::chrono::sys_days today) const;
  [[nodiscard]] nlohmann::json statistics() const;

 private:
  struct Seen {
    std::uint64_t count = 0;
    std::string preview;  // the first 60 bytes of the text, for messages
  };
  struct RecordWarning {
    std::uint64_t count = 0;
    std::vector<std::string> where;  // "source:line" of the first few
  };

  [[nodiscard]] std::uint64_t billedAt(std::uint32_t limit) const;
  [[nodiscard]] std::uint64_t distinctLabels() const { return labels_.size(); }
  [[nodiscard]] std::uint32_t epochs() const;
  void retirement(std::chrono::sys_days today, std::vector<Finding>& out) const;

  const OpenAIOptions options_;
  std::vector<std::uint32_t> messages_;
  std::vector<std::uint32_t> tokens_;
  std::vector<std::uint32_t> assistant_;
  std::vector<std::uint32_t> sequence_;  // DPO only: the longer input + output
  std::vector<std::pair<std::uint64_t, std::uint64_t>> hashes_;  // (record hash, input line)
  std::uint64_t billed_ = 0;
  std::uint64_t over_limit_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t no_system_ = 0;
  std::uint64_t no_user_ = 0;
  std::vector<std::string> no_user_where_;
  std::map<std::uint64_t, Seen> systems_;
  bool systems_capped_ = false;
  std::unordered_map<std::uint64_t, Seen> labels_;
  bool labels_capped_ = false;
  std::map<std::string, RecordWarning> record_warnings_;
  LegacyAnalysis legacy_;
};

}  // namespace ajuste::validate_openai
