#include "record_checks.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <array>
#include <set>
#include <utility>

#include "json_text.hpp"

namespace ajuste::validate_openai {
namespace {

using Json = nlohmann::json;
using Keys = std::span<const std::string_view>;

// Azure's limit for vision fine-tuning (fine-tuning-vision how-to).
constexpr std::size_t kAzureMaxImagesPerExample = 64;

constexpr std::array<std::string_view, 4> kChatTopKeys = {"messages", "tools", "functions", "parallel_tool_calls"};
constexpr std::array<std::string_view, 3> kPreferenceTopKeys = {"input", "preferred_output", "non_preferred_output"};
constexpr std::array<std::string_view, 3> kPreferenceInputKeys = {"messages", "tools", "parallel_tool_calls"};
constexpr std::array<std::string_view, 2> kCompletionKeys = {"prompt", "completion"};
constexpr std::array<std::string_view, 8> kEveryMessageKey = {"role",   "content",      "name",          "weight",
                                   "tool_calls", "tool_call_id", "function_call", "refusal"};
constexpr std::string_view kRoleList = "system, user, assistant, tool";

bool in(Keys set, std::string_view value) { return std::find(set.begin(), set.end(), value) != set.end(); }

std::string join(Keys set) {
  std::string out;
  for (const std::string_view item : set) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

Keys keysFor(std::string_view role) {
  static constexpr std::array<std::string_view, 3> kSystem = {"role", "content", "name"};
  static constexpr std::array<std::string_view, 7> kAssistant = {"role", "content", "name", "weight", "tool_calls", "function_call", "refusal"};
  static constexpr std::array<std::string_view, 3> kTool = {"role", "content", "tool_call_id"};
  if (role == "assistant") return kAssistant;
  if (role == "tool") return kTool;
  return kSystem;  // system, user and the deprecated function role
}

std::string shapeOf(Format format) {
  switch (format) {
    case Format::kChat: return R"(chat examples {"messages": [...]})";
    case Format::kPreference:
      return R"(preference examples {"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]})";
    case Format::kCompletion: return R"(legacy prompt/completion examples {"prompt": "...", "completion": "..."})";
  }
  return {};
}

std::string describeFormat(Format format) {
  switch (format) {
    case Format::kChat: return "a chat example";
    case Format::kPreference: return "a preference (DPO) example";
    case Format::kCompletion: return "a legacy prompt/completion example";
  }
  return {};
}

std::string foundKeys(const Json& example) {
  if (example.empty()) return " (the record is an empty object)";
  std::string keys;
  for (const auto& [key, value] : example.items()) keys += (keys.empty() ? "" : ", ") + key;
  return " (found keys: " + keys + ")";
}

std::optional<Format> detect(const Json& example) {
  if (example.contains("messages")) return Format::kChat;
  if (example.contains("input") || example.contains("preferred_output") || example.contains("non_preferred_output")) {
    return Format::kPreference;
  }
  if (example.contains("prompt") || example.contains("completion")) return Format::kCompletion;
  return std::nullopt;
}

Problem problem(std::string kind, std::string reason) { return Problem{std::move(kind), std::move(reason)}; }

// One check of one example: keeps the conversation state (declared tools, open tool calls).
class ExampleRun {
 public:
  ExampleRun(const CheckSettings& settings, CheckOutcome& out) : settings_(settings), out_(out) {}

  std::optional<Problem> chat(const Json& example);
  std::optional<Problem> preference(const Json& example);
  std::optional<Problem> completion(const Json& example);

 private:
  struct OpenCall {
    std::string id;
    std::string at;  // "messages[1].tool_calls[0]"
    bool answered = false;
  };

  void warn(std::string kind) {
    if (std::find(out_.warnings.begin(), out_.warnings.end(), kind) == out_.warnings.end()) {
      out_.warnings.push_back(std::move(kind));
    }
  }

