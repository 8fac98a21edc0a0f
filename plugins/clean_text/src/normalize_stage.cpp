#include "normalize_stage.hpp"

#include <algorithm>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "json_writer/compact_json.hpp"
#include "record_text/json_view.hpp"
#include "text_fields.hpp"

namespace ajuste::clean_text {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "nfc": {"type": "boolean", "default": true,
            "description": "Compose to Unicode NFC, so that visually identical texts have the same bytes (and tokens)."},
    "remove_controls": {"type": "boolean", "default": true,
            "description": "Remove C0/C1 control characters and DEL; \"\\r\\n\" and \"\\r\" become \"\\n\". Newlines are always kept."},
    "keep_tabs": {"type": "boolean", "default": true,
            "description": "With remove_controls: keep tab characters (false: each tab becomes a space)."},
    "collapse_spaces": {"type": "boolean", "default": true,
            "description": "Turn runs of spaces and tabs inside a line into one space; indentation at the start of a line is kept."},
    "trim": {"type": "boolean", "default": true,
            "description": "Remove whitespace at the start and end of each text, and at the end of each line."},
    "max_blank_lines": {"type": "integer", "minimum": -1, "default": 1,
            "description": "Cut runs of blank lines to this many; -1 keeps them all."},
    "empty": {"type": "string", "enum": ["drop_message", "reject"], "default": "drop_message",
            "description": "A message whose content is empty after cleaning: drop the message, or reject the record (kind empty_message)."}
  }
})json";

Result<std::unique_ptr<Stage>> makeNormalizeStage(const Json& with, Context& /*ctx*/) {
  NormalizeStageOptions options;
  options.text = NormalizeOptions{
      .nfc = with.at("nfc").get<bool>(),
      .remove_controls = with.at("remove_controls").get<bool>(),
      .keep_tabs = with.at("keep_tabs").get<bool>(),
      .collapse_spaces = with.at("collapse_spaces").get<bool>(),
      .trim = with.at("trim").get<bool>(),
      .max_blank_lines = with.at("max_blank_lines").get<int>(),
  };
  options.empty = with.at("empty").get<std::string>() == "reject" ? EmptyAction::kReject : EmptyAction::kDropMessage;
  return std::unique_ptr<Stage>(std::make_unique<NormalizeStage>(options));
}

std::string roleOf(const Json& message) {
  if (!message.is_object()) return {};
  const auto role = message.find("role");
  return role != message.end() && role->is_string() ? role->get<std::string>() : std::string();
}

bool hasRole(const Json& messages, std::string_view role) {
  for (const Json& message : messages) {
    if (roleOf(message) == role) return true;
  }
  return false;
}

bool isEmptyStringContent(const Json& message) {
  if (!message.is_object()) return false;
  const auto content = message.find("content");
  return content != message.end() && content->is_string() && content->get_ref<const std::string&>().empty();
}

}  // namespace

const StageInfo& NormalizeStage::info() {
  static const StageInfo kInfo{
      .name = "clean/normalize",
      .kind = StageKind::kRecords,
      .summary =
          "Normalizes every text of chat, preference and legacy prompt/completion examples: removes control "
          "characters (keeping newlines and, by default, tabs), composes Unicode NFC, collapses runs of spaces, "
          "trims, and limits blank lines. A message left empty is dropped (or, with empty: reject, rejects the "
          "record); a record whose last user or assistant message was dropped is rejected. Counters say what "
          "changed: nfc_changed, controls_removed, whitespace_tidied, empty_messages_dropped, records_changed; "
          "records_without_text counts the records with no text it knows (kept unchanged).",
      .options_schema = std::string(kSchema),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .reads_text = true,
      .keeps_text = true,
      .make = &makeNormalizeStage,
  };
  return kInfo;
}

std::optional<NormalizeStage::Problem> NormalizeStage::normalize(Json& example, NormalizeTally& tally) const {
  bool changed = false;
  const std::vector<TextField> fields = textFields(example);
  // Nothing this stage knows how to clean (no messages, prompt/completion or preference
  // fields): kept as it is, but counted, so a chain without a format check does not pass such
  // records on unnoticed.
  if (fields.empty() && messageLists(example).empty()) ++tally.records_without_text;
  for (const TextField& field : fields) {
    const NormalizeEffects effects = normalizeText(*field.text, options_.text);
    tally.nfc_changed += effects.nfc_changed ? 1 : 0;
    tally.controls_removed += static_cast<std::int64_t>(effects.controls_removed);
    tally.whitespace_tidied += effects.whitespace_tidied ? 1 : 0;
    tally.invalid_utf8 += effects.invalid_utf8 ? 1 : 0;
    changed = changed || effects.changed();
    if (field.text->empty() && (field.path == "prompt" || field.path == "completion")) {
      return Problem{"empty_message", field.path + " is empty after cleaning"};
    }
  }
  if (changed) ++tally.records_changed;

  for (const MessageList& list : messageLists(example)) {
    Json& messages = *list.messages;
    bool any_empty = false;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      if (!isEmptyStringContent(messages[i])) continue;
      if (options_.empty == EmptyAction::kReject) {
        return Problem{"empty_message", list.path + "[" + std::to_string(i) + "].content (" + roleOf(messages[i]) +
                                            ") is empty after cleaning"};
      }
      any_empty = true;
    }
    if (!any_empty) continue;
    const bool had_user = hasRole(messages, "user");
    const bool had_assistant = hasRole(messages, "assistant");
    Json kept = Json::array();
    std::string first_dropped;
    std::int64_t dropped = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      if (isEmptyStringContent(messages[i])) {
        if (first_dropped.empty()) first_dropped = list.path + "[" + std::to_string(i) + "]";
        ++dropped;
      } else {
        kept.push_back(messages[i]);
      }
    }
    // A list that never had the role is validate's business, not a cleaning result.
    for (const auto& [role, had] : {std::pair{"user", had_user}, std::pair{"assistant", had_assistant}}) {
      if (had && !hasRole(kept, role)) {
        return Problem{"no_message_left", list.path + " has no " + std::string(role) +
                                              " message left after dropping empty messages (first dropped: " +
                                              first_dropped + ")"};
      }
    }
    tally.empty_messages_dropped += dropped;
    messages = std::move(kept);
    if (!changed) {
      changed = true;
      ++tally.records_changed;
    }
  }
  return std::nullopt;
}

