#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ajuste::tokenizer_detail {

// Token bytes → rank, for one tiktoken rank file. Open addressing with linear probing; each
// slot keeps the first 8 bytes and the length of its key, so tokens of up to 8 bytes (nearly all
// lookups) are compared without touching the byte store.
//
// Threads: immutable after construction, safe to read from any number of threads.
class RankTable {
 public:
  static constexpr std::uint32_t kNoRank = 0xFFFFFFFFu;

  // Parses the .tiktoken text ("<base64> <rank>\n" per token, ranks 0..n-1 in order, blank lines
  // skipped). Throws std::runtime_error naming the line when the text is malformed.
  explicit RankTable(std::string_view tiktokenText);

  // Hash of a key as this table computes it; callers that also cache by piece hash once.
  static std::uint64_t hash(const char* data, std::size_t size) noexcept {
    return hashKey(loadHead(data, size), data, size);
  }

  std::uint32_t find(const char* data, std::size_t size) const noexcept {
    if (size > maxTokenSize_) return kNoRank;  // also keeps long BPE pairs from being hashed
    return findHashed(data, size, hash(data, size));
  }
  std::uint32_t findHashed(const char* data, std::size_t size, std::uint64_t h) const noexcept {
    if (size > maxTokenSize_) return kNoRank;
    const std::uint64_t head = loadHead(data, size);
    for (std::size_t i = static_cast<std::size_t>(h) & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.size == 0) return kNoRank;
      if (slot.head == head && slot.size == size &&
          (size <= 8 || std::memcmp(bytes_.data() + offsets_[slot.rank] + 8, data + 8, size - 8) == 0)) {
        return slot.rank;
      }
    }
  }
  std::uint32_t find(std::string_view key) const noexcept { return find(key.data(), key.size()); }

  std::string_view bytesOf(std::uint32_t rank) const noexcept {
    return std::string_view(bytes_).substr(offsets_[rank], offsets_[rank + 1] - offsets_[rank]);
  }
  std::size_t size() const noexcept { return offsets_.size() - 1; }
  // Distinct for every table built in this process (a copy keeps it: same content), so per-thread
  // caches of lookups can tell tables apart even when one is built where another was freed.
  std::uint64_t id() const noexcept { return id_; }
  std::size_t maxTokenSize() const noexcept { return maxTokenSize_; }

 private:
  struct Slot {
    std::uint64_t head = 0;  // first min(8, size) bytes, little-endian, zero padded
    std::uint32_t rank = 0;
    std::uint32_t size = 0;  // 0 marks an empty slot (no token is empty)
  };

  static std::uint64_t loadHead(const char* data, std::size_t size) noexcept {
    std::uint64_t v = 0;
    std::memcpy(&v, data, size < 8 ? size : 8);
    return v;
  }
  // Every key bit must reach the low bits used as the slot index (a bare multiply would leave
  // the last bytes of an 8-byte head out of them, and o200k has many tokens sharing prefixes).
  static std::uint64_t hashKey(std::uint64_t head, const char* data, std::size_t size) noexcept {
    std::uint64_t h = head ^ (size * 0x9E3779B97F4A7C15ull);
    for (std::size_t i = 8; i < size; i += 8) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, data + i, size - i < 8 ? size - i : 8);
      h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ull ^ chunk;
    }
    h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93ull;
    h = (h ^ (h >> 32)) * 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
  }
  void insert(std::uint32_t rank, std::size_t homeSlot);

  std::string bytes_;
  std::vector<std::uint32_t> offsets_;  // token r is bytes_[offsets_[r], offsets_[r + 1])
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t maxTokenSize_ = 0;
  std::uint64_t id_ = 0;
};

}  // namespace ajuste::tokenizer_detail
