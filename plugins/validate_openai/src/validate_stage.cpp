#include "validate_stage.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "digest.hpp"
#include "token_count.hpp"

namespace ajuste::validate_openai {
namespace {

using Json = nlohmann::json;

bool isAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool stripLeading(Json& value) {
  if (!value.is_string()) return false;
  auto& text = value.get_ref<std::string&>();
  std::size_t start = 0;
  while (start < text.size() && isAsciiSpace(text[start])) ++start;
  if (start == 0) return false;
  text.erase(0, start);
  return true;
}

bool lowercase(Json& value) {
  if (!value.is_string()) return false;
  bool changed = false;
  for (char& c : value.get_ref<std::string&>()) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
      changed = true;
    }
  }
  return changed;
}

bool appendMissing(Json& value, const std::string& ending) {
  if (ending.empty() || !value.is_string()) return false;
  auto& text = value.get_ref<std::string&>();
  if (text.ends_with(ending)) return false;
  text += ending;
  return true;
}

bool stripMessages(Json& messages) {
  if (!messages.is_array()) return false;
  bool changed = false;
  for (Json& message : messages) {
    if (!message.is_object()) continue;
    const auto content = message.find("content");
    if (content == message.end()) continue;
    if (content->is_string()) changed = stripLeading(*content) || changed;
    if (content->is_array()) {
      for (Json& part : *content) {
        if (part.is_object() && part.contains("text")) changed = stripLeading(part["text"]) || changed;
      }
    }
  }
  return changed;
}

// The concatenated system prompts of a message list ("" when there is none).
bool systemPrompt(const Json& messages, std::string& out) {
  bool found_one = false;
  for (const Json& message : messages) {
    if (message.at("role") != "system") continue;
    if (found_one) out += '\x1f';
    found_one = true;
    const Json& content = message.at("content");
    out += content.is_string() ? content.get<std::string>() : content.dump();
  }
  return found_one;
}

bool hasUser(const Json& messages) {
  for (const Json& message : messages) {
    if (message.at("role") == "user") return true;
  }
  return false;
}

// The text a classifier would call the label: the final assistant answer (legacy: completion).
std::optional<std::string> finalAnswer(const Json& value, Format format) {
  if (format == Format::kCompletion) return value.at("completion").get<std::string>();
  if (format != Format::kChat) return std::nullopt;
  const Json& messages = value.at("messages");
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->at("role") != "assistant") continue;
    const auto content = it->find("content");
    if (content != it->end() && content->is_string()) return content->get<std::string>();
    return std::nullopt;
  }
  return std::nullopt;
}

Result<std::unique_ptr<Stage>> makeValidator(const Json& with, Context& ctx) {
  auto options = parseOptions(with, ctx);
  if (!options.ok()) return options.error();
  return std::unique_ptr<Stage>(std::make_unique<OpenAIValidator>(std::move(options).value()));
}

CheckSettings settingsFor(const OpenAIOptions& options) {
  return CheckSettings{.expected = options.format,
                       .model_id = options.model->id,
                       .vision = options.model->hasVision(options.provider),
                       .azure = options.provider == "azure"};
}

}  // namespace

const StageInfo& OpenAIValidator::info() {
  static const StageInfo kInfo{
      .name = "validate/openai",
      .kind = StageKind::kRecords,
      .summary =
          "Validates OpenAI fine-tuning examples as the service does, and stricter: chat (roles, names, weights, "
          "content parts and images, tools, tool_calls with JSON-object arguments answered by tool messages, "
          "legacy functions), preference/DPO (input, preferred_output, non_preferred_output) and legacy "
          "prompt/completion, in the one format the model and method train on. Counts tokens with the model's "
          "tokenizer (tiktoken-exact, the cookbook's per-message estimate) and rejects examples over the model's "
          "limit per example (or keeps or drops them, option over_long). Each reject names the JSON path, what "
          "was found and what is allowed. Opt-in fixes apply prepare_data's remedies. Leaves its numbers in "
          "record.meta.openai for stats/openai (dataset statistics, cost, findings and gates) and split/random. "
          "Models, limits and prices come from a built-in, dated catalogue that the catalogue option extends.",
      .options_schema = std::string(optionsSchema()),
      .consumes = {},
      .produces = {},
      .parallel = true,
      .keeps_text = true,
      .make = &makeValidator,
  };
  return kInfo;
}

OpenAIValidator::OpenAIValidator(OpenAIOptions options)
    : options_(std::move(options)),
      checker_(settingsFor(options_)),
      encoding_(Encoding::get(options_.model->encoding)) {}

