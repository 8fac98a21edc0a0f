#include "selection.hpp"

namespace ajuste::split_random {
namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Xoshiro256::Xoshiro256(std::uint64_t seed) {
  SplitMix64 mix(seed);
  for (std::uint64_t& word : s_) word = mix.next();
}

std::uint64_t Xoshiro256::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Xoshiro256::below(std::uint64_t bound) {
  // 2^64 mod bound, computed in 64 bits: (2^64 - bound) mod bound.
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t x = next();
    if (x >= threshold) return x % bound;
  }
}

SelectionSampler::SelectionSampler(std::uint64_t population, std::uint64_t wanted, std::uint64_t seed)
    : rng_(seed), remaining_(population), needed_(wanted < population ? wanted : population) {}

bool SelectionSampler::next() {
  if (remaining_ == 0) return false;
  bool selected = false;
  if (needed_ == remaining_) {
    selected = true;
  } else if (needed_ > 0) {
    selected = rng_.below(remaining_) < needed_;
  }
  --remaining_;
  if (selected) --needed_;
  return selected;
}

}  // namespace ajuste::split_random
