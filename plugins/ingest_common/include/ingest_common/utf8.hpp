#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ajuste::ingest {

// The first place where `text` stops being well-formed UTF-8 (Unicode 15, table 3-7: no
// overlong forms, no UTF-16 surrogates, nothing above U+10FFFF).
struct Utf8Error {
  std::size_t offset = 0;  // 0-based byte offset of the first byte of the bad sequence
  std::string what;        // "0xFF can never appear in UTF-8 text"
};

// Checked before parsing, so a reject can say which byte is wrong.
[[nodiscard]] std::optional<Utf8Error> findInvalidUtf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not end inside a UTF-8
// sequence (for quoting input without cutting a character in half).
[[nodiscard]] std::string_view utf8Prefix(std::string_view text, std::size_t max_bytes);

// Where byte `offset` of a record's text lies, given where the record starts in its file.
struct TextPosition {
  std::uint64_t line = 1;    // 1-based line in the file
  std::uint64_t column = 1;  // 1-based byte column in that line
};
[[nodiscard]] TextPosition positionIn(std::string_view text, std::size_t offset, TextPosition start);

// The reason of an invalid_utf8 reject: line, column and byte offset in the (decompressed)
// input, what is wrong, and the usual cause.
[[nodiscard]] std::string describeInvalidUtf8(const Utf8Error& error, TextPosition at, std::uint64_t input_offset);

}  // namespace ajuste::ingest
