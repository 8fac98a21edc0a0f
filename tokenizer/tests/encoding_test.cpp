#include "ajuste/tokenizer/encoding.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste {
namespace {

const Encoding& o200k() { return Encoding::get(EncodingName::kO200kBase); }
const Encoding& cl100k() { return Encoding::get(EncodingName::kCl100kBase); }

TEST(Encoding, NamesAndSizes) {
  EXPECT_EQ(o200k().name(), "o200k_base");
  EXPECT_EQ(cl100k().name(), "cl100k_base");
  EXPECT_EQ(o200k().rankCount(), 199998u);
  EXPECT_EQ(cl100k().rankCount(), 100256u);
  EXPECT_EQ(Encoding::parseName("o200k_base"), EncodingName::kO200kBase);
  EXPECT_EQ(Encoding::parseName("cl100k_base"), EncodingName::kCl100kBase);
  EXPECT_EQ(Encoding::parseName("O200K_BASE"), std::nullopt);
  EXPECT_EQ(Encoding::parseName("p50k_base"), std::nullopt);
  EXPECT_EQ(&Encoding::get(EncodingName::kO200kBase), &o200k());
}

TEST(Encoding, EmptyTextHasNoTokens) {
  EXPECT_TRUE(o200k().encodeOrdinary("").empty());
  EXPECT_EQ(cl100k().countOrdinary(""), 0u);
}

TEST(Encoding, AppendsToExistingIds) {
  std::vector<std::uint32_t> ids{7};
  cl100k().encodeOrdinary("tiktoken is great!", ids);
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{7, 83, 1609, 5963, 374, 2294, 0}));
}

TEST(Encoding, SpecialTokenTextIsOrdinary) {
  const auto ids = o200k().encodeOrdinary("<|endoftext|>");
  EXPECT_GT(ids.size(), 1u);
  for (const std::uint32_t id : ids) EXPECT_LT(id, 199998u);
}

TEST(Encoding, DecodeRejectsIdsOutsideTheRanks) {
  const std::vector<std::uint32_t> special{100257};
  EXPECT_THROW((void)cl100k().decode(special), std::out_of_range);
}

// Ill-formed UTF-8 never crashes and keeps its bytes: decode(encode(x)) == x.
TEST(Encoding, InvalidUtf8RoundTripsBytes) {
  const std::vector<std::string> samples = {
      "\xff", "\xc0\xaf", "a\x80" "b", "\xe2\x82", "\xe2\x82" "abc", "\xed\xa0\x80",  // surrogate
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\xf0\x9f\x98", "caf\xc3", " \xfe\xfe\xfe hi", "don'\xff", "\xc3\xa9\xc3", std::string(300, '\x80'),
  };
  for (const Encoding* e : {&o200k(), &cl100k()}) {
    for (const std::string& s : samples) {
      const auto ids = e->encodeOrdinary(s);
      EXPECT_EQ(e->decode(ids), s) << e->name();
      EXPECT_EQ(e->countOrdinary(s), ids.size());
    }
  }
}

// An ill-formed subpart splits like U+FFFD would (a "symbol"), so it joins a following letter
// run as its one-character prefix, and is not glued to letters before it.
TEST(Encoding, InvalidBytePiecesBehaveLikeReplacementCharacter) {
  // "\xe2\x82" is one maximal subpart → one U+FFFD, so "<bad>abc" is a single piece whose
  // tokens are the same as encoding the bad bytes and "abc" as one BPE piece would give.
  for (const Encoding* e : {&o200k(), &cl100k()}) {
    const auto ids = e->encodeOrdinary("x\xe2\x82" "abc");
    EXPECT_EQ(e->decode(ids), "x\xe2\x82" "abc");
    EXPECT_EQ(e->encodeOrdinary("x").front(), ids.front()) << "the letter before stays its own piece";
  }
}

TEST(Encoding, RandomBytesRoundTrip) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 300);
  for (int i = 0; i < 300; ++i) {
    std::string s(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    for (const Encoding* e : {&o200k(), &cl100k()}) {
      const auto ids = e->encodeOrdinary(s);
      ASSERT_EQ(e->decode(ids), s);
      ASSERT_EQ(e->countOrdinary(s), ids.size());
    }
  }
}

TEST(Encoding, SharedBetweenThreads) {
  const std::string text = "The quick brown fox — 速い茶色の狐 — jumps over 1234567 lazy dogs!\n";
  const auto expected = o200k().encodeOrdinary(text);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (std::size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&, t] {
      bool same = true;
      for (int i = 0; i < 200; ++i) same = same && o200k().encodeOrdinary(text) == expected;
      same = same && o200k().countOrdinary(text) == expected.size();
      ok[t] = same ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  for (const int v : ok) EXPECT_EQ(v, 1);
}

TEST(EncodingForModel, FollowsTiktokenModelTable) {
  EXPECT_EQ(encodingForModel("gpt-4o"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("gpt-4o-mini-2024-07-18"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("gpt-4.1-nano"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("gpt-4.1"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("o1"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("o3-mini"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("o4-mini-2025-04-16"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("gpt-5-mini"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("chatgpt-4o-latest"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("gpt-4"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("gpt-4-0613"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("gpt-4-turbo"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("gpt-3.5-turbo"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("gpt-3.5-turbo-0125"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("babbage-002"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("davinci-002"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("text-embedding-3-small"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("ft:gpt-4o-mini-2024-07-18:acme::abc123"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel("ft:gpt-3.5-turbo-0613:acme::xyz"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("ft:davinci-002:acme::xyz"), EncodingName::kCl100kBase);
  EXPECT_EQ(encodingForModel("text-davinci-003"), std::nullopt);  // p50k_base: not implemented
  EXPECT_EQ(encodingForModel("gpt-4o-"), EncodingName::kO200kBase);
  EXPECT_EQ(encodingForModel(""), std::nullopt);
  EXPECT_EQ(encodingForModel("llama-3"), std::nullopt);
}

}  // namespace
}  // namespace ajuste
