#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ajuste::clean_dedupe {

enum class ShingleUnit { kCharacter, kWord };

struct MinHashOptions {
  ShingleUnit unit = ShingleUnit::kCharacter;
  std::size_t shingle = 5;        // characters (Unicode code points) or words per shingle
  std::size_t permutations = 128; // signature length
  std::uint64_t seed = 0;         // the hash family; the same seed gives the same signatures everywhere
};

// What MinHasher::sign works in: each shingle's hash and where each unit starts. One per
// thread: clean/dedupe's and the leakage check's `prepare` run on every worker at once, on the
// stage's one MinHasher, so the hasher itself holds nothing that changes.
struct ShingleScratch {
  std::vector<std::uint64_t> hashes;
  std::vector<std::size_t> starts;
};

// MinHash signatures: the probability that two signatures agree at one position equals the
// Jaccard similarity of the two texts' shingle sets. Each shingle is hashed once (XXH3-64,
// seeded); the permutations are h_i(x) = high 32 bits of (a_i * x + b_i) mod 2^64 with a_i, b_i
// drawn from splitmix64(seed), a cheap family that the compiler vectorises.
class MinHasher {
 public:
  explicit MinHasher(MinHashOptions options);

  // Writes `permutations` values to `signature`. A text shorter than one shingle is one
  // shingle (so short texts still compare); an empty text has the all-max signature.
  // Safe to call from several threads at once, each with its own scratch.
  void sign(std::string_view text, std::uint32_t* signature, ShingleScratch& scratch) const;
  [[nodiscard]] std::size_t permutations() const { return options_.permutations; }

 private:
  void shingleHashes(std::string_view text, ShingleScratch& scratch) const;

  MinHashOptions options_;
  std::vector<std::uint64_t> multipliers_;
  std::vector<std::uint64_t> increments_;
};

}  // namespace ajuste::clean_dedupe
