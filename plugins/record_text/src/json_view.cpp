#include "record_text/json_view.hpp"

#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

namespace ajuste::record_text {
namespace detail {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool endsScalar(char c) { return isSpace(c) || c == ',' || c == ']' || c == '}' || c == ':'; }

// One past the string token starting at the quote `at`, or npos when it is not closed.
std::size_t stringEnd(std::string_view text, std::size_t at) {
  std::size_t from = at + 1;
  while (from < text.size()) {
    const void* found = std::memchr(text.data() + from, '"', text.size() - from);
    if (found == nullptr) return std::string_view::npos;
    const auto quote = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    // Escaped when an odd number of backslashes precede it.
    std::size_t backslashes = 0;
    while (quote - backslashes > at + 1 && text[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    from = quote + 1;
  }
  return std::string_view::npos;
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

std::size_t skipSpace(std::string_view text, std::size_t at) {
  while (at < text.size() && isSpace(text[at])) ++at;
  return at;
}

std::size_t valueEnd(std::string_view text, std::size_t at) {
  if (at >= text.size()) return std::string_view::npos;
  const char first = text[at];
  if (first == '"') return stringEnd(text, at);
  if (first == '{' || first == '[') {
    std::size_t depth = 0;
    for (std::size_t i = at; i < text.size();) {
      const char c = text[i];
      if (c == '"') {
        i = stringEnd(text, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }
  std::size_t i = at;
  while (i < text.size() && !endsScalar(text[i])) ++i;
  return i == at ? std::string_view::npos : i;
}

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

JsonView::Type JsonView::type() const {
  if (token_.empty()) return Type::kInvalid;
  switch (token_.front()) {
    case '{': return token_.size() >= 2 && token_.back() == '}' ? Type::kObject : Type::kInvalid;
    case '[': return token_.size() >= 2 && token_.back() == ']' ? Type::kArray : Type::kInvalid;
    case '"': return token_.size() >= 2 && token_.back() == '"' ? Type::kString : Type::kInvalid;
    case 'n': return Type::kNull;
    case 't':
    case 'f': return Type::kBool;
    default: return token_.front() == '-' || (token_.front() >= '0' && token_.front() <= '9') ? Type::kNumber : Type::kInvalid;
  }
}

std::string_view JsonView::string(std::string& scratch) const {
  if (!isString()) return {};
  const std::string_view body = token_.substr(1, token_.size() - 2);
  if (body.find('\\') == std::string_view::npos) return body;
  detail::decodeString(token_, scratch);
  return scratch;
}

std::optional<JsonView> JsonView::find(std::string_view key) const {
  std::optional<JsonView> found;
  (void)forEachMember([&](std::string_view name, const JsonView& value) {
    if (name == key) found = value;  // the last of duplicate keys, as nlohmann keeps it
  });
  return found;
}

std::optional<JsonView> JsonView::at(std::size_t index) const {
  std::optional<JsonView> found;
  std::size_t i = 0;
  (void)forEachElement([&](const JsonView& element) {
    if (i++ == index) found = element;
  });
  return found;
}

bool JsonView::empty() const {
  if (!isObject() && !isArray()) return false;
  const std::size_t at = detail::skipSpace(token_, 1);
  return at + 1 == token_.size();
}

JsonView viewOf(std::string_view text) {
  std::size_t begin = detail::skipSpace(text, 0);
  std::size_t end = text.size();
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  return JsonView(text.substr(begin, end - begin));
}

std::string compactOf(const JsonView& value) {
  const auto parsed = nlohmann::json::parse(value.token(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::string(value.token());
  return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ajuste::record_text