  std::optional<Problem> toolsBlock(const Json& container, const std::string& prefix, bool allow_functions);
  std::optional<Problem> messagesArray(const Json& container, const std::string& prefix);
  std::optional<Problem> message(const Json& message, const std::string& at, bool allow_weight,
                                 bool assistant_only);
  std::optional<Problem> content(const Json& message, const std::string& role, const std::string& at);
  std::optional<Problem> contentParts(const Json& parts, const std::string& at);
  std::optional<Problem> imagePart(const Json& part, const std::string& at);
  std::optional<Problem> toolCalls(const Json& calls, const std::string& at);
  std::optional<Problem> functionCall(const Json& call, const std::string& at);
  std::optional<Problem> arguments(const Json& args, const std::string& at);
  std::optional<Problem> toolMessage(const Json& message, const std::string& at);
  std::optional<Problem> closeOpenCalls(const std::string& before);
  [[nodiscard]] std::string openCallList() const;
  [[nodiscard]] bool visionAllowed() const { return settings_.vision && !in_preference_; }

  const CheckSettings& settings_;
  CheckOutcome& out_;
  std::set<std::string, std::less<>> declared_;  // tools[].function.name and functions[].name
  bool has_declarations_ = false;
  std::vector<OpenCall> open_;                    // calls of the latest tool-calling assistant message
  std::set<std::string, std::less<>> call_ids_;   // every call id of the example
  std::size_t images_ = 0;
  bool in_preference_ = false;
};

