#include "json_element.hpp"

#include <string_view>

#include "ingest_common/field_lookup.hpp"
#include "ingest_common/utf8.hpp"

namespace ajuste::ingest_file {
namespace {

// The JSON parser's message is quoted in reasons; a token it echoes can be long.
constexpr std::size_t kMaxParserMessageBytes = 300;

// "[json.exception.parse_error.101] parse error at line 1, column 13: syntax error while parsing
// object - unexpected end of input; expected '}'" -> "syntax error while parsing object - ...".
std::string parserMessage(const nlohmann::json::exception& error) {
  std::string_view what = error.what();
  if (const auto bracket = what.find("] "); what.starts_with("[json.exception.") && bracket != std::string_view::npos) {
    what.remove_prefix(bracket + 2);
  }
  if (what.starts_with("parse error")) {
    if (const auto colon = what.find(": "); colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  std::string message(ingest::utf8Prefix(what, kMaxParserMessageBytes));
  if (message.size() < what.size()) message += "...";
  return message;
}

}  // namespace

std::optional<ElementReject> decodeElement(const std::string& text, const Provenance& origin, std::uint64_t column,
                                           nlohmann::json& out) {
  const ingest::TextPosition start{origin.line, column};
  if (const auto bad = ingest::findInvalidUtf8(text)) {
    const auto at = ingest::positionIn(text, bad->offset, start);
    return ElementReject{"invalid_utf8", ingest::describeInvalidUtf8(*bad, at, origin.byte_offset + bad->offset)};
  }
  try {
    out = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // `byte` counts from 1 the characters read, the failing one included.
    const std::size_t failed_at = error.byte > 0 ? error.byte - 1 : 0;
    const auto at = ingest::positionIn(text, failed_at, start);
    return ElementReject{"invalid_json", "invalid JSON at line " + std::to_string(at.line) + ", column " +
                                             std::to_string(at.column) + ": " + parserMessage(error) +
                                             "; each element of the array must be one complete JSON object"};
  } catch (const nlohmann::json::exception& error) {
    return ElementReject{"invalid_json", "invalid JSON: " + parserMessage(error)};
  }
  if (!out.is_object()) {
    const std::string kind = ingest::jsonKind(out);
    out = nullptr;
    return ElementReject{"not_object", "the element is " + kind +
                                           ", expected an object; ingest/json reads an array of objects, "
                                           "[{\"prompt\": ...}, {...}]"};
  }
  return std::nullopt;
}

}  // namespace ajuste::ingest_file
