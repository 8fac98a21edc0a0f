#include "ingest_common/mapping.hpp"

#include <utility>

#include "ingest_common/field_lookup.hpp"

namespace ajuste::ingest {
namespace {

constexpr const char* kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "description": "Turns each record into an OpenAI chat example (or a legacy prompt/completion one). Without it, records pass as they are.",
  "properties": {
    "preset": {
      "type": "string",
      "enum": ["template", "prompt_completion", "alpaca", "sharegpt"],
      "default": "template",
      "description": "template: user/assistant/system messages from templates over any fields. prompt_completion: fields prompt and completion. alpaca: fields instruction, input (optional) and output. sharegpt: field conversations, a list of {from: human|gpt|system, value}."
    },
    "system": {
      "type": "string",
      "description": "A system message put first (a template: {field} and {field|singular|plural} work, write {{ and }} for literal braces). With sharegpt, only for conversations without a system turn of their own."
    },
    "user": {
      "type": "string",
      "description": "Preset template only: the user message, e.g. \"Review: {review}\"."
    },
    "assistant": {
      "type": "string",
      "description": "Preset template only: the assistant message, e.g. \"Rating: {stars} {stars|star|stars}\"."
    },
    "output": {
      "type": "string",
      "enum": ["chat", "prompt_completion"],
      "default": "chat",
      "description": "chat: {\"messages\": [...]}. prompt_completion: the legacy {\"prompt\", \"completion\"} records (one user and one assistant message, no system message)."
    }
  }
})json";

std::string presetName(Preset preset) {
  switch (preset) {
    case Preset::kPromptCompletion: return "prompt_completion";
    case Preset::kAlpaca: return "alpaca";
    case Preset::kShareGpt: return "sharegpt";
    case Preset::kTemplate: break;
  }
  return "template";
}

std::string presetFields(Preset preset) {
  switch (preset) {
    case Preset::kPromptCompletion: return "the fields prompt and completion";
    case Preset::kAlpaca: return "the fields instruction, input and output";
    case Preset::kShareGpt: return "the field conversations";
    case Preset::kTemplate: break;
  }
  return "its templates";
}

nlohmann::json message(const char* role, std::string content) {
  return nlohmann::json{{"role", role}, {"content", std::move(content)}};
}

MappingFailure conversationProblem(std::string kind, const std::string& what) {
  return MappingFailure{std::move(kind), "preset sharegpt: " + what, "/mapping/preset"};
}

}  // namespace

nlohmann::json Mapping::schema() { return nlohmann::json::parse(kSchema); }

Result<Mapping> Mapping::fromOptions(const nlohmann::json& options) {
  Mapping mapping;
  const std::string preset = options.value("preset", "template");
  mapping.preset_ = preset == "prompt_completion" ? Preset::kPromptCompletion
                    : preset == "alpaca"          ? Preset::kAlpaca
                    : preset == "sharegpt"        ? Preset::kShareGpt
                                                  : Preset::kTemplate;
  mapping.output_ = options.value("output", "chat") == "prompt_completion" ? OutputForm::kPromptCompletion
                                                                            : OutputForm::kChat;

  const auto parseSlot = [](const std::string& text, const std::string& pointer,
                            const std::string& label) -> Result<Slot> {
    auto parsed = MessageTemplate::parse(text);
    if (const auto* error = std::get_if<TemplateError>(&parsed)) {
      return Status::configError(pointer, "template error at column " + std::to_string(error->column) + ": " +
                                              MessageTemplate::explain(*error, text));
    }
    return Slot{std::get<MessageTemplate>(std::move(parsed)), pointer, label};
  };
  const auto optionSlot = [&](const std::string& key) -> Result<std::optional<Slot>> {
    if (!options.contains(key)) return std::optional<Slot>();
    auto slot = parseSlot(options.at(key).get<std::string>(), "/mapping/" + key, "mapping." + key);
    if (!slot.ok()) return slot.error();
    return std::optional<Slot>(std::move(slot).value());
  };

  auto system = optionSlot("system");
  if (!system.ok()) return system.error();
  mapping.system_ = std::move(system).value();

  if (mapping.preset_ == Preset::kTemplate) {
    for (const char* key : {"user", "assistant"}) {
      if (!options.contains(key)) {
        return Status::configError("/mapping", std::string("the template preset needs a '") + key +
                                                   "' template, e.g. user: \"Review: {review}\" and assistant: "
                                                   "\"Rating: {stars} {stars|star|stars}\"; or choose another "
                                                   "preset (prompt_completion, alpaca, sharegpt)");
      }
    }
    auto user = optionSlot("user");
    if (!user.ok()) return user.error();
    auto assistant = optionSlot("assistant");
    if (!assistant.ok()) return assistant.error();
    mapping.user_ = std::move(user).value();
    mapping.assistant_ = std::move(assistant).value();
  } else {
    for (const char* key : {"user", "assistant"}) {
      if (options.contains(key)) {
        return Status::configError("/mapping/" + std::string(key),
                                   "preset " + presetName(mapping.preset_) + " reads its messages from " +
                                       presetFields(mapping.preset_) + ", so '" + key +
                                       "' has no use here; remove it, or set preset: template to write the "
                                       "messages yourself");
      }
    }
    const std::string label = "preset " + presetName(mapping.preset_);
    const auto presetSlot = [&](const std::string& text) {
      return parseSlot(text, "/mapping/preset", label);
    };
    if (mapping.preset_ == Preset::kPromptCompletion) {
      mapping.user_ = std::move(presetSlot("{prompt}")).value();
      mapping.assistant_ = std::move(presetSlot("{completion}")).value();
    } else if (mapping.preset_ == Preset::kAlpaca) {
      mapping.user_ = std::move(presetSlot("{instruction}")).value();
      mapping.assistant_ = std::move(presetSlot("{output}")).value();
    }
  }

  if (mapping.output_ == OutputForm::kPromptCompletion && mapping.system_) {
    return Status::configError("/mapping/system",
                               "output: prompt_completion records have no place for a system message; remove "
                               "'system', or write output: chat");
  }
  return mapping;
}

