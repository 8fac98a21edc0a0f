#include "byte_pair.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "embedded_ranks.hpp"
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
