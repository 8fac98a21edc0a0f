#include "json_element.hpp"

#include "ingest_common/field_lookup.hpp"
#include "ingest_common/json_errors.hpp"
#include "ingest_common/utf8.hpp"

namespace ajuste::ingest_file {

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
                                             std::to_string(at.column) + ": " + ingest::jsonErrorText(error) +
                                             "; each element of the array must be one complete JSON object"};
  } catch (const nlohmann::json::exception& error) {
    return ElementReject{"invalid_json", "invalid JSON: " + ingest::jsonErrorText(error)};
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
