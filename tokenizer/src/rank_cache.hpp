#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "rank_table.hpp"

namespace ajuste::tokenizer_detail {

// Direct-mapped memo in front of one RankTable's lookups of keys of up to 16 bytes. The rank
// table has 8 MB of slots for o200k_base, so each lookup is a likely cache miss, and a text makes
// a few per byte of every piece that is not a whole token (CJK text is one long piece per run);
// text reuses a small set of keys (its words, their parts, the pairs BPE tries), which stay here
// in 384 KB. A hit is exact: the whole key (bytes and length) is compared.
//
// Threads: not shared; use threadRankCache(), one per thread and table.
class RankCache {
 public:
  static constexpr std::size_t kMaxKeySize = 16;

  explicit RankCache(const RankTable& ranks) : ranks_(ranks), table_id_(ranks.id()) {}
  RankCache(const RankCache&) = delete;
  RankCache& operator=(const RankCache&) = delete;

  [[nodiscard]] const RankTable& table() const { return ranks_; }
  // False for a table built where the one this cache served was freed.
  [[nodiscard]] bool serves(const RankTable& ranks) const { return &ranks == &ranks_ && ranks.id() == table_id_; }

  std::uint32_t find(const char* data, std::size_t size) noexcept {
    if (size == 0) return RankTable::kNoRank;
    if (size <= 8) {
      const std::uint64_t key = load(data, size);
      const std::uint64_t mixed = (key ^ size) * 0x9E3779B97F4A7C15ull;
      ShortEntry& e = short_[static_cast<std::size_t>(mixed >> 40) & (kShortEntries - 1)];
      if (e.key == key && e.size == size) return e.rank;
      e = ShortEntry{key, static_cast<std::uint32_t>(size), ranks_.find(data, size)};
      return e.rank;
    }
    if (size > kMaxKeySize) return ranks_.find(data, size);
    std::uint64_t low = 0;
    std::memcpy(&low, data, 8);
    const std::uint64_t high = load(data + 8, size - 8);
    const std::uint64_t mixed = (low ^ (high * 0xD6E8FEB86659FD93ull) ^ size) * 0x9E3779B97F4A7C15ull;
    LongEntry& e = long_[static_cast<std::size_t>(mixed >> 40) & (kLongEntries - 1)];
    if (e.low == low && e.high == high && e.size == size) return e.rank;
    e = LongEntry{low, high, static_cast<std::uint32_t>(size), ranks_.find(data, size)};
    return e.rank;
  }

 private:
  static constexpr std::size_t kShortEntries = 16384;  // 256 KB
  static constexpr std::size_t kLongEntries = 4096;    // 128 KB

  // Up to 8 bytes, little-endian and zero padded, without a memcpy call.
  static std::uint64_t load(const char* data, std::size_t size) noexcept {
    if (size >= 4) {
      std::uint32_t first = 0;
      std::uint32_t last = 0;
      std::memcpy(&first, data, 4);
      std::memcpy(&last, data + size - 4, 4);
      return first | (std::uint64_t{last} << ((size - 4) * 8));
    }
    if (size == 0) return 0;
    const auto byte = [&](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(data[i])}; };
    return byte(0) | byte(size / 2) << (size / 2 * 8) | byte(size - 1) << ((size - 1) * 8);
  }

  // size 0 marks an empty entry (no key is empty).
  struct ShortEntry {
    std::uint64_t key = 0;
    std::uint32_t size = 0;
    std::uint32_t rank = 0;
  };
  struct LongEntry {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::uint32_t size = 0;
    std::uint32_t rank = 0;
  };

  const RankTable& ranks_;
  const std::uint64_t table_id_;
  std::array<ShortEntry, kShortEntries> short_{};
  std::array<LongEntry, kLongEntries> long_{};
};

// This thread's cache for `ranks`, allocated on first use (a thread keeps one per table it used).
RankCache& threadRankCache(const RankTable& ranks);

}  // namespace ajuste::tokenizer_detail
