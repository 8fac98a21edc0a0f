#include "byte_scan/block_masks.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>

#include <gtest/gtest.h>

namespace ajuste::byte_scan {
namespace {

// Blocks of sixteen consecutive byte values, so every value 0..255 is seen in every position
// once the start has gone round.
Block blockFrom(unsigned start) {
  std::array<unsigned char, kBlockBytes> bytes{};
  for (std::size_t i = 0; i < kBlockBytes; ++i) bytes[i] = static_cast<unsigned char>(start + i * 17);
  return loadBlock(bytes.data());
}

TEST(BlockMasks, CompareEveryByteValueAsUnsignedNumbers) {
  for (unsigned start = 0; start < 256; ++start) {
    const Block block = blockFrom(start);
    for (const unsigned number : {0x00u, 0x20u, 0x21u, 0x7Fu, 0x80u, 0xC2u, 0xE3u, 0xFFu}) {
      const auto value = static_cast<unsigned char>(number);
      const Block equal = equalTo(block, value);
      const Block less = lessThan(block, value);
      for (std::size_t i = 0; i < kBlockBytes; ++i) {
        ASSERT_EQ(equal[i], block[i] == value ? 0xFF : 0x00) << "byte " << unsigned{block[i]} << " == " << unsigned{value};
        ASSERT_EQ(less[i], block[i] < value ? 0xFF : 0x00) << "byte " << unsigned{block[i]} << " < " << unsigned{value};
      }
    }
  }
}

TEST(BlockMasks, LowerOnlyTheAsciiCapitals) {
  for (unsigned start = 0; start < 256; ++start) {
    const Block block = blockFrom(start);
    const Block lowered = asciiLowered(block);
    for (std::size_t i = 0; i < kBlockBytes; ++i) {
      const unsigned char byte = block[i];
      const unsigned char expected = byte >= 'A' && byte <= 'Z' ? static_cast<unsigned char>(byte + 0x20) : byte;
      ASSERT_EQ(lowered[i], expected) << "byte " << unsigned{byte};
    }
  }
}

// Bit i is the byte at address + i, whatever the target: the loops find the first special
// byte with countr_zero. The instruction on x86-64 and the portable loop must agree.
TEST(BlockMasks, BitmaskNamesBytesInAddressOrderOnEveryPath) {
  std::array<unsigned char, kBlockBytes> bytes{};
  bytes[3] = 0xFF;
  EXPECT_EQ(bitmask(loadBlock(bytes.data())), 1u << 3);
  std::mt19937 random(5);
  for (int round = 0; round < 10000; ++round) {
    for (unsigned char& byte : bytes) byte = (random() & 1) != 0 ? 0xFF : 0x00;
    const Block mask = loadBlock(bytes.data());
    std::uint32_t expected = 0;
    for (std::size_t i = 0; i < kBlockBytes; ++i) expected |= bytes[i] != 0 ? 1u << i : 0u;
    ASSERT_EQ(bitmask(mask), expected);
    ASSERT_EQ(portableBitmask(mask), expected);
  }
}

}  // namespace
}  // namespace ajuste::byte_scan
