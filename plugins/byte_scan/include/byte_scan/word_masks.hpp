#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

// Eight bytes at a time, without SIMD intrinsics (so the same code runs on every target).
// Each mask has the high bit of a byte set exactly where that byte matches: no carry crosses
// from one byte into the next, so masks can be combined, shifted and counted with countr_zero.
// Only firstByte and code that shifts masks depend on the byte order of a word; firstByte
// handles both orders, shifting code checks std::endian::native.
namespace ajuste::byte_scan {

inline constexpr std::size_t kWordBytes = sizeof(std::uint64_t);
inline constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
inline constexpr std::uint64_t kLowBits = 0x7F7F7F7F7F7F7F7FULL;

[[nodiscard]] inline std::uint64_t loadWord(const void* at) {
  std::uint64_t word;
  std::memcpy(&word, at, kWordBytes);
  return word;
}

inline void storeWord(void* at, std::uint64_t word) { std::memcpy(at, &word, kWordBytes); }

[[nodiscard]] constexpr std::uint64_t zeroBytes(std::uint64_t word) {
  return ~(((word & kLowBits) + kLowBits) | word | kLowBits);
}

[[nodiscard]] constexpr std::uint64_t bytesEqual(std::uint64_t word, unsigned char value) {
  return zeroBytes(word ^ (kOnes * value));
}

// Bytes below `limit` (1..0x80): with the high bit clear, b + (0x80 - limit) reaches 0x80
// exactly when b >= limit; a byte with the high bit set is never below the limit.
[[nodiscard]] constexpr std::uint64_t bytesBelow(std::uint64_t word, unsigned char limit) {
  return ~((word & kLowBits) + kOnes * (0x80U - limit)) & ~word & kHighBits;
}

// ASCII 'A'..'Z' lowered, every other byte as it is.
[[nodiscard]] constexpr std::uint64_t asciiLowered(std::uint64_t word) {
  const std::uint64_t upper = bytesBelow(word, 'Z' + 1) & ~bytesBelow(word, 'A');
  return word + (upper >> 2);  // 0x80 >> 2 is 0x20, the case bit
}

// Index, in text order, of the first matching byte of a non-zero mask.
[[nodiscard]] constexpr std::size_t firstByte(std::uint64_t mask) {
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<std::size_t>(std::countr_zero(mask)) / 8;
  } else {
    return static_cast<std::size_t>(std::countl_zero(mask)) / 8;
  }
}

}  // namespace ajuste::byte_scan
