#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

// For the fuzz targets of the ingest parsers, which all test the same promise: a parser cuts
// the same items whatever sizes the reads and the buffer come in. Their corpora are written to
// this one input layout, so keep it: byte 0 holds the target's format bits, byte 1 the chunking.
namespace ajuste::fuzz {

struct ParserInput {
  std::uint8_t format_bits = 0;  // what each bit means is the target's choice
  std::size_t chunk = 1;         // 1 to 16: the size of the chunked reads
  std::string text;              // what the parser reads
};

// nullopt for an input too short to hold the two leading bytes.
inline std::optional<ParserInput> parserInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return std::nullopt;
  return ParserInput{data[0], std::size_t{1} + (data[1] & 15u),
                     std::string(reinterpret_cast<const char*>(data + 2), size - 2)};
}

// The text cut three ways that must agree.
template <class Cut>
struct ChunkedCuts {
  Cut whole;     // one read through a large buffer
  Cut bytewise;  // 1-byte reads through a buffer of `tiny_buffer` bytes
  Cut chunked;   // `chunk`-byte reads through a buffer `slack` bytes larger than the chunk
};

// `cut(read_size, buffer_bytes)` reads input.text with reads of at most `read_size` bytes.
template <class CutFn>
auto cutThreeWays(const ParserInput& input, CutFn&& cut, std::size_t tiny_buffer, std::size_t slack)
    -> ChunkedCuts<decltype(cut(std::size_t{1}, std::size_t{1}))> {
  return {cut(input.text.size() + 1, std::size_t{1} << 16), cut(std::size_t{1}, tiny_buffer),
          cut(input.chunk, input.chunk + slack)};
}

}  // namespace ajuste::fuzz
