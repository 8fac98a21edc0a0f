#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste::ingest {

// Why a template could not be read, and where.
struct TemplateError {
  std::size_t column = 1;  // 1-based, in characters (code points) of the template text
  std::string message;     // "'{' at column 9 is never closed; write '{{' for a literal '{'"
};

// Why a record could not fill a template: becomes a reject reason.
struct FillError {
  std::string kind;    // "missing_field", "field_not_text", "plural_not_number"
  std::string reason;  // names the field, and the fields the record does have
};

// The text of one message, with the record's fields put in. The language (README.md has the
// full reference):
//
//   template    = { text | "{{" | "}}" | placeholder }
//   placeholder = "{" field [ "|" singular "|" plural ] "}"
//   field       = characters other than { } |, spaces and tabs around it ignored; the key of
//                 the record, or a dotted path into nested values (see lookupField)
//   singular, plural = characters other than { } |, kept exactly
//
// "{stars}" puts in the value's text; "{stars|star|stars}" puts in "star" when the value is the
// number 1 or -1 (a number, or a string holding one) and "stars" otherwise.
//
// Immutable once parsed; render() may be called from several threads at once.
class MessageTemplate {
 public:
  [[nodiscard]] static std::variant<MessageTemplate, TemplateError> parse(std::string_view text);

  // The error as a user reads it: the message, then the template with a caret under the column
  // (a window of it around the column when the template is long).
  [[nodiscard]] static std::string explain(const TemplateError& error, std::string_view text);

  // Appends the filled-in text to `out`; on failure `out` holds a partial text.
  [[nodiscard]] std::optional<FillError> render(const nlohmann::json& record, std::string& out) const;

  // Every field the template names, in order of first appearance, each once.
  [[nodiscard]] const std::vector<std::string>& fields() const { return fields_; }
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  struct Part {
    std::string text;      // literal text, or the field's name
    bool is_field = false;
    bool is_plural = false;
    std::string singular;
    std::string plural;
  };

  MessageTemplate() = default;

  std::string text_;
  std::vector<Part> parts_;
  std::vector<std::string> fields_;
};

}  // namespace ajuste::ingest
