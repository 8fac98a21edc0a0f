#include "ingest_common/message_template.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "ingest_common/field_lookup.hpp"

namespace ajuste::ingest {
namespace {

// How much of a long template is shown on each side of the caret.
constexpr std::size_t kContextCharacters = 40;

bool isContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Walks the template byte by byte while counting characters, so errors can name a column.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  [[nodiscard]] bool done() const { return position_ >= text_.size(); }
  [[nodiscard]] char peek() const { return text_[position_]; }
  [[nodiscard]] bool peekIs(char c) const { return !done() && text_[position_] == c; }
  // The 1-based column of the next byte.
  [[nodiscard]] std::size_t column() const { return column_; }
  char take() {
    const char c = text_[position_++];
    if (position_ >= text_.size() || !isContinuation(text_[position_])) ++column_;
    return c;
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
  std::size_t column_ = 1;
};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string col(std::size_t column) { return "column " + std::to_string(column); }

}  // namespace

std::variant<MessageTemplate, TemplateError> MessageTemplate::parse(std::string_view text) {
  MessageTemplate parsed;
  parsed.text_ = std::string(text);
  Cursor cursor(text);
  std::string literal;
  const auto flushLiteral = [&] {
    if (!literal.empty()) parsed.parts_.push_back(Part{std::exchange(literal, {}), false, false, {}, {}});
  };
  while (!cursor.done()) {
    const std::size_t column = cursor.column();
    const char c = cursor.take();
    if (c == '}') {
      if (cursor.peekIs('}')) {
        cursor.take();
        literal += '}';
        continue;
      }
      return TemplateError{column, "'}' at " + col(column) + " closes no placeholder; write '}}' for a literal '}'"};
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (cursor.peekIs('{')) {
      cursor.take();
      literal += '{';
      continue;
    }
    // A placeholder: up to three pieces separated by '|', closed by '}'.
    std::vector<std::string> pieces(1);
    std::vector<std::size_t> piece_columns{cursor.column()};
    bool closed = false;
    while (!cursor.done()) {
      const std::size_t inner_column = cursor.column();
      const char inner = cursor.take();
      if (inner == '}') {
        closed = true;
        break;
      }
      if (inner == '{') {
        return TemplateError{inner_column, "'{' at " + col(inner_column) + " is inside the placeholder opened at " +
                                               col(column) +
                                               "; placeholders do not nest (close it with '}' first, and write '{{' "
                                               "for a literal '{')"};
      }
      if (inner == '|') {
        pieces.emplace_back();
        piece_columns.push_back(cursor.column());
        continue;
      }
      pieces.back() += inner;
    }
    if (!closed) {
      return TemplateError{column, "'{' at " + col(column) +
                                       " is never closed; end the placeholder with '}', or write '{{' for a literal '{'"};
    }
    const std::string field(trimmed(pieces.front()));
    if (field.empty()) {
      return TemplateError{column, "the placeholder at " + col(column) +
                                       " names no field; write {column_name}, or '{{}}' for a literal '{}'"};
    }
    if (pieces.size() == 2 || pieces.size() > 3) {
      const std::size_t bad = piece_columns[pieces.size() == 2 ? 1 : 3];
      return TemplateError{bad, "the placeholder at " + col(column) + " has " + std::to_string(pieces.size() - 1) +
                                    " form" + (pieces.size() == 2 ? "" : "s") +
                                    " after the field; a plural takes exactly two, singular then plural: {" + field +
                                    "|star|stars}"};
    }
    flushLiteral();
    Part part{field, true, pieces.size() == 3, {}, {}};
    if (part.is_plural) {
      part.singular = pieces[1];
      part.plural = pieces[2];
    }
    if (std::find(parsed.fields_.begin(), parsed.fields_.end(), field) == parsed.fields_.end()) {
      parsed.fields_.push_back(field);
    }
    parsed.parts_.push_back(std::move(part));
  }
  flushLiteral();
  return parsed;
}

std::string MessageTemplate::explain(const TemplateError& error, std::string_view text) {
  // Cut the template into characters, keep a window around the column, and put a caret under it.
  std::vector<std::string_view> characters;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    while (i + length < text.size() && isContinuation(text[i + length])) ++length;
    characters.push_back(text.substr(i, length));
    i += length;
  }
  const std::size_t at = error.column == 0 ? 0 : error.column - 1;
  const std::size_t first = at > kContextCharacters ? at - kContextCharacters : 0;
  const std::size_t last = std::min(characters.size(), at + kContextCharacters);
  std::string shown = first > 0 ? "..." : "";
  for (std::size_t i = first; i < last; ++i) {
    // Line breaks and tabs would move the caret: show them escaped.
    if (characters[i] == "\n") {
      shown += "\\n";
    } else if (characters[i] == "\t") {
      shown += "\\t";
    } else {
      shown += characters[i];
    }
  }
  if (last < characters.size()) shown += "...";
  std::size_t caret = first > 0 ? 3 : 0;
  for (std::size_t i = first; i < at && i < characters.size(); ++i) {
    caret += characters[i] == "\n" || characters[i] == "\t" ? std::size_t{2} : std::size_t{1};
  }
  return error.message + "\n    " + shown + "\n    " + std::string(caret, ' ') + "^";
}

std::optional<FillError> MessageTemplate::render(const nlohmann::json& record, std::string& out) const {
  for (const Part& part : parts_) {
    if (!part.is_field) {
      out += part.text;
      continue;
    }
    const nlohmann::json* value = lookupField(record, part.text);
    if (value == nullptr) {
      const auto names = fieldNames(record);
      return FillError{"missing_field", "field '" + part.text + "' is missing; the record has " + listNames(names) +
                                            didYouMean(part.text, names)};
    }
    if (part.is_plural) {
      const auto number = fieldNumber(*value);
      if (!number) {
        return FillError{"plural_not_number",
                         "field '" + part.text + "' is " + jsonKind(*value) +
                             (value->is_string() ? " \"" + value->get<std::string>() + "\"" : std::string()) +
                             ", not a number, so {" + part.text + "|" + part.singular + "|" + part.plural +
                             "} cannot choose between '" + part.singular + "' and '" + part.plural + "'"};
      }
      out += std::fabs(*number) == 1.0 ? part.singular : part.plural;
      continue;
    }
    const auto text = fieldText(*value);
    if (!text) {
      return FillError{"field_not_text", "field '" + part.text + "' is " + jsonKind(*value) +
                                             ", which has no text to put in a message; name a string or number" +
                                             (value->is_object() ? " inside it, e.g. '" + part.text + ".text'" : "")};
    }
    out += *text;
  }
  return std::nullopt;
}

}  // namespace ajuste::ingest
