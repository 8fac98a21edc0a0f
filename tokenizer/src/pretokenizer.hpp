#pragma once

#include <cstddef>
#include <string_view>

// Hand-written equivalents of tiktoken's pre-tokenizer regexes (fancy-regex find_iter with
// leftmost-first alternation). Each function returns the end of the piece that starts at `pos`
// (pos < text.size()); the result is always > pos, so a caller advances by whole pieces.
// Matching decisions follow the regex alternatives in order; the comments in the .cpp name them.
namespace ajuste::tokenizer_detail {

using PieceEndFn = std::size_t (*)(std::string_view text, std::size_t pos) noexcept;

// '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+
// |\s++$|\s*[\r\n]|\s+(?!\S)|\s
std::size_t cl100kPieceEnd(std::string_view text, std::size_t pos) noexcept;

// [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
// |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
// |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
std::size_t o200kPieceEnd(std::string_view text, std::size_t pos) noexcept;

}  // namespace ajuste::tokenizer_detail
