#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

#include "normalize_text.hpp"
#include "record_problem.hpp"

namespace ajuste::clean_text {

enum class EmptyAction { kDropMessage, kReject };

struct NormalizeStageOptions {
  NormalizeOptions text;
  EmptyAction empty = EmptyAction::kDropMessage;
};

// Per-batch tallies, flushed to the context once per batch (counters are summed by the runner,
// so the totals do not depend on how batches were spread over workers).
struct NormalizeTally {
  std::int64_t nfc_changed = 0;
  std::int64_t controls_removed = 0;
  std::int64_t whitespace_tidied = 0;
  std::int64_t invalid_utf8 = 0;
  std::int64_t empty_messages_dropped = 0;
  std::int64_t records_changed = 0;
  std::int64_t records_without_text = 0;  // no messages, prompt/completion or preference fields

  void add(const NormalizeTally& other);
};

// clean/normalize: NFC, control characters, whitespace, then empty messages, on every text of
// chat, preference and legacy examples (see text_fields.hpp). Rejects: `empty_message` (with
// `empty: reject`, or an empty legacy prompt/completion), `no_message_left` (dropping empty
// messages removed the last user or the last assistant message of a message list).
// Stateless, so `parallel`.
class NormalizeStage final : public RecordStage {
 public:
  [[nodiscard]] static const StageInfo& info();
  explicit NormalizeStage(NormalizeStageOptions options) : options_(options) {}

  [[nodiscard]] Status process(Batch& batch, Context& ctx) override;

  using Problem = RecordProblem;
  // Normalizes one example in place; a problem means the record must be rejected.
  std::optional<Problem> normalize(nlohmann::json& example, NormalizeTally& tally) const;
  // The same for a record held as text: its text is rewritten where a string changed, nothing
  // else of it is touched. Sets `use_tree` (and leaves record and tally as they were) when the
  // result needs the example's structure changed — a message left empty — for `normalize`.
  std::optional<Problem> normalizeHeldAsText(Record& record, NormalizeTally& tally, bool& use_tree) const;

 private:
  const NormalizeStageOptions options_;
};

}  // namespace ajuste::clean_text