std::optional<NormalizeStage::Problem> NormalizeStage::normalizeHeldAsText(Record& record, NormalizeTally& tally,
                                                                           bool& use_tree) const {
  const record_text::JsonDocument document(record.text);
  const TextSpans spans = textSpans(document.root());
  NormalizeTally local;
  if (spans.texts.empty() && spans.message_lists == 0) ++local.records_without_text;
  // The changed strings: where their token is in the text, and what replaces it.
  struct Edit {
    std::size_t at;
    std::size_t bytes;
    std::string text;
  };
  std::vector<Edit> edits;
  std::string scratch;
  std::string text;
  for (const TextSpan& span : spans.texts) {
    text.assign(span.token.string(scratch));
    const NormalizeEffects effects = normalizeText(text, options_.text);
    local.nfc_changed += effects.nfc_changed ? 1 : 0;
    local.controls_removed += static_cast<std::int64_t>(effects.controls_removed);
    local.whitespace_tidied += effects.whitespace_tidied ? 1 : 0;
    local.invalid_utf8 += effects.invalid_utf8 ? 1 : 0;
    if (text.empty()) {
      if (span.isMessageContent()) {
        use_tree = true;  // drop the message, or reject naming it and its role: `normalize` does both
        return std::nullopt;
      }
      if (span.message < 0) {
        tally.add(local);
        return Problem{"empty_message", span.path() + " is empty after cleaning"};
      }
    }
    if (!effects.changed()) continue;
    const std::string_view token = span.token.token();
    edits.push_back({static_cast<std::size_t>(token.data() - record.text.data()), token.size(), std::move(text)});
    text = std::string();
  }
  if (edits.empty()) {
    tally.add(local);
    return std::nullopt;
  }
  ++local.records_changed;
  // Texts are found in textFields' order, which need not be the order they are written in.
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at < b.at; });
  std::string rewritten;
  rewritten.reserve(record.text.size() + 16);
  std::size_t copied = 0;
  for (const Edit& edit : edits) {
    rewritten.append(record.text, copied, edit.at - copied);
    if (!json_writer::appendJsonString(edit.text, rewritten)) {
      use_tree = true;  // cannot happen with valid text; the tree path then says what is wrong
      return std::nullopt;
    }
    copied = edit.at + edit.bytes;
  }
  rewritten.append(record.text, copied);
  record.text = std::move(rewritten);
  tally.add(local);
  return std::nullopt;
}

void NormalizeTally::add(const NormalizeTally& other) {
  nfc_changed += other.nfc_changed;
  controls_removed += other.controls_removed;
  whitespace_tidied += other.whitespace_tidied;
  invalid_utf8 += other.invalid_utf8;
  empty_messages_dropped += other.empty_messages_dropped;
  records_changed += other.records_changed;
  records_without_text += other.records_without_text;
}

Status NormalizeStage::process(Batch& batch, Context& ctx) {
  NormalizeTally tally;
  for (Record& record : batch) {
    std::optional<Problem> problem;
    bool use_tree = !isTextOnly(record);
    if (!use_tree) problem = normalizeHeldAsText(record, tally, use_tree);
    if (use_tree) {
      ensureValue(record);
      const std::int64_t changed_before = tally.records_changed;
      problem = normalize(record.value, tally);
      // The stage keeps texts (StageInfo::keeps_text): one it changed the value of is stale.
      if (tally.records_changed != changed_before) record.text.clear();
    }
    if (problem) batch.reject(record, std::move(problem->reason), std::move(problem->kind));
  }
  const std::pair<std::string_view, std::int64_t> counters[] = {
      {"nfc_changed", tally.nfc_changed},
      {"controls_removed", tally.controls_removed},
      {"whitespace_tidied", tally.whitespace_tidied},
      {"invalid_utf8", tally.invalid_utf8},
      {"empty_messages_dropped", tally.empty_messages_dropped},
      {"records_changed", tally.records_changed},
      {"records_without_text", tally.records_without_text},
  };
  for (const auto& [name, value] : counters) {
    if (value != 0) ctx.count(name, value);
  }
  return Status::ok();
}

}  // namespace ajuste::clean_text