std::vector<FieldUse> Mapping::requiredFields() const {
  std::vector<FieldUse> uses;
  const auto add = [&](const std::optional<Slot>& slot) {
    if (!slot) return;
    for (const std::string& field : slot->text.fields()) uses.push_back(FieldUse{field, slot->pointer, slot->label});
  };
  add(system_);
  add(user_);
  add(assistant_);
  if (preset_ == Preset::kShareGpt) uses.push_back(FieldUse{"conversations", "/mapping/preset", "preset sharegpt"});
  return uses;
}

std::optional<MappingFailure> Mapping::fill(const Slot& slot, const nlohmann::json& record, std::string& out) const {
  if (auto failure = slot.text.render(record, out)) {
    return MappingFailure{std::move(failure->kind), slot.label + ": " + failure->reason, slot.pointer};
  }
  return std::nullopt;
}

std::optional<MappingFailure> Mapping::messagesFromTemplates(const nlohmann::json& record,
                                                             nlohmann::json& messages) const {
  std::string user;
  std::string assistant;
  if (auto failure = fill(*user_, record, user)) return failure;
  if (auto failure = fill(*assistant_, record, assistant)) return failure;
  messages.push_back(message("user", std::move(user)));
  messages.push_back(message("assistant", std::move(assistant)));
  return std::nullopt;
}

std::optional<MappingFailure> Mapping::messagesFromAlpaca(const nlohmann::json& record, nlohmann::json& messages) const {
  std::string user;
  std::string assistant;
  if (auto failure = fill(*user_, record, user)) return failure;
  // `input` is optional in Alpaca data: absent, null or "" all mean "no input".
  if (const nlohmann::json* input = lookupField(record, "input"); input != nullptr && !input->is_null()) {
    const auto text = fieldText(*input);
    if (!text) {
      return MappingFailure{"field_not_text",
                            "preset alpaca: field 'input' is " + jsonKind(*input) + ", expected a string (or none)",
                            "/mapping/preset"};
    }
    if (!text->empty()) user += "\n\n" + *text;
  }
  if (auto failure = fill(*assistant_, record, assistant)) return failure;
  messages.push_back(message("user", std::move(user)));
  messages.push_back(message("assistant", std::move(assistant)));
  return std::nullopt;
}

