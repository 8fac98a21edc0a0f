#include "selection.hpp"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste::split_random {
namespace {

TEST(SplitMix64, MatchesTheReferenceOutput) {
  SplitMix64 mix(0);
  EXPECT_EQ(mix.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(mix.next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(mix.next(), 0x06C45D188009454FULL);
}

// Pins the generator so a change to it (which would change every user's split) fails loudly.
TEST(Xoshiro256, IsPinned) {
  Xoshiro256 rng(42);
  std::vector<std::uint64_t> got;
  for (int i = 0; i < 3; ++i) got.push_back(rng.next());
  EXPECT_EQ(got, (std::vector<std::uint64_t>{1546998764402558742ULL, 6990951692964543102ULL, 12544586762248559009ULL}));
}

TEST(Xoshiro256, BelowStaysInRange) {
  Xoshiro256 rng(7);
  for (const std::uint64_t bound : {1ULL, 2ULL, 3ULL, 10ULL, 1000003ULL, (1ULL << 63) + 1, ~0ULL}) {
    for (int i = 0; i < 1000; ++i) EXPECT_LT(rng.below(bound), bound);
  }
}

TEST(SelectionSampler, SelectsExactlyTheWantedNumber) {
  for (const std::uint64_t n : {0ULL, 1ULL, 2ULL, 5ULL, 17ULL, 1000ULL}) {
    for (std::uint64_t k = 0; k <= n; k += (n / 7) + 1) {
      for (const std::uint64_t seed : {0ULL, 42ULL, 123456789ULL}) {
        SelectionSampler sampler(n, k, seed);
        std::uint64_t selected = 0;
        for (std::uint64_t i = 0; i < n; ++i) selected += sampler.next() ? 1U : 0U;
        EXPECT_EQ(selected, k) << "n=" << n << " k=" << k << " seed=" << seed;
      }
    }
  }
}

TEST(SelectionSampler, EveryPositionIsEquallyLikely) {
  // 20 positions, 5 chosen, 20000 seeds: each position is chosen ~5000 times (sd ~61).
  constexpr std::uint64_t kN = 20;
  std::vector<int> hits(kN, 0);
  for (std::uint64_t seed = 0; seed < 20000; ++seed) {
    SelectionSampler sampler(kN, 5, seed);
    for (std::uint64_t i = 0; i < kN; ++i) hits[i] += sampler.next() ? 1 : 0;
  }
  for (std::uint64_t i = 0; i < kN; ++i) {
    EXPECT_GT(hits[i], 4700) << "position " << i;
    EXPECT_LT(hits[i], 5300) << "position " << i;
  }
}

}  // namespace
}  // namespace ajuste::split_random
