#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace ajuste::ingest {

// nlohmann's message without its prefixes, for a reject reason that gives the place in the file
// itself: "[json.exception.parse_error.101] parse error at line 1, column 13: syntax error while
// parsing object - unexpected end of input; expected '}'" -> "syntax error while parsing object
// - unexpected end of input; expected '}'". At most 300 bytes (a token it echoes can be long),
// then "...".
[[nodiscard]] std::string jsonErrorText(const nlohmann::json::exception& error);

}  // namespace ajuste::ingest