std::optional<MappingFailure> Mapping::messagesFromShareGpt(const nlohmann::json& record,
                                                            nlohmann::json& messages) const {
  const nlohmann::json* conversations = lookupField(record, "conversations");
  if (conversations == nullptr) {
    const auto names = fieldNames(record);
    return conversationProblem("missing_field", "field 'conversations' is missing; the record has " + listNames(names) +
                                                    didYouMean("conversations", names));
  }
  if (!conversations->is_array()) {
    return conversationProblem("invalid_conversation",
                               "field 'conversations' is " + jsonKind(*conversations) +
                                   ", expected an array of turns like {\"from\": \"human\", \"value\": \"...\"}");
  }
  if (conversations->empty()) return conversationProblem("invalid_conversation", "field 'conversations' is empty");
  bool has_system = false;
  for (std::size_t i = 0; i < conversations->size(); ++i) {
    const nlohmann::json& turn = (*conversations)[i];
    const std::string where = "conversations[" + std::to_string(i) + "]";
    if (!turn.is_object()) {
      return conversationProblem("invalid_conversation",
                                 where + " is " + jsonKind(turn) + ", expected an object with 'from' and 'value'");
    }
    const auto from = turn.find("from");
    if (from == turn.end() || !from->is_string()) {
      return conversationProblem("invalid_conversation",
                                 where + (from == turn.end() ? " has no 'from'" : ".from is " + jsonKind(*from)) +
                                     "; each turn needs \"from\": \"human\", \"gpt\" or \"system\"");
    }
    const std::string& role = from->get_ref<const std::string&>();
    const char* chat_role = role == "human" ? "user" : role == "gpt" ? "assistant" : role == "system" ? "system" : nullptr;
    if (chat_role == nullptr) {
      return conversationProblem("unknown_role", where + ".from is \"" + role +
                                                     "\"; ShareGPT roles are human, gpt and system");
    }
    const auto value = turn.find("value");
    if (value == turn.end()) {
      return conversationProblem("invalid_conversation", where + " has no 'value' (the text of the turn)");
    }
    const auto text = fieldText(*value);
    if (!text) {
      return conversationProblem("field_not_text", where + ".value is " + jsonKind(*value) + ", expected a string");
    }
    has_system = has_system || role == "system";
    messages.push_back(message(chat_role, *text));
  }
  if (system_ && !has_system) {
    std::string system;
    if (auto failure = fill(*system_, record, system)) return failure;
    messages.insert(messages.begin(), message("system", std::move(system)));
  }
  return std::nullopt;
}

std::optional<MappingFailure> Mapping::toPromptCompletion(nlohmann::json& messages) const {
  const bool single_turn = messages.size() == 2 && messages[0]["role"] == "user" && messages[1]["role"] == "assistant";
  if (!single_turn) {
    std::string roles;
    for (const auto& m : messages) roles += (roles.empty() ? "" : ", ") + m["role"].get<std::string>();
    return MappingFailure{"not_single_turn",
                          "output prompt_completion takes exactly one user then one assistant message; this record "
                          "has " + std::to_string(messages.size()) + " (" + roles + "); use output: chat for conversations",
                          "/mapping/output"};
  }
  messages = nlohmann::json{{"prompt", std::move(messages[0]["content"])},
                            {"completion", std::move(messages[1]["content"])}};
  return std::nullopt;
}

std::optional<MappingFailure> Mapping::apply(nlohmann::json& record) const {
  nlohmann::json messages = nlohmann::json::array();
  std::optional<MappingFailure> failure;
  switch (preset_) {
    case Preset::kShareGpt: failure = messagesFromShareGpt(record, messages); break;
    case Preset::kAlpaca: failure = messagesFromAlpaca(record, messages); break;
    case Preset::kTemplate:
    case Preset::kPromptCompletion: failure = messagesFromTemplates(record, messages); break;
  }
  if (failure) return failure;
  if (system_ && preset_ != Preset::kShareGpt) {
    std::string system;
    if (auto system_failure = fill(*system_, record, system)) return system_failure;
    messages.insert(messages.begin(), message("system", std::move(system)));
  }
  if (output_ == OutputForm::kPromptCompletion) {
    if (auto pc_failure = toPromptCompletion(messages)) return pc_failure;
    record = std::move(messages);
    return std::nullopt;
  }
  record = nlohmann::json{{"messages", std::move(messages)}};
  return std::nullopt;
}

void applyMapping(const std::optional<Mapping>& mapping, Batch& batch) {
  if (!mapping) return;
  for (Record& record : batch) {
    if (auto failure = mapping->apply(record.value)) batch.reject(record, std::move(failure->reason), std::move(failure->kind));
  }
}

}  // namespace ajuste::ingest
