#include "dedupe_key.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ajuste::clean_dedupe {
namespace {

using Json = nlohmann::json;

std::string compact(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// A record held as a tree.
class TreeNode {
 public:
  explicit TreeNode(const Json& value) : value_(&value) {}
  [[nodiscard]] bool isArray() const { return value_->is_array(); }
  [[nodiscard]] bool isObject() const { return value_->is_object(); }
  [[nodiscard]] bool isString() const { return value_->is_string(); }
  [[nodiscard]] bool isNull() const { return value_->is_null(); }
  [[nodiscard]] bool empty() const { return value_->empty(); }
  [[nodiscard]] std::optional<TreeNode> find(const char* key) const {
    const auto it = value_->find(key);
    if (it == value_->end()) return std::nullopt;
    return TreeNode(*it);
  }
  [[nodiscard]] std::string_view string(std::string& /*scratch*/) const { return value_->get_ref<const std::string&>(); }
  [[nodiscard]] std::string compactJson() const { return compact(*value_); }
  [[nodiscard]] const Json& held() const { return *value_; }
  template <class Visit>
  void forEachElement(Visit&& visit) const {
    for (const Json& element : *value_) visit(TreeNode(element));
  }
  template <class Visit>
  void forEachMember(Visit&& visit) const {
    for (const auto& [name, member] : value_->items()) visit(std::string_view(name), TreeNode(member));
  }

 private:
  const Json* value_;
};

// A record held as text.
class TextNode {
 public:
  explicit TextNode(record_text::JsonView value) : value_(value) {}
  [[nodiscard]] bool isArray() const { return value_.isArray(); }
  [[nodiscard]] bool isObject() const { return value_.isObject(); }
  [[nodiscard]] bool isString() const { return value_.isString(); }
  [[nodiscard]] bool isNull() const { return value_.isNull(); }
  [[nodiscard]] bool empty() const { return value_.empty(); }
  [[nodiscard]] std::optional<TextNode> find(const char* key) const {
    const auto found = value_.find(key);
    if (!found) return std::nullopt;
    return TextNode(*found);
  }
  [[nodiscard]] std::string_view string(std::string& scratch) const { return value_.string(scratch); }
  [[nodiscard]] std::string compactJson() const { return record_text::compactOf(value_); }
  [[nodiscard]] const record_text::JsonView& held() const { return value_; }
  template <class Visit>
  void forEachElement(Visit&& visit) const {
    value_.forEachElement([&](const record_text::JsonView& element) { visit(TextNode(element)); });
  }
  template <class Visit>
  void forEachMember(Visit&& visit) const {
    value_.forEachMember([&](std::string_view name, const record_text::JsonView& member) { visit(name, TextNode(member)); });
  }

 private:
  record_text::JsonView value_;
};

// The members of a message that the key reads, found in one walk over it instead of one
// lookup each (the key is built for every message of every record). Of duplicate keys the
// last counts, as in find.
template <class Node>
struct MessageMembers {
  std::optional<Node> role;
  std::optional<Node> content;
  std::optional<Node> tool_calls;
  std::optional<Node> function_call;
};

template <class Node>
MessageMembers<Node> messageMembers(const Node& message) {
  MessageMembers<Node> members;
  message.forEachMember([&](std::string_view name, const Node& value) {
    if (name == "role") {
      members.role = value;
    } else if (name == "content") {
      members.content = value;
    } else if (name == "tool_calls") {
      members.tool_calls = value;
    } else if (name == "function_call") {
      members.function_call = value;
    }
  });
  return members;
}

template <class Node>
bool isMessages(const Node& value) {
  if (!value.isArray() || value.empty()) return false;
  bool all = true;
  value.forEachElement([&](const Node& item) { all = all && item.isObject() && item.find("role").has_value(); });
  return all;
}

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

std::optional<record_text::JsonView> FieldPath::find(const record_text::JsonView& value) const {
  record_text::JsonView at = value;
  for (const std::string& token : tokens_) {
    std::optional<record_text::JsonView> next;
    if (at.isObject()) {
      next = at.find(token);
    } else if (at.isArray()) {
      if (const auto index = arrayIndex(token)) next = at.at(*index);
    }
    if (!next) return std::nullopt;
    at = *next;
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
template <class Node>
void KeyBuilder::addToolCalls(const std::optional<Node>& tool_calls, const std::optional<Node>& function_call,
                              DedupeKey& key) const {
  std::string scratch;
  const auto addCall = [&](const Node& function) {
    if (!function.isObject()) {
      addPiece('j', function.compactJson(), false, key);
      return;
    }
    const auto name = function.find("name");
    addPiece('f', name && name->isString() ? name->string(scratch) : std::string_view(), false, key);
    const auto arguments = function.find("arguments");
    if (!arguments) {
      addPiece('n', {}, false, key);
    } else if (arguments->isString()) {
      addPiece('a', arguments->string(scratch), true, key);
    } else {
      addPiece('j', arguments->compactJson(), false, key);
    }
  };
  if (tool_calls && tool_calls->isArray()) {
    tool_calls->forEachElement([&](const Node& call) {
      const auto function = call.isObject() ? call.find("function") : std::optional<Node>();
      addCall(function ? *function : call);
    });
  }
  if (function_call) addCall(*function_call);  // legacy
}

template <class Node>
void KeyBuilder::addValue(const Node& value, DedupeKey& key) const {
  std::string scratch;
  if (isMessages(value)) {
    value.forEachElement([&](const Node& message) {
      const MessageMembers<Node> members = messageMembers(message);
      const Node& role = *members.role;  // isMessages: every message has one
      if (role.isString()) {
        addPiece('r', role.string(scratch), false, key);
      } else {
        addPiece('r', role.compactJson(), false, key);
      }
      const std::optional<Node>& content = members.content;
      if (!content || content->isNull()) {
        addPiece('n', {}, false, key);
      } else if (content->isString()) {
        addPiece('s', content->string(scratch), true, key);
      } else if (content->isArray()) {
        content->forEachElement([&](const Node& part) {
          const auto text = part.isObject() ? part.find("text") : std::optional<Node>();
          if (text && text->isString()) {
            addPiece('s', text->string(scratch), true, key);
          } else {
            addPiece('j', part.compactJson(), false, key);
          }
        });
      } else {
        addPiece('j', content->compactJson(), false, key);
      }
      addToolCalls(members.tool_calls, members.function_call, key);
    });
  } else if (value.isString()) {
    addPiece('s', value.string(scratch), true, key);
  } else {
    addPiece('j', value.compactJson(), false, key);
  }
}

template <class Node>
bool KeyBuilder::buildFrom(const Node& record, DedupeKey& key) const {
  key.exact.clear();
  key.text.clear();
  bool any = false;
  for (const FieldPath& field : fields_) {
    const auto value = field.find(record.held());
    key.exact.push_back('|');  // separates fields, so a piece cannot slide into the next field
    if (!value) {
      key.exact.push_back('-');
      continue;
    }
    any = true;
    addValue(Node(*value), key);
  }
  return any;
}

bool KeyBuilder::build(const Json& record, DedupeKey& key) const { return buildFrom(TreeNode(record), key); }

bool KeyBuilder::build(const record_text::JsonView& record, DedupeKey& key) const {
  return buildFrom(TextNode(record), key);
}

bool KeyBuilder::build(const Record& record, DedupeKey& key) const {
  if (isTextOnly(record)) return build(record_text::JsonDocument(record.text).root(), key);
  return build(record.value, key);
}

std::uint64_t KeyBuilder::fingerprint() const {
  // FNV-1a over the field pointers and the options: stable, and cheap (once per stage).
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&](std::string_view bytes) {
    for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  };
  for (const FieldPath& field : fields_) {
    mix(field.text());
    mix(std::string_view("\0", 1));
  }
  mix(normalize_.collapse_whitespace ? "c" : "-");
  mix(normalize_.ignore_case ? "i" : "-");
  return hash;
}

}  // namespace ajuste::clean_dedupe
