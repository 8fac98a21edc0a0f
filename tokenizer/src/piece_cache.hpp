#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace ajuste::tokenizer_detail {

// Direct-mapped cache of BPE results for short pieces that are not whole tokens. BPE output is a
// pure function of (encoding, piece bytes), so a hit is exact; natural text repeats such pieces
// (inflected words, "\":[{\"" in JSON) constantly, and BPE costs dozens of hash lookups each.
//
// Threads: not shared; use threadPieceCache(), one per thread.
class PieceCache {
 public:
  static constexpr std::size_t kMaxPieceSize = 32;
  static constexpr std::size_t kMaxIds = 14;

  // Appends the cached ids of `piece` and returns true, or returns false without touching `out`.
  bool lookup(const void* owner, std::uint64_t hash, std::string_view piece, std::vector<std::uint32_t>& out) const {
    const Entry& e = entries_[slot(hash)];
    if (e.owner != owner || e.size != piece.size() || std::memcmp(e.bytes.data(), piece.data(), piece.size()) != 0) {
      return false;
    }
    out.insert(out.end(), e.ids.begin(), e.ids.begin() + e.count);
    return true;
  }
  void store(const void* owner, std::uint64_t hash, std::string_view piece, const std::uint32_t* ids, std::size_t count) {
    if (piece.size() > kMaxPieceSize || count > kMaxIds) return;
    Entry& e = entries_[slot(hash)];
    e.owner = owner;
    e.size = static_cast<std::uint8_t>(piece.size());
    e.count = static_cast<std::uint8_t>(count);
    std::memcpy(e.bytes.data(), piece.data(), piece.size());
    std::memcpy(e.ids.data(), ids, count * sizeof(std::uint32_t));
  }

 private:
  static constexpr std::size_t kEntries = 2048;
  // High hash bits: the rank table indexes with the low ones.
  static std::size_t slot(std::uint64_t hash) { return static_cast<std::size_t>(hash >> 40) & (kEntries - 1); }

  struct Entry {
    const void* owner = nullptr;  // the EncodingData the ids belong to
    std::uint8_t size = 0;
    std::uint8_t count = 0;
    std::array<char, kMaxPieceSize> bytes{};
    std::array<std::uint32_t, kMaxIds> ids{};
  };
  std::array<Entry, kEntries> entries_{};
};

// This thread's cache, allocated on first use (keeps thread-local storage itself small).
PieceCache& threadPieceCache();

}  // namespace ajuste::tokenizer_detail