std::vector<const char*> OpenAIValidator::applyFixes(Json& value) const {
  std::vector<const char*> applied;
  if (!value.is_object()) return applied;
  const Fixes& fixes = options_.fixes;
  if (fixes.strip_leading_whitespace) {
    bool changed = false;
    if (const auto messages = value.find("messages"); messages != value.end()) changed = stripMessages(*messages);
    if (const auto input = value.find("input"); input != value.end() && input->is_object() && input->contains("messages")) {
      changed = stripMessages((*input)["messages"]) || changed;
    }
    for (const char* key : {"preferred_output", "non_preferred_output"}) {
      if (const auto output = value.find(key); output != value.end()) changed = stripMessages(*output) || changed;
    }
    if (const auto prompt = value.find("prompt"); prompt != value.end()) changed = stripLeading(*prompt) || changed;
    if (changed) applied.push_back("strip_leading_whitespace");
  }
  if (options_.format != Format::kCompletion) return applied;
  const auto prompt = value.find("prompt");
  const auto completion = value.find("completion");
  if (fixes.lowercase) {
    bool changed = prompt != value.end() && lowercase(*prompt);
    changed = (completion != value.end() && lowercase(*completion)) || changed;
    if (changed) applied.push_back("lowercase");
  }
  if (fixes.completion_leading_space && completion != value.end() && completion->is_string()) {
    auto& text = completion->get_ref<std::string&>();
    if (!text.empty() && text.front() != ' ') {
      text.insert(text.begin(), ' ');
      applied.push_back("completion_leading_space");
    }
  }
  if (prompt != value.end() && appendMissing(*prompt, fixes.prompt_separator)) applied.push_back("prompt_separator");
  if (completion != value.end() && completion->is_string() && !completion->get_ref<const std::string&>().empty() &&
      appendMissing(*completion, fixes.completion_stop)) {
    applied.push_back("completion_stop");
  }
  return applied;
}

Status OpenAIValidator::process(Batch& batch, Context& ctx) {
  const ModelInfo& model = *options_.model;
  for (Record& record : batch) {
    if (options_.fixes.any()) {
      bool fixed = false;
      for (const char* fix : applyFixes(record.value)) {
        ctx.count(std::string("fixed_") + fix);
        fixed = true;
      }
      if (fixed) record.text.clear();  // the stage keeps texts (StageInfo::keeps_text) it has not changed
    }
    CheckOutcome outcome = checker_.check(record.value);
    if (outcome.problem) {
      batch.reject(record, std::move(outcome.problem->reason), std::move(outcome.problem->kind));
      continue;
    }
    const Format format = options_.format;
    const ExampleTokens tokens = countTokens(record.value, format, encoding_);
    const bool over = tokens.sequence_tokens > model.context;
    if (over && options_.over_long != OverLong::kKeep) {
      const std::string what = format == Format::kPreference
                                   ? "the longer sequence of the example (input + preferred_output or "
                                     "non_preferred_output) has "
                                   : "example has ";
      std::string reason = what + std::to_string(tokens.sequence_tokens) + " tokens (" +
                           std::string(encoding_.name()) + "), more than the " + std::to_string(model.context) +
                           " tokens per example " + model.id + " trains on; ";
      reason += options_.over_long == OverLong::kDrop
                    ? "dropped as asked (over_long: drop)"
                    : "shorten it or split the conversation (over_long: keep keeps it, truncated by OpenAI)";
      batch.reject(record, std::move(reason), "over_long");
      continue;
    }
    // Billed tokens of the example at the model's limit: OpenAI truncates what is over it.
    const std::uint64_t overflow = over ? std::uint64_t{tokens.sequence_tokens} - model.context : 0;
    const std::uint64_t billed = std::uint64_t{tokens.tokens} - std::min<std::uint64_t>(overflow, tokens.tokens);
    if (over) outcome.warnings.emplace_back("over_long_kept");

    const JsonDigest whole = digest(record.value);
    Json meta{{"format", toString(format)},
              {"tokens", tokens.tokens},
              {"sequence_tokens", tokens.sequence_tokens},
              {"assistant_tokens", tokens.assistant_tokens},
              {"messages", tokens.messages},
              {"billed", billed},
              {"hash", whole.hash},
              {"bytes", whole.bytes}};
    if (over) meta["over_limit"] = true;
    if (format != Format::kCompletion) {
      const Json& messages =
          format == Format::kChat ? record.value.at("messages") : record.value.at("input").at("messages");
      std::string system;
      if (systemPrompt(messages, system)) meta["system"] = hashText(system);
      if (!hasUser(messages)) meta["no_user"] = true;
    }
    if (const auto answer = finalAnswer(record.value, format)) {
      meta["label_hash"] = hashText(*answer);
      if (answer->size() <= options_.label_bytes) meta["label"] = *answer;
    }
    if (!outcome.warnings.empty()) meta["warnings"] = outcome.warnings;
    if (!record.meta.is_object()) record.meta = Json::object();
    record.meta["openai"] = std::move(meta);
  }
  return Status::ok();
}

}  // namespace ajuste::validate_openai
