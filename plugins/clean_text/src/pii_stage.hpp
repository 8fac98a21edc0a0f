#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

#include "pii_detect.hpp"
#include "record_problem.hpp"

namespace ajuste::clean_text {

enum class PiiAction { kReject, kRedact, kAllow };

struct PiiPolicy {
  PiiAction action = PiiAction::kRedact;
  std::string placeholder;  // "[EMAIL]"
};

struct PiiOptions {
  std::array<PiiPolicy, kPiiKinds.size()> policy;  // indexed by PiiKind
};

// clean/pii: finds e-mail addresses, phone numbers, payment cards, IP addresses and API keys in
// every text of an example and, per kind, rejects the record, redacts the finding, or allows it.
// A reject reason names the kinds and JSON paths, never the value; a rejected record is redacted
// first, so rejects.jsonl does not carry the PII either. Stateless, so `parallel`.
class PiiStage final : public RecordStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  PiiStage(PiiOptions options, std::unique_ptr<PiiDetector> detector)
      : options_(std::move(options)), detector_(std::move(detector)) {}

  [[nodiscard]] Status process(Batch& batch, Context& ctx) override;
  [[nodiscard]] Status finish(Batch& out, Context& ctx) override;

  struct Tally {
    std::array<std::int64_t, kPiiKinds.size()> found{};
    std::array<std::int64_t, kPiiKinds.size()> redacted{};
  };
  using Problem = RecordProblem;
  // Redacts `example` in place; a problem means a finding's action is reject.
  std::optional<Problem> scrub(nlohmann::json& example, Tally& tally) const;

 private:
  const PiiOptions options_;
  const std::unique_ptr<PiiDetector> detector_;
};

}  // namespace ajuste::clean_text
