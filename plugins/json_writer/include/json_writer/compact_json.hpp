#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ajuste/record.hpp"

namespace ajuste::json_writer {

// Appends `value` to `out` exactly as `value.dump()` would write it (compact, keys in the
// object's order, UTF-8 kept as is, controls escaped the same way, numbers formatted by
// nlohmann), so files stay byte-identical to what earlier versions wrote. Strings are validated
// with SIMD and copied in runs instead of byte by byte. A string that is not valid UTF-8 throws
// the nlohmann::json::type_error (316) that dump() throws, with the same message; `out` is then
// left as it was.
void appendCompactJson(const nlohmann::json& value, std::string& out);

// One JSONL line: appendCompactJson, then '\n'. When a string is not valid UTF-8, `out` is
// left as it was and the error's text is returned, for the writing stage's reject reason.
[[nodiscard]] std::optional<std::string> appendJsonLine(const nlohmann::json& value, std::string& out);

// A record's JSONL line: its text (Record::text) as it is when it has one, else its value as
// appendJsonLine writes it (and its error).
[[nodiscard]] std::optional<std::string> appendRecordLine(const Record& record, std::string& out);

// `text` as a JSON string, quotes included, escaped as dump() escapes it. False when `text` is
// not valid UTF-8 (`out` is then left as it was).
[[nodiscard]] bool appendJsonString(std::string_view text, std::string& out);

}  // namespace ajuste::json_writer