std::optional<Problem> ExampleRun::toolsBlock(const Json& container, const std::string& prefix,
                                              bool allow_functions) {
  if (const auto tools = container.find("tools"); tools != container.end()) {
    const std::string at = prefix + "tools";
    if (!tools->is_array()) {
      return problem("invalid_tools", at + " is " + found(*tools) +
                                          R"(, expected an array of {"type": "function", "function": {"name": "..."}})");
    }
    has_declarations_ = true;
    for (std::size_t i = 0; i < tools->size(); ++i) {
      const Json& tool = (*tools)[i];
      const std::string tool_at = at + "[" + std::to_string(i) + "]";
      if (!tool.is_object()) {
        return problem("invalid_tools", tool_at + " is " + found(tool) +
                                            R"(, expected {"type": "function", "function": {"name": "..."}})");
      }
      for (const auto& [key, value] : tool.items()) {
        if (key != "type" && key != "function") {
          return problem("invalid_tools", tool_at + " has unknown key \"" + key + "\"; allowed keys are type, function");
        }
      }
      const auto type = tool.find("type");
      if (type == tool.end() || *type != "function") {
        return problem("invalid_tools", tool_at + ".type is " + (type == tool.end() ? "missing" : found(*type)) +
                                            R"(, expected "function")");
      }
      const auto function = tool.find("function");
      if (function == tool.end() || !function->is_object()) {
        return problem("invalid_tools", tool_at + ".function is " +
                                            (function == tool.end() ? "missing" : found(*function)) +
                                            R"(, expected {"name": "...", "description": "...", "parameters": {...}})");
      }
      const std::string fn_at = tool_at + ".function";
      for (const auto& [key, value] : function->items()) {
        if (key != "name" && key != "description" && key != "parameters" && key != "strict") {
          return problem("invalid_tools", fn_at + " has unknown key \"" + key +
                                              "\"; allowed keys are name, description, parameters, strict");
        }
      }
      const auto name = function->find("name");
      if (name == function->end() || !name->is_string() || !isValidName(name->get_ref<const std::string&>())) {
        return problem("invalid_tools", fn_at + ".name is " + (name == function->end() ? "missing" : found(*name)) +
                                            ", expected a name matching ^[a-zA-Z0-9_-]{1,64}$");
      }
      if (const auto d = function->find("description"); d != function->end() && !d->is_string()) {
        return problem("invalid_tools", fn_at + ".description is " + found(*d) + ", expected a string");
      }
      if (const auto p = function->find("parameters"); p != function->end()) {
        if (!p->is_object()) {
          return problem("invalid_tools", fn_at + ".parameters is " + found(*p) + ", expected a JSON Schema object");
        }
        if (const auto t = p->find("type"); t != p->end() && *t != "object") {
          return problem("invalid_tools", fn_at + ".parameters.type is " + found(*t) +
                                              R"(, expected "object" (function arguments are a JSON object))");
        }
      }
      if (const auto s = function->find("strict"); s != function->end() && !s->is_boolean()) {
        return problem("invalid_tools", fn_at + ".strict is " + found(*s) + ", expected true or false");
      }
      if (!declared_.insert(name->get<std::string>()).second) {
        return problem("invalid_tools", fn_at + ".name " + quote(*name) + " is declared twice; tool names are unique");
      }
    }
  }
  if (allow_functions) {
    if (const auto functions = container.find("functions"); functions != container.end()) {
      const std::string at = prefix + "functions";
      warn("deprecated_functions");
      if (!functions->is_array()) {
        return problem("invalid_tools", at + " is " + found(*functions) +
                                            R"(, expected an array of {"name": "...", "parameters": {...}})");
      }
      has_declarations_ = true;
      for (std::size_t i = 0; i < functions->size(); ++i) {
        const Json& function = (*functions)[i];
        const std::string fn_at = at + "[" + std::to_string(i) + "]";
        if (!function.is_object()) {
          return problem("invalid_tools", fn_at + " is " + found(function) + R"(, expected {"name": "...", ...})");
        }
        for (const auto& [key, value] : function.items()) {
          if (key != "name" && key != "description" && key != "parameters") {
            return problem("invalid_tools",
                           fn_at + " has unknown key \"" + key + "\"; allowed keys are name, description, parameters");
          }
        }
        const auto name = function.find("name");
        if (name == function.end() || !name->is_string() || !isValidName(name->get_ref<const std::string&>())) {
          return problem("invalid_tools", fn_at + ".name is " + (name == function.end() ? "missing" : found(*name)) +
                                              ", expected a name matching ^[a-zA-Z0-9_-]{1,64}$");
        }
        if (const auto p = function.find("parameters"); p != function.end() && !p->is_object()) {
          return problem("invalid_tools", fn_at + ".parameters is " + found(*p) + ", expected a JSON Schema object");
        }
        if (!declared_.insert(name->get<std::string>()).second) {
          return problem("invalid_tools", fn_at + ".name " + quote(*name) + " is declared twice; names are unique");
        }
      }
    }
  }
  if (const auto parallel = container.find("parallel_tool_calls"); parallel != container.end()) {
    if (!parallel->is_boolean()) {
      return problem("invalid_tools",
                     prefix + "parallel_tool_calls is " + found(*parallel) + ", expected true or false");
    }
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::imagePart(const Json& part, const std::string& at) {
  for (const auto& [key, value] : part.items()) {
    if (key != "type" && key != "image_url") {
      return problem("invalid_image", at + " has unknown key \"" + key + "\"; an image part has type and image_url");
    }
  }
  const auto image = part.find("image_url");
  if (image == part.end() || !image->is_object()) {
    return problem("invalid_image", at + ".image_url is " + (image == part.end() ? "missing" : found(*image)) +
                                        R"(, expected {"url": "https://... or data:image/jpeg;base64,..."})");
  }
  for (const auto& [key, value] : image->items()) {
    if (key != "url" && key != "detail") {
      return problem("invalid_image", at + ".image_url has unknown key \"" + key + "\"; allowed keys are url, detail");
    }
  }
  const auto url = image->find("url");
  if (url == image->end() || !url->is_string()) {
    return problem("invalid_image", at + ".image_url.url is " + (url == image->end() ? "missing" : found(*url)) +
                                        ", expected an http(s) URL or a base64 data URL");
  }
  const auto& text = url->get_ref<const std::string&>();
  const bool web = text.starts_with("https://") || text.starts_with("http://");
  const bool data = text.starts_with("data:image/jpeg;base64,") || text.starts_with("data:image/jpg;base64,") ||
                    text.starts_with("data:image/png;base64,") || text.starts_with("data:image/webp;base64,");
  if (!web && !data) {
    return problem("invalid_image", at + ".image_url.url " + quote(*url) +
                                        " is neither an http(s) URL nor a data URL of a JPEG, PNG or WEBP image "
                                        "(data:image/png;base64,...)");
  }
  if (const auto detail = image->find("detail");
      detail != image->end() && *detail != "auto" && *detail != "low" && *detail != "high") {
    return problem("invalid_image", at + ".image_url.detail is " + found(*detail) + R"(, expected "auto", "low" or "high")");
  }
  if (!visionAllowed()) {
    return problem("image_not_supported",
                   at + " is an image, but " +
                       (in_preference_ ? std::string("preference (DPO) examples are text only")
                                       : settings_.model_id + " cannot be fine-tuned on images with this provider") +
                       "; remove the image or choose a model whose catalogue entry lists vision for the provider");
  }
  if (settings_.azure && ++images_ > kAzureMaxImagesPerExample) {
    return problem("invalid_image", at + " is image number " + std::to_string(images_) +
                                        " of the example; Azure accepts at most 64 images per example");
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::contentParts(const Json& parts, const std::string& at) {
  if (parts.empty()) {
    return problem("empty_content", at + " is an empty array, expected text or at least one content part");
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Json& part = parts[i];
    const std::string part_at = at + "[" + std::to_string(i) + "]";
    if (!part.is_object()) {
      return problem("non_string_content", part_at + " is " + found(part) +
                                               R"(, expected a content part {"type": "text", "text": "..."} or )"
                                               R"({"type": "image_url", "image_url": {"url": "..."}})");
    }
    const auto type = part.find("type");
    if (type == part.end() || !type->is_string() || (*type != "text" && *type != "image_url")) {
      return problem("non_string_content", part_at + ".type is " + (type == part.end() ? "missing" : found(*type)) +
                                               R"(, expected "text" or "image_url")");
    }
    if (*type == "image_url") {
      if (auto bad = imagePart(part, part_at)) return bad;
      continue;
    }
    for (const auto& [key, value] : part.items()) {
      if (key != "type" && key != "text") {
        return problem("non_string_content", part_at + " has unknown key \"" + key + "\"; a text part has type and text");
      }
    }
    const auto text = part.find("text");
    if (text == part.end() || !text->is_string()) {
      return problem("non_string_content", part_at + ".text is " + (text == part.end() ? "missing" : found(*text)) +
                                               ", expected a string");
    }
    if (text->get_ref<const std::string&>().empty()) {
      return problem("empty_content", part_at + ".text is an empty string, expected the text of the part");
    }
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::content(const Json& message, const std::string& role, const std::string& at) {
  const std::string content_at = at + ".content";
  const auto content = message.find("content");
  const bool calls = (message.contains("tool_calls") && !message["tool_calls"].is_null()) ||
                     (message.contains("function_call") && !message["function_call"].is_null());
  if (content == message.end() || content->is_null()) {
    if (role == "assistant" && (calls || message.contains("refusal"))) return std::nullopt;
    return problem("missing_content",
                   content_at + (content == message.end() ? " is missing" : " is null") +
                       "; only an assistant message with tool_calls, function_call or refusal may leave it out");
  }
  if (content->is_string()) {
    if (content->get_ref<const std::string&>().empty() && !(role == "assistant" && calls)) {
      return problem("empty_content", content_at + " is an empty string, expected the " + role + "'s text");
    }
    return std::nullopt;
  }
  if (content->is_array()) {
    if (role == "user") return contentParts(*content, content_at);
    return problem("non_string_content", content_at + " is " + found(*content) +
                                             ", expected a string (content parts are accepted on user messages only)");
  }
  return problem("non_string_content", content_at + " is " + found(*content) + ", expected a string");
}

std::optional<Problem> ExampleRun::arguments(const Json& args, const std::string& at) {
  if (!args.is_string()) {
    return problem("invalid_tool_call",
                   at + " is " + found(args) + R"(, expected a string holding a JSON object, e.g. "{\"city\": \"Oslo\"}")");
  }
  const Json parsed = Json::parse(args.get_ref<const std::string&>(), nullptr, false);
  if (parsed.is_discarded()) {
    return problem("invalid_tool_call", at + " " + quote(args) + " is not valid JSON; it must hold a JSON object");
  }
  if (!parsed.is_object()) {
    return problem("invalid_tool_call", at + " " + quote(args) + " holds " + found(parsed) + ", expected a JSON object");
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::toolCalls(const Json& calls, const std::string& at) {
  if (!calls.is_array() || calls.empty()) {
    return problem("invalid_tool_call",
                   at + " is " + found(calls) +
                       R"(, expected a non-empty array of {"id": "...", "type": "function", "function": {"name": "...", "arguments": "{...}"}})");
  }
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Json& call = calls[i];
    const std::string call_at = at + "[" + std::to_string(i) + "]";
    if (!call.is_object()) {
      return problem("invalid_tool_call", call_at + " is " + found(call) +
                                              R"(, expected {"id": "...", "type": "function", "function": {...}})");
    }
    for (const auto& [key, value] : call.items()) {
      if (key != "id" && key != "type" && key != "function") {
        return problem("invalid_tool_call", call_at + " has unknown key \"" + key + "\"; allowed keys are id, type, function");
      }
    }
    const auto id = call.find("id");
    if (id == call.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
      return problem("invalid_tool_call", call_at + ".id is " + (id == call.end() ? "missing" : found(*id)) +
                                              ", expected a non-empty string the tool message answers with tool_call_id");
    }
    if (!call_ids_.insert(id->get<std::string>()).second) {
      return problem("invalid_tool_call", call_at + ".id " + quote(*id) + " is used twice in the example; call ids are unique");
    }
    const auto type = call.find("type");
    if (type == call.end() || *type != "function") {
      return problem("invalid_tool_call", call_at + ".type is " + (type == call.end() ? "missing" : found(*type)) +
                                              R"(, expected "function")");
    }
    const auto function = call.find("function");
    if (function == call.end() || !function->is_object()) {
      return problem("invalid_tool_call", call_at + ".function is " +
                                              (function == call.end() ? "missing" : found(*function)) +
                                              R"(, expected {"name": "...", "arguments": "{...}"})");
    }
    if (auto bad = functionCall(*function, call_at + ".function")) return bad;
    open_.push_back(OpenCall{id->get<std::string>(), call_at, false});
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::functionCall(const Json& call, const std::string& at) {
  if (!call.is_object()) {
    return problem("invalid_tool_call", at + " is " + found(call) + R"(, expected {"name": "...", "arguments": "{...}"})");
  }
  for (const auto& [key, value] : call.items()) {
    if (key != "name" && key != "arguments") {
      return problem("invalid_tool_call", at + " has unknown key \"" + key + "\"; allowed keys are name, arguments");
    }
  }
  const auto name = call.find("name");
  if (name == call.end() || !name->is_string() || !isValidName(name->get_ref<const std::string&>())) {
    return problem("invalid_tool_call", at + ".name is " + (name == call.end() ? "missing" : found(*name)) +
                                            ", expected a function name matching ^[a-zA-Z0-9_-]{1,64}$");
  }
  const auto args = call.find("arguments");
  if (args == call.end()) {
    return problem("invalid_tool_call", at + R"(.arguments is missing, expected a string holding a JSON object ("{}" for none))");
  }
  if (auto bad = arguments(*args, at + ".arguments")) return bad;
  if (has_declarations_ && !declared_.contains(name->get_ref<const std::string&>())) {
    std::string list;
    for (const std::string& declared : declared_) list += (list.empty() ? "" : ", ") + declared;
    return problem("invalid_tool_call", at + ".name " + quote(*name) + " is not declared in tools (declared: " +
                                            (list.empty() ? std::string("none") : list) + ")");
  }
  if (!has_declarations_) warn("undeclared_tools");
  return std::nullopt;
}

std::string ExampleRun::openCallList() const {
  std::string list;
  for (const OpenCall& call : open_) {
    if (!call.answered) list += (list.empty() ? "" : ", ") + ("\"" + call.id + "\"");
  }
  return list.empty() ? std::string("no open calls") : "open calls: " + list;
}

std::optional<Problem> ExampleRun::closeOpenCalls(const std::string& before) {
  for (const OpenCall& call : open_) {
    if (!call.answered) {
      return problem("invalid_tool_call", call.at + " (id \"" + call.id +
                                              "\") is not answered: expected a tool message with tool_call_id \"" +
                                              call.id + "\" before " + before);
    }
  }
  open_.clear();
  return std::nullopt;
}

std::optional<Problem> ExampleRun::toolMessage(const Json& message, const std::string& at) {
  const auto id = message.find("tool_call_id");
  if (id == message.end() || !id->is_string()) {
    return problem("unknown_tool_call_id",
                   at + ".tool_call_id is " + (id == message.end() ? "missing" : found(*id)) +
                       ", expected the id of the call this tool message answers (" + openCallList() + ")");
  }
  const auto& text = id->get_ref<const std::string&>();
  for (OpenCall& call : open_) {
    if (call.id != text) continue;
    if (call.answered) {
      return problem("unknown_tool_call_id", at + ".tool_call_id " + quote(*id) + " answers call " + call.at +
                                                 " a second time; each call gets one tool message");
    }
    call.answered = true;
    return std::nullopt;
  }
  return problem("unknown_tool_call_id", at + ".tool_call_id " + quote(*id) +
                                             " does not match a call of the assistant message before it (" +
                                             openCallList() + ")");
}

std::optional<Problem> ExampleRun::message(const Json& message, const std::string& at, bool allow_weight,
                                           bool assistant_only) {
  if (!message.is_object()) {
    return problem("message_not_object", at + " is " + found(message) + ", expected an object with role and content");
  }
  const auto role = message.find("role");
  if (role == message.end()) {
    return problem("missing_role", at + ".role is missing, expected one of " + std::string(kRoleList));
  }
  if (!role->is_string()) {
    return problem("unknown_role", at + ".role is " + found(*role) + ", expected one of " + std::string(kRoleList));
  }
  const auto& name = role->get_ref<const std::string&>();
  const bool known = name == "system" || name == "user" || name == "assistant" || name == "tool" || name == "function";
  if (!known) {
    std::string reason = at + ".role " + quote(*role) + " is not one of " + std::string(kRoleList);
    std::string lower = name;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower != name && (lower == "system" || lower == "user" || lower == "assistant" || lower == "tool")) {
      reason += " (roles are lowercase: \"" + lower + "\")";
    }
    return problem("unknown_role", std::move(reason));
  }
  if (assistant_only && name != "assistant") {
    return problem("invalid_preference", at + ".role " + quote(*role) +
                                             " must be \"assistant\": the outputs are the assistant's answer to the input");
  }
  if (name == "function") warn("deprecated_functions");
  const Keys allowed = keysFor(name);
  for (const auto& [key, value] : message.items()) {
    if (key == "weight" || in(allowed, key)) continue;
    if (in(kEveryMessageKey, key)) {
      return problem("extra_keys", at + " has key \"" + key + "\", which a " + name +
                                       " message cannot have; allowed keys for a " + name + " message are " +
                                       join(allowed));
    }
    return problem("extra_keys", at + " has unknown key \"" + key + "\"; allowed keys for a " + name +
                                     " message are " + join(allowed));
  }
  if (auto bad = content(message, name, at)) return bad;
  if (const auto weight = message.find("weight"); weight != message.end()) {
    if (!allow_weight) {
      return problem("invalid_weight", at + ".weight is not used in preference examples; remove it");
    }
    if (name != "assistant") {
      return problem("invalid_weight",
                     at + ".weight is allowed on assistant messages only (found on a " + name + " message)");
    }
    const bool ok = weight->is_number() && (*weight == 0 || *weight == 1);
    if (!ok) return problem("invalid_weight", at + ".weight is " + found(*weight) + ", expected 0 or 1");
  }
  if (const auto given = message.find("name"); given != message.end()) {
    if (!given->is_string()) {
      return problem("invalid_name",
                     at + ".name is " + found(*given) + ", expected a string of 1 to 64 letters, digits, _ or -");
    }
    if (!isValidName(given->get_ref<const std::string&>())) {
      return problem("invalid_name", at + ".name " + quote(*given) +
                                         " does not match ^[a-zA-Z0-9_-]{1,64}$ (1 to 64 letters, digits, _ or -)");
    }
  } else if (name == "function") {
    return problem("invalid_name", at + ".name is missing; a function message names the function whose result it holds");
  }
  if (const auto refusal = message.find("refusal"); refusal != message.end() && !refusal->is_null()) {
    if (!refusal->is_string() || refusal->get_ref<const std::string&>().empty()) {
      return problem("non_string_content", at + ".refusal is " + found(*refusal) + ", expected the refusal text");
    }
  }
  // The tool conversation: a tool-calling assistant message opens calls that tool messages answer.
  if (name == "tool") return toolMessage(message, at);
  if (auto bad = closeOpenCalls(at)) return bad;
  if (name == "assistant") {
    if (const auto calls = message.find("tool_calls"); calls != message.end() && !calls->is_null()) {
      if (auto bad = toolCalls(*calls, at + ".tool_calls")) return bad;
    }
    if (const auto call = message.find("function_call"); call != message.end() && !call->is_null()) {
      warn("deprecated_functions");
      if (auto bad = functionCall(*call, at + ".function_call")) return bad;
    }
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::messagesArray(const Json& container, const std::string& prefix) {
  const Json& messages = container.at("messages");
  if (!messages.is_array()) {
    return problem("messages_not_array", prefix + "messages is " + found(messages) + ", expected an array of messages");
  }
  if (messages.empty()) {
    return problem("empty_messages", prefix + "messages is an empty array; add at least a user and an assistant message");
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::chat(const Json& example) {
  for (const auto& [key, value] : example.items()) {
    if (!in(kChatTopKeys, key)) {
      return problem("extra_keys", "unknown top-level key \"" + key + "\"; allowed keys are " + join(kChatTopKeys));
    }
  }
  if (auto bad = messagesArray(example, "")) return bad;
  if (auto bad = toolsBlock(example, "", true)) return bad;
  const Json& messages = example.at("messages");
  bool has_assistant = false;
  bool trained = false;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const Json& m = messages[i];
    if (auto bad = message(m, "messages[" + std::to_string(i) + "]", true, false)) return bad;
    if (m.at("role") == "assistant") {
      has_assistant = true;
      const auto weight = m.find("weight");
      if (weight == m.end() || *weight != 0) trained = true;
    }
  }
  // Open calls may end the example only when the tool-calling message is the last one.
  if (!open_.empty() && messages.back().at("role") != "assistant") {
    if (auto bad = closeOpenCalls("the end of the example")) return bad;
  }
  if (!has_assistant) {
    std::string roles;
    for (const Json& m : messages) roles += (roles.empty() ? "" : ", ") + m.at("role").get<std::string>();
    return problem("missing_assistant", "no assistant message (roles: " + roles +
                                            "); an example needs the assistant's answer for the model to learn from");
  }
  if (!trained) warn("untrained_example");
  return std::nullopt;
}

std::optional<Problem> ExampleRun::preference(const Json& example) {
  static const std::string kShape =
      R"(a preference example is {"input": {"messages": [...]}, "preferred_output": [{"role": "assistant", ...}], "non_preferred_output": [{"role": "assistant", ...}]})";
  in_preference_ = true;
  for (const auto& [key, value] : example.items()) {
    if (!in(kPreferenceTopKeys, key)) {
      return problem("extra_keys", "unknown top-level key \"" + key + "\"; allowed keys are " + join(kPreferenceTopKeys));
    }
  }
  const auto input = example.find("input");
  if (input == example.end()) return problem("invalid_preference", "input is missing; " + kShape);
  if (!input->is_object()) return problem("invalid_preference", "input is " + found(*input) + "; " + kShape);
  for (const auto& [key, value] : input->items()) {
    if (!in(kPreferenceInputKeys, key)) {
      return problem("extra_keys", "input has unknown key \"" + key + "\"; allowed keys are " + join(kPreferenceInputKeys));
    }
  }
  if (!input->contains("messages")) {
    return problem("missing_messages", R"(input.messages is missing; the input is the conversation so far: {"messages": [{"role": "user", "content": "..."}]})");
  }
  if (auto bad = messagesArray(*input, "input.")) return bad;
  if (auto bad = toolsBlock(*input, "input.", false)) return bad;
  const Json& messages = input->at("messages");
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (auto bad = message(messages[i], "input.messages[" + std::to_string(i) + "]", false, false)) return bad;
  }
  if (messages.back().at("role") == "assistant") {
    return problem("invalid_preference", "input.messages[" + std::to_string(messages.size() - 1) +
                                             "] is an assistant message; the input ends before the assistant's turn, "
                                             "which preferred_output and non_preferred_output hold");
  }
  if (auto bad = closeOpenCalls("the outputs")) return bad;
  for (const char* const key : {"preferred_output", "non_preferred_output"}) {
    const auto output = example.find(key);
    if (output == example.end()) return problem("invalid_preference", std::string(key) + " is missing; " + kShape);
    if (!output->is_array() || output->empty()) {
      return problem("invalid_preference", std::string(key) + " is " + found(*output) +
                                               ", expected a non-empty array of assistant messages");
    }
    const std::set<std::string, std::less<>> declared = declared_;
    const std::set<std::string, std::less<>> ids = call_ids_;
    for (std::size_t i = 0; i < output->size(); ++i) {
      if (auto bad = message((*output)[i], std::string(key) + "[" + std::to_string(i) + "]", false, true)) return bad;
    }
    // Each output continues the same input: forget the first output's calls before the second.
    open_.clear();
    call_ids_ = ids;
    declared_ = declared;
  }
  if (example.at("preferred_output") == example.at("non_preferred_output")) {
    return problem("invalid_preference",
                   "preferred_output and non_preferred_output are identical; a preference pair needs two different "
                   "answers to learn from");
  }
  return std::nullopt;
}

std::optional<Problem> ExampleRun::completion(const Json& example) {
  static const std::string kShape = R"(a legacy example is {"prompt": "...", "completion": "..."})";
  for (const auto& [key, value] : example.items()) {
    if (!in(kCompletionKeys, key)) {
      return problem("extra_keys", "unknown top-level key \"" + key + "\"; allowed keys are " + join(kCompletionKeys));
    }
  }
  for (const char* const key : {"prompt", "completion"}) {
    if (!example.contains(key)) {
      return problem("missing_prompt_or_completion", std::string(key) + " is missing; " + kShape);
    }
  }
  for (const char* const key : {"prompt", "completion"}) {
    if (!example.at(key).is_string()) {
      return problem("non_string_content", std::string(key) + " is " + found(example.at(key)) + ", expected a string");
    }
  }
  if (example.at("completion").get_ref<const std::string&>().empty()) {
    return problem("empty_content",
                   "completion is an empty string, expected the text the model should produce (prepare_data drops "
                   "such rows)");
  }
  return std::nullopt;
}

}  // namespace

std::string_view toString(Format format) {
  switch (format) {
    case Format::kChat: return "chat";
    case Format::kPreference: return "preference";
    case Format::kCompletion: return "completion";
  }
  return "chat";
}

std::optional<Format> parseFormat(std::string_view name) {
  if (name == "chat") return Format::kChat;
  if (name == "preference") return Format::kPreference;
  if (name == "completion") return Format::kCompletion;
  return std::nullopt;
}

CheckOutcome ExampleChecker::check(const nlohmann::json& example) const {
  CheckOutcome out;
  if (!example.is_object()) {
    out.problem = problem("not_object", "record is " + found(example) + ", expected an object: " +
                                            shapeOf(settings_.expected).substr(shapeOf(settings_.expected).find('{')));
    return out;
  }
  const auto detected = detect(example);
  if (!detected) {
    switch (settings_.expected) {
      case Format::kChat:
        out.problem = problem("missing_messages",
                              R"(messages is missing; a chat example is {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]})" +
                                  foundKeys(example));
        break;
      case Format::kPreference:
        out.problem = problem("invalid_preference", "input is missing; " + shapeOf(Format::kPreference) + foundKeys(example));
        break;
      case Format::kCompletion:
        out.problem = problem("missing_prompt_or_completion",
                              R"(prompt and completion are missing; a legacy example is {"prompt": "...", "completion": "..."})" +
                                  foundKeys(example));
        break;
    }
    return out;
  }
  if (*detected != settings_.expected) {
    out.problem = problem("unsupported_format", "this is " + describeFormat(*detected) + ", but this run (" +
                                                    settings_.model_id + ") takes " + shapeOf(settings_.expected) +
                                                    "; a training file holds one format");
    return out;
  }
  ExampleRun run(settings_, out);
  switch (*detected) {
    case Format::kChat: out.problem = run.chat(example); break;
    case Format::kPreference: out.problem = run.preference(example); break;
    case Format::kCompletion: out.problem = run.completion(example); break;
  }
  if (out.problem) out.warnings.clear();
  return out;
}

}  // namespace ajuste::validate_openai
