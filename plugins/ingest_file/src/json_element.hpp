#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/provenance.hpp"

namespace ajuste::ingest_file {

struct ElementReject {
  std::string kind;    // invalid_utf8, invalid_json, not_object
  std::string reason;  // names line and column in the file
};

// Decodes the text of one array element into `out` (an object), or says why it cannot be: the
// UTF-8 check, the JSON parser, the object check. `origin` and `column` place the text in its
// file, so the reason names the file's line and column, not the element's. Stateless: the
// parallel decode step and the factory's sample both call it.
[[nodiscard]] std::optional<ElementReject> decodeElement(const std::string& text, const Provenance& origin,
                                                         std::uint64_t column, nlohmann::json& out);

}  // namespace ajuste::ingest_file
