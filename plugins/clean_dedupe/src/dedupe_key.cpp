#include "dedupe_key.hpp"

#include <cstddef>
#include <string_view>
#include <utility>

namespace ajuste::clean_dedupe {
namespace {

using Json = nlohmann::json;

bool isMessages(const Json& value) {
  if (!value.is_array() || value.empty()) return false;
  for (const Json& item : value) {
    if (!item.is_object() || !item.contains("role")) return false;
  }
  return true;
}

std::string compact(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::optional<std::size_t> arrayIndex(const std::string& token) {
  if (token.empty() || token.size() > 18 || (token.size() > 1 && token[0] == '0')) return std::nullopt;
  std::size_t index = 0;
  for (const char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

}  // namespace

Result<FieldPath> FieldPath::parse(const std::string& pointer, const std::string& option_pointer) {
  if (pointer.empty() || pointer[0] != '/') {
    return Status::configError(option_pointer, "\"" + pointer +
                                                   "\" is not a JSON pointer; write a field as \"/messages\" or "
                                                   "\"/meta/text\"");
  }
  FieldPath path;
  path.text_ = pointer;
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      path.tokens_.push_back(std::exchange(token, {}));
    } else if (pointer[i] == '~') {
      const char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return Status::configError(option_pointer, "\"" + pointer + "\": '~' must be followed by 0 or 1 (~0 is ~, ~1 is /)");
      }
      token.push_back(next == '0' ? '~' : '/');
      ++i;
    } else {
      token.push_back(pointer[i]);
    }
  }
  return path;
}

const Json* FieldPath::find(const Json& value) const {
  const Json* at = &value;
  for (const std::string& token : tokens_) {
    if (at->is_object()) {
      const auto it = at->find(token);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      const auto index = arrayIndex(token);
      if (!index || *index >= at->size()) return nullptr;
      at = &(*at)[*index];
    } else {
      return nullptr;
    }
  }
  return at;
}

void KeyBuilder::addPiece(char tag, std::string_view raw, bool normalize, DedupeKey& key) const {
  const std::size_t start = key.text.size();
  if (normalize) {
    appendNormalized(raw, normalize_, key.text);
  } else {
    key.text.append(raw);
  }
  const std::string_view piece = std::string_view(key.text).substr(start);
  key.exact.push_back(tag);
  key.exact += std::to_string(piece.size());
  key.exact.push_back(':');
  key.exact.append(piece);
  if (want_text_ && !piece.empty()) {
    key.text.push_back('\n');
  } else {
    key.text.resize(start);
  }
}

// An assistant message that calls tools says its answer there, not in `content` (often null):
// two records asking the same thing but calling with other arguments are different examples.
// The call's id is left out (generated, different in every record); its function's name and
// arguments count, the arguments as the JSON text they are.
void KeyBuilder::addToolCalls(const Json& message, DedupeKey& key) const {
  const auto addCall = [&](const Json& function) {
    if (!function.is_object()) {
      addPiece('j', compact(function), false, key);
      return;
    }
    const auto name = function.find("name");
    addPiece('f', name != function.end() && name->is_string() ? name->get_ref<const std::string&>() : std::string(), false, key);
    const auto arguments = function.find("arguments");
    if (arguments == function.end()) {
      addPiece('n', {}, false, key);
    } else if (arguments->is_string()) {
      addPiece('a', arguments->get_ref<const std::string&>(), true, key);
    } else {
      addPiece('j', compact(*arguments), false, key);
    }
  };
  if (const auto calls = message.find("tool_calls"); calls != message.end() && calls->is_array()) {
    for (const Json& call : *calls) {
      const auto function = call.is_object() ? call.find("function") : call.end();
      addCall(call.is_object() && function != call.end() ? *function : call);
    }
  }
  if (const auto call = message.find("function_call"); call != message.end()) addCall(*call);  // legacy
}

void KeyBuilder::addValue(const Json& value, DedupeKey& key) const {
  if (isMessages(value)) {
    for (const Json& message : value) {
      const Json& role = message.at("role");
      addPiece('r', role.is_string() ? role.get_ref<const std::string&>() : compact(role), false, key);
      const auto content = message.find("content");
      if (content == message.end() || content->is_null()) {
        addPiece('n', {}, false, key);
      } else if (content->is_string()) {
        addPiece('s', content->get_ref<const std::string&>(), true, key);
      } else if (content->is_array()) {
        for (const Json& part : *content) {
          const auto text = part.is_object() ? part.find("text") : part.end();
          if (part.is_object() && text != part.end() && text->is_string()) {
            addPiece('s', text->get_ref<const std::string&>(), true, key);
          } else {
            addPiece('j', compact(part), false, key);
          }
        }
      } else {
        addPiece('j', compact(*content), false, key);
      }
      addToolCalls(message, key);
    }
  } else if (value.is_string()) {
    addPiece('s', value.get_ref<const std::string&>(), true, key);
  } else {
    addPiece('j', compact(value), false, key);
  }
}

bool KeyBuilder::build(const Json& record, DedupeKey& key) const {
  key.exact.clear();
  key.text.clear();
  bool any = false;
  for (const FieldPath& field : fields_) {
    const Json* value = field.find(record);
    key.exact.push_back('|');  // separates fields, so a piece cannot slide into the next field
    if (value == nullptr) {
      key.exact.push_back('-');
      continue;
    }
    any = true;
    addValue(*value, key);
  }
  return any;
}

}  // namespace ajuste::clean_dedupe
