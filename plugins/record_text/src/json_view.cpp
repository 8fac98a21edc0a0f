#include "record_text/json_view.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

#include "byte_scan/block_masks.hpp"

namespace ajuste::record_text {
namespace detail {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool endsScalar(char c) { return isSpace(c) || c == ',' || c == ']' || c == '}' || c == ':'; }

// The string token starting at the quote `at`: one past its closing quote (npos when it is not
// closed), and whether it holds an escape. Sixteen bytes at a time, looking for the quote and the
// backslash together: most strings of a chat record ("role", "user") end in the first block,
// and an escape is stepped over where it is met, so a quote is never looked at twice.
struct StringToken {
  std::size_t end;
  bool escaped;
};

StringToken stringEnd(std::string_view text, std::size_t at) {
  using namespace byte_scan;
  bool escaped = false;
  std::size_t i = at + 1;
  while (i < text.size()) {
    if (i + kBlockBytes <= text.size()) {
      const Block block = loadBlock(text.data() + i);
      const std::uint32_t stops = bitmask(equalTo(block, '"') | equalTo(block, '\\'));
      if (stops == 0) {
        i += kBlockBytes;
        continue;
      }
      i += static_cast<std::size_t>(std::countr_zero(stops));
    } else if (text[i] != '"' && text[i] != '\\') {
      ++i;
      continue;
    }
    if (text[i] == '"') return {i + 1, escaped};
    escaped = true;
    i += 2;  // the backslash and the character it escapes
  }
  return {std::string_view::npos, escaped};
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at `at`, or -1.
long hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return -1;
  long value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int digit = hexDigit(text[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void appendUtf8(std::uint32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

void decodeString(std::string_view quoted, std::string& out) {
  out.clear();
  if (quoted.size() < 2) return;
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size();) {
    const void* found = std::memchr(body.data() + i, '\\', body.size() - i);
    const std::size_t slash = found == nullptr ? body.size() : static_cast<std::size_t>(static_cast<const char*>(found) - body.data());
    out.append(body, i, slash - i);
    if (slash + 1 >= body.size()) break;
    const char kind = body[slash + 1];
    i = slash + 2;
    switch (kind) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        long code = hex4(body, i);
        if (code < 0) {
          out += "\xEF\xBF\xBD";
          break;
        }
        i += 4;
        if (code >= 0xD800 && code <= 0xDBFF) {
          // A pair: valid text always has the low half next (nlohmann and simdjson refuse a lone one).
          const long low = i + 1 < body.size() && body[i] == '\\' && body[i + 1] == 'u' ? hex4(body, i + 2) : -1;
          if (low >= 0xDC00 && low <= 0xDFFF) {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          } else {
            code = 0xFFFD;
          }
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
          code = 0xFFFD;
        }
        appendUtf8(static_cast<std::uint32_t>(code), out);
        break;
      }
      default: out += kind;  // '"', '\\', '/'
    }
  }
}

}  // namespace detail

JsonDocument::JsonDocument(std::string_view text) : text_(text) {
  if (!index()) nodes_.clear();
}

JsonView JsonDocument::root() const { return nodes_.empty() ? JsonView() : JsonView(this, 0); }

// One pass: each value becomes a node, each container remembers its last child so the next one
// is linked to it. Strings are skipped a block at a time; nothing else is looked at twice.
bool JsonDocument::index() {
  using detail::endsScalar;
  using detail::isSpace;
  const std::string_view text = text_;
  if (text.size() >= kNone) return false;
  nodes_.reserve(64);  // a chat record with tools has 30 to 60 values and keys
  struct Open {
    std::uint32_t container;
    bool object;  // the container's type, kept here: reading it from nodes_ per value cost 5% of the index
    std::uint32_t last = kNone;
    std::uint32_t children = 0;  // in an object, even ones are keys
  };
  std::vector<Open> open;
  open.reserve(8);  // deeper than any chat record: one allocation, not one per doubling
  const auto skip = [&](std::size_t at) {
    while (at < text.size() && isSpace(text[at])) ++at;
    return at;
  };
  const auto add = [&](Type type, std::size_t begin, std::size_t end) {
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    nodes_.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), kNone, type});
    if (!open.empty()) {
      if (open.back().last != kNone) nodes_[open.back().last].next = id;
      open.back().last = id;
      ++open.back().children;
    }
    return id;
  };
  const auto expectingKey = [&] { return !open.empty() && open.back().object && open.back().children % 2 == 0; };
  std::size_t at = skip(0);
  for (;;) {
    // A value starts at `at`.
    if (at >= text.size()) return false;
    const char first = text[at];
    if (expectingKey() && first != '"') return false;
    if (first == '{' || first == '[') {
      const std::uint32_t id = add(first == '{' ? Type::kObject : Type::kArray, at, 0);
      open.push_back({id, first == '{'});
      at = skip(at + 1);
      if (at < text.size() && text[at] == (first == '{' ? '}' : ']')) {
        nodes_[id].end = static_cast<std::uint32_t>(at + 1);
        open.pop_back();
        ++at;
      } else {
        continue;
      }
    } else if (first == '"') {
      const detail::StringToken string = detail::stringEnd(text, at);
      if (string.end == std::string_view::npos) return false;
      nodes_[add(Type::kString, at, string.end)].escaped = string.escaped;
      at = string.end;
    } else {
      std::size_t end = at;
      while (end < text.size() && !endsScalar(text[end])) ++end;
      const std::string_view word = text.substr(at, end - at);
      const Type type = word == "null"                                 ? Type::kNull
                        : word == "true" || word == "false"           ? Type::kBool
                        : first == '-' || (first >= '0' && first <= '9') ? Type::kNumber
                                                                       : Type::kInvalid;
      if (type == Type::kInvalid) return false;
      add(type, at, end);
      at = end;
    }
    // After a value: close what ends here, then find where the next value starts.
    for (;;) {
      at = skip(at);
      if (open.empty()) return at == text.size();
      if (at >= text.size()) return false;
      const bool object = open.back().object;
      const bool after_key = object && open.back().children % 2 == 1;
      const char c = text[at];
      if (c == (after_key ? ':' : ',')) {
        at = skip(at + 1);
        break;
      }
      if (after_key || c != (object ? '}' : ']')) return false;
      nodes_[open.back().container].end = static_cast<std::uint32_t>(at + 1);
      open.pop_back();
      ++at;
    }
  }
}

