#include "minhash.hpp"

#include <algorithm>
#include <limits>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ajuste::clean_dedupe {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

MinHasher::MinHasher(MinHashOptions options) : options_(options) {
  std::uint64_t state = options_.seed;
  multipliers_.resize(options_.permutations);
  increments_.resize(options_.permutations);
  for (std::size_t i = 0; i < options_.permutations; ++i) {
    multipliers_[i] = splitmix64(state) | 1;  // odd: a bijection of 64-bit values
    increments_[i] = splitmix64(state);
  }
}

void MinHasher::shingleHashes(std::string_view text, ShingleScratch& scratch) const {
  std::vector<std::uint64_t>& hashes = scratch.hashes;
  std::vector<std::size_t>& starts = scratch.starts;
  hashes.clear();
  starts.clear();
  // Start offsets of the units (code points, or words separated by spaces; the text is
  // already normalized, but words split on any run of spaces anyway).
  if (options_.unit == ShingleUnit::kCharacter) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (!isContinuationByte(text[i])) starts.push_back(i);
    }
  } else {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != ' ' && (i == 0 || text[i - 1] == ' ')) starts.push_back(i);
    }
  }
  const std::size_t units = starts.size();
  const std::size_t k = options_.shingle;
  const auto hashRange = [&](std::size_t from, std::size_t to) {
    std::string_view piece = text.substr(from, to - from);
    if (options_.unit == ShingleUnit::kWord) {
      while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    }
    hashes.push_back(XXH3_64bits_withSeed(piece.data(), piece.size(), options_.seed));
  };
  if (units == 0) return;
  if (units <= k) {
    hashRange(starts.front(), text.size());
  } else {
    for (std::size_t u = 0; u + k <= units; ++u) {
      hashRange(starts[u], u + k < units ? starts[u + k] : text.size());
    }
  }
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
}

void MinHasher::sign(std::string_view text, std::uint32_t* signature, ShingleScratch& scratch) const {
  shingleHashes(text, scratch);
  const std::size_t n = options_.permutations;
  std::fill(signature, signature + n, std::numeric_limits<std::uint32_t>::max());
  const std::uint64_t* a = multipliers_.data();
  const std::uint64_t* b = increments_.data();
  for (const std::uint64_t x : scratch.hashes) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto h = static_cast<std::uint32_t>((a[i] * x + b[i]) >> 32);
      signature[i] = std::min(signature[i], h);
    }
  }
}

}  // namespace ajuste::clean_dedupe
