#pragma once

#include <cstdint>

namespace ajuste::split_random {

// Our own generators, so a seed gives the same split with any compiler and standard library
// (std:: distributions are implementation-defined).

// SplitMix64 (Steele, Lea, Flood 2014): expands one 64-bit seed into well-mixed words.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();

 private:
  std::uint64_t state_;
};

// xoshiro256** 1.0 (Blackman, Vigna 2018), seeded from SplitMix64 as its authors recommend.
class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [0, bound), bound > 0, exactly: draws below 2^64 mod bound are redrawn.
  std::uint64_t below(std::uint64_t bound);

 private:
  std::uint64_t s_[4];
};

// Selection sampling (Knuth, TAOCP vol. 2, 3.4.2, Algorithm S): walks `population` items once,
// in order, and selects exactly `wanted` of them, each subset equally likely. The decision for
// item i depends only on the seed and on how many were selected before it, so the result does
// not depend on how the items were batched.
class SelectionSampler {
 public:
  SelectionSampler(std::uint64_t population, std::uint64_t wanted, std::uint64_t seed);
  // Whether the next item is selected. Call at most `population` times.
  bool next();

 private:
  Xoshiro256 rng_;
  std::uint64_t remaining_;
  std::uint64_t needed_;
};

}  // namespace ajuste::split_random
