#include "minhash.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste::clean_dedupe {
namespace {

// "w0 w1 ... w(n-1)" with words from `first`: distinct words, so with one-word shingles the
// Jaccard similarity of two such texts is |shared| / |union|, known exactly.
std::string words(std::size_t first, std::size_t count, const std::string& prefix = "w") {
  std::string out;
  for (std::size_t i = first; i < first + count; ++i) out += prefix + std::to_string(i) + " ";
  return out;
}

double estimate(const MinHasher& hasher, const std::string& a, const std::string& b) {
  std::vector<std::uint32_t> sa(hasher.permutations());
  std::vector<std::uint32_t> sb(hasher.permutations());
  ShingleScratch scratch;
  hasher.sign(a, sa.data(), scratch);
  hasher.sign(b, sb.data(), scratch);
  std::size_t agree = 0;
  for (std::size_t i = 0; i < sa.size(); ++i) if (sa[i] == sb[i]) ++agree;
  return static_cast<double>(agree) / static_cast<double>(sa.size());
}

TEST(MinHash, EstimatesKnownJaccardSimilarity) {
  const MinHasher hasher({.unit = ShingleUnit::kWord, .shingle = 1, .permutations = 256, .seed = 7});
  EXPECT_EQ(estimate(hasher, words(0, 100), words(0, 100)), 1.0);
  EXPECT_NEAR(estimate(hasher, words(0, 100), words(0, 90) + words(0, 10, "x")), 90.0 / 110.0, 0.08);
  EXPECT_NEAR(estimate(hasher, words(0, 100), words(50, 100)), 50.0 / 150.0, 0.08);
  EXPECT_NEAR(estimate(hasher, words(0, 100), words(100, 100)), 0.0, 0.03);
}

TEST(MinHash, CharacterShinglesSeeCodePointsNotBytes) {
  const MinHasher hasher({.unit = ShingleUnit::kCharacter, .shingle = 3, .permutations = 64, .seed = 0});
  EXPECT_EQ(estimate(hasher, "ação rápida", "ação rápida"), 1.0);
  EXPECT_LT(estimate(hasher, "ação rápida", "completely different"), 0.2);
  EXPECT_EQ(estimate(hasher, "ab", "ab"), 1.0);  // shorter than one shingle: still one shingle
  EXPECT_EQ(estimate(hasher, "", ""), 1.0);
}

TEST(MinHash, SameSeedSameSignatureDifferentSeedDifferent) {
  const MinHashOptions options{.unit = ShingleUnit::kCharacter, .shingle = 5, .permutations = 128, .seed = 1};
  std::vector<std::uint32_t> a(128), b(128), c(128);
  ShingleScratch scratch;
  MinHasher(options).sign("the product arrived quickly", a.data(), scratch);
  MinHasher(options).sign("the product arrived quickly", b.data(), scratch);
  MinHasher({.unit = ShingleUnit::kCharacter, .shingle = 5, .permutations = 128, .seed = 2})
      .sign("the product arrived quickly", c.data(), scratch);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

// clean/dedupe and the leakage check sign on every worker at once with the stage's one
// hasher (their prepare step): each thread's signatures must be the ones a lone thread makes.
// The hasher once kept its scratch inside itself, and near mode crashed on two workers.
TEST(MinHash, ThreadsSharingOneHasherGetTheSignaturesOfALoneThread) {
  const MinHasher hasher({.unit = ShingleUnit::kCharacter, .shingle = 5, .permutations = 64, .seed = 3});
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < 200; ++i) texts.push_back(words(i, 20 + i % 40));
  std::vector<std::vector<std::uint32_t>> expected(texts.size(), std::vector<std::uint32_t>(64));
  ShingleScratch scratch;
  for (std::size_t i = 0; i < texts.size(); ++i) hasher.sign(texts[i], expected[i].data(), scratch);
  std::atomic<std::size_t> wrong{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      ShingleScratch own;
      std::vector<std::uint32_t> signature(64);
      for (std::size_t round = 0; round < 20; ++round) {
        for (std::size_t i = t; i < texts.size(); i += 1 + t) {
          hasher.sign(texts[i], signature.data(), own);
          if (signature != expected[i]) ++wrong;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0u);
}

}  // namespace
}  // namespace ajuste::clean_dedupe