std::uint32_t JsonView::firstChild() const {
  const JsonDocument::Node* self = node();
  if (self == nullptr || (self->type != Type::kArray && self->type != Type::kObject)) return JsonDocument::kNone;
  const std::uint32_t child = id_ + 1;
  if (child >= document_->nodes_.size() || document_->nodes_[child].begin >= self->end) return JsonDocument::kNone;
  return child;
}

std::string_view JsonView::token() const {
  const JsonDocument::Node* self = node();
  if (self == nullptr) return {};
  return document_->text_.substr(self->begin, self->end - self->begin);
}

std::string_view JsonView::string(std::string& scratch) const {
  if (!isString()) return {};
  const std::string_view quoted = token();
  if (!node()->escaped) return quoted.substr(1, quoted.size() - 2);
  detail::decodeString(quoted, scratch);
  return scratch;
}

std::optional<JsonView> JsonView::find(std::string_view key) const {
  std::optional<JsonView> found;
  forEachMember([&](std::string_view name, const JsonView& value) {
    if (name == key) found = value;  // the last of duplicate keys, as nlohmann keeps it
  });
  return found;
}

std::optional<JsonView> JsonView::at(std::size_t index) const {
  if (!isArray()) return std::nullopt;
  std::size_t i = 0;
  for (std::uint32_t element = firstChild(); element != JsonDocument::kNone; element = nextOf(element)) {
    if (i++ == index) return JsonView(document_, element);
  }
  return std::nullopt;
}

std::string compactOf(const JsonView& value) {
  const auto parsed = nlohmann::json::parse(value.token(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::string(value.token());
  return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ajuste::record_text
