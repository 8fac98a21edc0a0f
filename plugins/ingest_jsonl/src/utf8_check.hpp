#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ajuste::ingest_jsonl {

// The first place where `text` stops being well-formed UTF-8 (Unicode 15, table 3-7: no
// overlong forms, no UTF-16 surrogates, nothing above U+10FFFF).
struct Utf8Error {
  std::size_t offset = 0;  // 0-based byte offset of the first byte of the bad sequence
  std::string what;        // "0xFF can never appear in UTF-8 text"
};

// Checked before JSON parsing so a reject can say which byte is wrong, instead of the JSON
// parser's "invalid string" somewhere later in the line.
[[nodiscard]] std::optional<Utf8Error> findInvalidUtf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not end inside a UTF-8
// sequence (for quoting a line without cutting a character in half).
[[nodiscard]] std::string_view utf8Prefix(std::string_view text, std::size_t max_bytes);

}  // namespace ajuste::ingest_jsonl
