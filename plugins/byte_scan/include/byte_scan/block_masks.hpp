#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Sixteen bytes at a time, through GCC and Clang vector extensions: the compiler emits SSE2 on
// x86-64 (where SSE2 is the baseline) and NEON on AArch64, from the same source. A mask holds
// 0xFF in each byte that matches and 0 elsewhere; element i is the byte at address + i on
// every target, so no code here depends on the byte order. Only `bitmask`, which gathers one
// bit per byte, needs an instruction of its own (pmovmskb); elsewhere it is `portableBitmask`,
// and the tests check that both agree.
//
// These loops run over every byte of every message (clean/normalize, the dedupe key, the record
// index, the JSON writer): on a 32 MB slice of the prepare benchmark's corpus, sixteen bytes
// per step in place of eight with integer tricks took the dedupe key's copy from 436 to 160
// million instructions (callgrind).
namespace ajuste::byte_scan {

using Block = unsigned char __attribute__((vector_size(16)));
using SignedBlock = signed char __attribute__((vector_size(16)));

inline constexpr std::size_t kBlockBytes = sizeof(Block);

[[nodiscard]] inline Block loadBlock(const void* at) {
  Block block;
  std::memcpy(&block, at, kBlockBytes);
  return block;
}

inline void storeBlock(void* at, Block block) { std::memcpy(at, &block, kBlockBytes); }

[[nodiscard]] inline Block splat(unsigned char value) { return Block{} + value; }

// Comparisons of vectors give signed elements, -1 or 0; converted element by element, -1 is 0xFF.
[[nodiscard]] inline Block asMask(SignedBlock comparison) { return __builtin_convertvector(comparison, Block); }

[[nodiscard]] inline Block equalTo(Block block, unsigned char value) { return asMask(block == splat(value)); }

// Bytes below `limit`, as unsigned numbers.
[[nodiscard]] inline Block lessThan(Block block, unsigned char limit) { return asMask(block < splat(limit)); }

// ASCII 'A'..'Z' lowered, every other byte as it is: the case bit (0x20) set on the upper case letters.
[[nodiscard]] inline Block asciiLowered(Block block) {
  const Block upper = lessThan(block - splat('A'), 26);
  return block | (upper & splat(0x20));
}

// Bit i set when byte i of the mask is set; it reads the high bit of each byte, so on a block
// of text it also says where the bytes of 0x80 and above (non-ASCII) are.
[[nodiscard]] inline std::uint32_t portableBitmask(Block mask) {
  std::uint32_t bits = 0;
  for (std::size_t i = 0; i < kBlockBytes; ++i) bits |= static_cast<std::uint32_t>(mask[i] >> 7) << i;
  return bits;
}

[[nodiscard]] inline std::uint32_t bitmask(Block mask) {
#if defined(__SSE2__)
  return static_cast<std::uint32_t>(_mm_movemask_epi8(std::bit_cast<__m128i>(mask)));
#else
  return portableBitmask(mask);
#endif
}

}  // namespace ajuste::byte_scan
