#include "pii_stage.hpp"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "text_fields.hpp"

namespace ajuste::clean_text {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "$defs": {
    "action": {"type": "string", "enum": ["reject", "redact", "allow"]}
  },
  "properties": {
    "secret": {"$ref": "#/$defs/action", "default": "reject", "description": "API keys and tokens: sk-..., sk-proj-..., AKIA..., ghp_..., github_pat_..., xox?-..., AIza..., Bearer <token>."},
    "email":  {"$ref": "#/$defs/action", "default": "redact", "description": "E-mail addresses."},
    "card":   {"$ref": "#/$defs/action", "default": "reject", "description": "Payment card numbers (13-19 digits, known issuer prefix, valid Luhn checksum)."},
    "ipv6":   {"$ref": "#/$defs/action", "default": "redact", "description": "IPv6 addresses."},
    "ipv4":   {"$ref": "#/$defs/action", "default": "redact", "description": "IPv4 addresses (each octet 0-255)."},
    "phone":  {"$ref": "#/$defs/action", "default": "redact", "description": "Phone numbers: +CC international (8-15 digits), 00-prefixed, or national numbers of 10-11 digits written in groups."},
    "placeholders": {
      "type": "object",
      "additionalProperties": false,
      "description": "Replacement text per kind for redact.",
      "properties": {
        "secret": {"type": "string", "default": "[SECRET]"},
        "email":  {"type": "string", "default": "[EMAIL]"},
        "card":   {"type": "string", "default": "[CARD]"},
        "ipv6":   {"type": "string", "default": "[IP_ADDRESS]"},
        "ipv4":   {"type": "string", "default": "[IP_ADDRESS]"},
        "phone":  {"type": "string", "default": "[PHONE]"}
      },
      "default": {}
    }
  }
})json";

std::string defaultPlaceholder(PiiKind kind) {
  switch (kind) {
    case PiiKind::kSecret: return "[SECRET]";
    case PiiKind::kEmail: return "[EMAIL]";
    case PiiKind::kCard: return "[CARD]";
    case PiiKind::kIpv6:
    case PiiKind::kIpv4: return "[IP_ADDRESS]";
    case PiiKind::kPhone: return "[PHONE]";
  }
  return "[PII]";
}

Result<std::unique_ptr<Stage>> makePiiStage(const Json& with, Context& /*ctx*/) {
  PiiOptions options;
  const Json placeholders = with.value("placeholders", Json::object());
  for (const PiiKind kind : kPiiKinds) {
    const std::string name(toString(kind));
    const std::string action = with.at(name).get<std::string>();
    PiiPolicy& policy = options.policy[static_cast<std::size_t>(kind)];
    policy.action = action == "reject" ? PiiAction::kReject : action == "allow" ? PiiAction::kAllow : PiiAction::kRedact;
    policy.placeholder = placeholders.value(name, defaultPlaceholder(kind));
  }
  auto detector = PiiDetector::make();
  if (!detector.ok()) return detector.error();
  return std::unique_ptr<Stage>(std::make_unique<PiiStage>(std::move(options), std::move(detector.value())));
}

// Replaces the spans from the last to the first, so earlier offsets stay valid.
void redact(std::string& text, const std::vector<PiiSpan>& spans, const std::vector<std::string>& replacements) {
  for (std::size_t i = spans.size(); i-- > 0;) {
    text.replace(spans[i].redact_begin, spans[i].redact_end - spans[i].redact_begin, replacements[i]);
  }
}

}  // namespace

const StageInfo& PiiStage::info() {
  static const StageInfo kInfo{
      .name = "clean/pii",
      .kind = StageKind::kRecords,
      .summary =
          "Finds personal data and secrets in every text of chat, preference and legacy examples: API keys "
          "(sk-, sk-proj-, AKIA, ghp_, Bearer tokens...), e-mail addresses, payment cards (issuer prefix and Luhn "
          "checked), IPv6 and IPv4 addresses, phone numbers (international and grouped national formats). Per "
          "kind: reject the record, redact the finding with a placeholder ([EMAIL], [PHONE], ...), or allow it. "
          "Reasons name the kind and JSON path, never the value. Counters: <kind>_found, <kind>_redacted.",
      .options_schema = std::string(kSchema),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .make = &makePiiStage,
  };
  return kInfo;
}

std::optional<PiiStage::Problem> PiiStage::scrub(Json& example, Tally& tally) const {
  std::string reject_kind;
  std::vector<std::string> reject_where;  // "card at messages[1].content", each once
  std::size_t rejecting = 0;
  bool limit_hit = false;
  std::string limit_path;
  for (const TextField& field : textFields(example)) {
    bool field_limit = false;
    std::vector<PiiSpan> spans = detector_->find(*field.text, field_limit);
    if (field_limit && limit_path.empty()) limit_path = field.path;
    limit_hit = limit_hit || field_limit;
    std::vector<PiiSpan> to_redact;
    std::vector<std::string> replacements;
    for (const PiiSpan& span : spans) {
      const auto index = static_cast<std::size_t>(span.kind);
      const PiiPolicy& policy = options_.policy[index];
      ++tally.found[index];
      if (policy.action == PiiAction::kAllow) continue;
      if (policy.action == PiiAction::kReject) {
        if (rejecting++ == 0) reject_kind = std::string(toString(span.kind));
        const std::string finding = std::string(toString(span.kind)) + " at " + field.path;
        if (std::find(reject_where.begin(), reject_where.end(), finding) == reject_where.end()) {
          reject_where.push_back(finding);
        }
      } else {
        ++tally.redacted[index];
      }
      // Rejected findings are redacted too: rejects.jsonl must not become the place the PII leaks to.
      to_redact.push_back(span);
      replacements.push_back(policy.placeholder);
    }
    redact(*field.text, to_redact, replacements);
  }
  if (rejecting > 0) {
    std::string where;
    for (const std::string& finding : reject_where) where += (where.empty() ? "" : ", ") + finding;
    return Problem{"pii_" + reject_kind, "contains personal data or secrets set to reject: " + where};
  }
  if (limit_hit) {
    return Problem{"pii_unchecked", limit_path + " is too complex for the PII patterns (match limit); it was not checked"};
  }
  return std::nullopt;
}

Status PiiStage::process(Batch& batch, Context& ctx) {
  Tally tally;
  rejectProblems(batch, [&](Json& example) { return scrub(example, tally); });
  for (const PiiKind kind : kPiiKinds) {
    const auto index = static_cast<std::size_t>(kind);
    const std::string name(toString(kind));
    if (tally.found[index] != 0) ctx.count(name + "_found", tally.found[index]);
    if (tally.redacted[index] != 0) ctx.count(name + "_redacted", tally.redacted[index]);
  }
  return Status::ok();
}

Status PiiStage::finish(Batch& /*out*/, Context& ctx) {
  // Counts live in the counters (<kind>_found, <kind>_redacted): they are summed over all
  // parallel instances, while a report is one value per stage. The report states the policy.
  Json policy = Json::object();
  for (const PiiKind kind : kPiiKinds) {
    const PiiPolicy& p = options_.policy[static_cast<std::size_t>(kind)];
    policy[std::string(toString(kind))] =
        p.action == PiiAction::kReject ? "reject" : p.action == PiiAction::kAllow ? "allow" : "redact";
  }
  ctx.report("pii", Json{{"actions", std::move(policy)}});
  return Status::ok();
}

}  // namespace ajuste::clean_text
