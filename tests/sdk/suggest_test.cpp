#include "ajuste/suggest.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste {
namespace {

TEST(EditDistance, EmptyStrings) {
  EXPECT_EQ(editDistance("", ""), 0u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("abc", ""), 3u);
}

TEST(EditDistance, IdenticalIsZero) { EXPECT_EQ(editDistance("ratio", "ratio"), 0u); }

TEST(EditDistance, SingleEdits) {
  EXPECT_EQ(editDistance("seed", "seeds"), 1u);  // insertion
  EXPECT_EQ(editDistance("seed", "sed"), 1u);    // deletion
  EXPECT_EQ(editDistance("seed", "send"), 1u);   // substitution
}

TEST(EditDistance, AdjacentTranspositionCostsOne) {
  EXPECT_EQ(editDistance("sede", "seed"), 1u);
  EXPECT_EQ(editDistance("ab", "ba"), 1u);
}

TEST(EditDistance, OptimalStringAlignmentDoesNotEditASwappedPairAgain) {
  // True Damerau-Levenshtein gives 2 here; OSA may not edit a transposed pair again.
  EXPECT_EQ(editDistance("ca", "abc"), 3u);
}

TEST(EditDistance, IsCaseSensitive) { EXPECT_EQ(editDistance("Seed", "seed"), 1u); }

TEST(EditDistance, CountsCodePointsNotBytes) {
  EXPECT_EQ(editDistance("niño", "nino"), 1u);
  EXPECT_EQ(editDistance("日本", "日本語"), 1u);
}

TEST(EditDistance, Symmetric) { EXPECT_EQ(editDistance("kitten", "sitting"), editDistance("sitting", "kitten")); }

TEST(NearestName, FindsTransposition) {
  EXPECT_EQ(nearestName("sede", {"input", "ratio", "seed"}), std::optional<std::string>("seed"));
}

TEST(NearestName, IgnoresCaseAndReturnsCandidateSpelling) {
  EXPECT_EQ(nearestName("SEDE", {"seed"}), std::optional<std::string>("seed"));
  EXPECT_EQ(nearestName("seed", {"Seed"}), std::optional<std::string>("Seed"));
}

TEST(NearestName, NoCandidates) { EXPECT_EQ(nearestName("seed", {}), std::nullopt); }

TEST(NearestName, EmptyWordSuggestsNothing) { EXPECT_EQ(nearestName("", {"a", "b"}), std::nullopt); }

TEST(NearestName, NeverSuggestsAnEmptyCandidate) { EXPECT_EQ(nearestName("a", {""}), std::nullopt); }

TEST(NearestName, ThresholdIsAThirdOfTheWordButAtLeastOne) {
  EXPECT_EQ(nearestName("ab", {"xy"}), std::nullopt);                                   // distance 2 > 1
  EXPECT_EQ(nearestName("ab", {"ax"}), std::optional<std::string>("ax"));               // distance 1
  EXPECT_EQ(nearestName("abcdef", {"abxyef"}), std::optional<std::string>("abxyef"));   // 2 <= 6/3
  EXPECT_EQ(nearestName("abcdef", {"axyzef"}), std::nullopt);                           // 3 > 2
}

TEST(NearestName, PrefixOfAtLeastThreeCharactersMatches) {
  EXPECT_EQ(nearestName("rat", {"ratio"}), std::optional<std::string>("ratio"));
  EXPECT_EQ(nearestName("max_tokens_per_request", {"max"}), std::optional<std::string>("max"));
}

TEST(NearestName, PrefixShorterThanThreeDoesNotMatch) { EXPECT_EQ(nearestName("ra", {"ratio"}), std::nullopt); }

TEST(NearestName, SmallestDistanceWins) {
  EXPECT_EQ(nearestName("seed", {"seeds", "seed"}), std::optional<std::string>("seed"));
  EXPECT_EQ(nearestName("rat", {"ratio", "rate"}), std::optional<std::string>("rate"));
}

TEST(NearestName, TiesGoToTheEarlierCandidate) {
  EXPECT_EQ(nearestName("cat", {"bat", "cut"}), std::optional<std::string>("bat"));
  EXPECT_EQ(nearestName("cat", {"cut", "bat"}), std::optional<std::string>("cut"));
}

TEST(NearestName, NothingClose) { EXPECT_EQ(nearestName("zzz", {"input", "ratio", "seed"}), std::nullopt); }

}  // namespace
}  // namespace ajuste
