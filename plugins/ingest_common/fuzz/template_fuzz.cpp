// Fuzz target for the template language (MessageTemplate): any text either parses or gives an
// error whose column lies within the text; a parsed template renders against any record without
// crashing; and any text with its braces doubled parses as that exact literal text.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "ingest_common/message_template.hpp"

namespace {

std::size_t codePoints(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

std::string escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    out += c;
    if (c == '{' || c == '}') out += c;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ajuste::ingest::MessageTemplate;
  using ajuste::ingest::TemplateError;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto parsed = MessageTemplate::parse(text);
  if (const auto* error = std::get_if<TemplateError>(&parsed)) {
    AJUSTE_FUZZ_CHECK(error->column >= 1 && error->column <= codePoints(text) + 1, text);
    AJUSTE_FUZZ_CHECK(!error->message.empty(), text);
    const std::string explained = MessageTemplate::explain(*error, text);
    AJUSTE_FUZZ_CHECK(explained.find('^') != std::string::npos, text);
  } else {
    const auto& parsed_template = std::get<MessageTemplate>(parsed);
    // Every field present, with values of every kind in turn; then no field present at all.
    nlohmann::json record = nlohmann::json::object();
    const nlohmann::json kinds[] = {"1", 2, "x", nlohmann::json::object(), nullptr, 1.5, true, "-1"};
    std::size_t next = 0;
    for (const std::string& field : parsed_template.fields()) {
      AJUSTE_FUZZ_CHECK(!field.empty(), text);
      record[field] = kinds[next++ % std::size(kinds)];
    }
    std::string out;
    (void)parsed_template.render(record, out);
    out.clear();
    const auto missing = parsed_template.render(nlohmann::json::object(), out);
    AJUSTE_FUZZ_CHECK(parsed_template.fields().empty() || missing.has_value(), text);
  }

  auto literal = MessageTemplate::parse(escaped(text));
  AJUSTE_FUZZ_CHECK(std::holds_alternative<MessageTemplate>(literal), text);
  const auto& literal_template = std::get<MessageTemplate>(literal);
  AJUSTE_FUZZ_CHECK(literal_template.fields().empty(), text);
  std::string out;
  AJUSTE_FUZZ_CHECK(!literal_template.render(nlohmann::json::object(), out).has_value(), text);
  AJUSTE_FUZZ_CHECK(out == text, text);
  return 0;
}
