#include "byte_pair.hpp"

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "embedded_ranks.hpp"
#include "rank_cache.hpp"
#include "rank_table.hpp"

namespace ajuste::tokenizer_detail {
namespace {

const RankTable& o200kRanks() {
  static const RankTable table(embeddedRankText(EncodingName::kO200kBase));
  return table;
}

TEST(RankTable, LooksUpEveryTokenByItsBytes) {
  const RankTable& t = o200kRanks();
  ASSERT_EQ(t.size(), 199998u);
  for (std::uint32_t r = 0; r < t.size(); ++r) ASSERT_EQ(t.find(t.bytesOf(r)), r);
  EXPECT_EQ(t.find("hello world this is surely not a token"), RankTable::kNoRank);
  EXPECT_EQ(t.find(std::string("!")), 0u);
}

TEST(RankTable, RejectsMalformedText) {
  EXPECT_THROW(RankTable("IQ== 0\nIg== 2\n"), std::runtime_error);  // gap in ranks
  EXPECT_THROW(RankTable("I@== 0\n"), std::runtime_error);          // bad base64
  EXPECT_THROW(RankTable("IQ==\n"), std::runtime_error);            // no rank
  EXPECT_THROW(RankTable(""), std::runtime_error);                  // fewer than 256 tokens
}

// The per-thread memo in front of the table must answer exactly what the table answers: every
// token (twice: misses, then hits and collisions in its 16K + 4K slots) and keys that are none.
TEST(RankCache, AnswersExactlyAsTheTable) {
  const RankTable& t = o200kRanks();
  RankCache cache(t);
  for (int pass = 0; pass < 2; ++pass) {
    for (std::uint32_t r = 0; r < t.size(); ++r) {
      const std::string_view key = t.bytesOf(r);
      ASSERT_EQ(cache.find(key.data(), key.size()), r) << "pass " << pass;
    }
  }
  for (const std::string_view key : {std::string_view("hello world this is surely not a token"),
                                     std::string_view("zqxzqxzq"), std::string_view("zqxzqxzqx"),
                                     std::string_view("\xff\xfe\xfd"), std::string_view()}) {
    EXPECT_EQ(cache.find(key.data(), key.size()), RankTable::kNoRank) << key;
    EXPECT_EQ(cache.find(key.data(), key.size()), RankTable::kNoRank) << key;
  }
}

TEST(RankCache, AThreadKeepsOneCachePerTable) {
  const RankTable& o200k = o200kRanks();
  static const RankTable cl100k(embeddedRankText(EncodingName::kCl100kBase));
  RankCache& a = threadRankCache(o200k);
  RankCache& b = threadRankCache(cl100k);
  EXPECT_NE(&a, &b);
  EXPECT_EQ(&threadRankCache(o200k), &a);
  const std::string_view word = " hello";
  ASSERT_NE(o200k.find(word), cl100k.find(word));
  EXPECT_EQ(a.find(word.data(), word.size()), o200k.find(word));
  EXPECT_EQ(b.find(word.data(), word.size()), cl100k.find(word));
}

// The quadratic scan (pieces < 100 bytes) and the heap merge (longer ones) must agree on every
// input; random strings over a small alphabet make many equal-rank ties.
TEST(BytePair, SmallAndLargeStrategiesAgree) {
  const RankTable& t = o200kRanks();
  std::mt19937 rng(7);
  const std::vector<std::string> alphabets = {"ab", "a b", "0123456789", "aaaaab ", "xyz/=+", "\xe3\x81\x82\xe3\x81\x84"};
  for (int i = 0; i < 400; ++i) {
    const std::string& alphabet = alphabets[static_cast<std::size_t>(i) % alphabets.size()];
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<std::size_t> len(1, 250);
    std::string s(len(rng), ' ');
    for (char& c : s) c = alphabet[pick(rng)];
    std::vector<std::uint32_t> small;
    std::vector<std::uint32_t> large;
    bytePairEncodeSmall(t, s, small);
    bytePairEncodeLarge(t, s, large);
    ASSERT_EQ(small, large) << s;
    std::string joined;
    for (const std::uint32_t r : small) joined += t.bytesOf(r);
    ASSERT_EQ(joined, s);
  }
}

}  // namespace
}  // namespace ajuste::tokenizer_detail
