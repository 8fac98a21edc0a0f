#include "evaluate_common/metrics.hpp"

#include <gtest/gtest.h>

namespace ajuste::evaluate_common {
namespace {

using Row = std::vector<std::size_t>;

TEST(AnswerExtractor, TakesGroupOneElseTheWholeMatchAndUnparsedWhenNoMatch) {
  auto grouped = AnswerExtractor::make(R"(Answer:\s*(\w+))", "/answer_pattern");
  ASSERT_TRUE(grouped.ok());
  EXPECT_EQ(grouped->extract("Let me think.\nAnswer: positive."), "positive");
  EXPECT_EQ(grouped->extract("I would say positive"), std::nullopt);

  auto whole = AnswerExtractor::make(R"(\b(?:positive|negative)\b)", "/answer_pattern");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->extract("It is negative, clearly"), "negative");
}

TEST(AnswerExtractor, ABadPatternIsAConfigErrorAtItsPointer) {
  auto bad = AnswerExtractor::make("(unclosed", "/answer_pattern");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message().find("invalid regular expression at column 10"), 0u) << bad.error().message();
}

// Labels (declared order) negative, neutral, positive; expected -> predicted:
//   positive: positive, positive, negative, unparsed
//   negative: negative, negative, positive
//   neutral:  neutral, negative, neutral
TEST(Evaluate, TenExamplesConfusionMatrixAndPerLabelMetrics) {
  const std::vector<Scored> items = {
      {"positive", "positive"}, {"positive", "positive"}, {"positive", "negative"}, {"positive", std::nullopt},
      {"negative", "negative"}, {"negative", "negative"}, {"negative", "positive"},
      {"neutral", "neutral"},   {"neutral", "negative"},  {"neutral", "neutral"}};
  const Evaluation e = evaluate(items, {"negative", "neutral", "positive"}, false);
  EXPECT_EQ(e.n, 10u);
  EXPECT_EQ(e.correct, 6u);  // 2 + 2 + 2 on the diagonal
  EXPECT_EQ(e.unparsed, 1u);
  EXPECT_DOUBLE_EQ(e.accuracy, 0.6);
  // Rows expected, columns negative, neutral, positive, unparsed.
  ASSERT_EQ(e.confusion.labels, (std::vector<std::string>{"negative", "neutral", "positive"}));
  EXPECT_EQ(e.confusion.counts[0], (Row{2, 0, 1, 0}));
  EXPECT_EQ(e.confusion.counts[1], (Row{1, 2, 0, 0}));
  EXPECT_EQ(e.confusion.counts[2], (Row{1, 0, 2, 1}));
  ASSERT_EQ(e.per_label.size(), 3u);
  // negative: predicted 2+1+1 = 4, P = 2/4, R = 2/3, F1 = 2 x 1/2 x 2/3 / (1/2 + 2/3) = 4/7.
  EXPECT_EQ(e.per_label[0].support, 3u);
  EXPECT_EQ(e.per_label[0].predicted, 4u);
  EXPECT_DOUBLE_EQ(e.per_label[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(e.per_label[0].recall, 2.0 / 3.0);
  EXPECT_NEAR(e.per_label[0].f1, 4.0 / 7.0, 1e-12);
  // neutral: predicted 2, P = 1, R = 2/3, F1 = 2 x 2/3 / (5/3) = 4/5.
  EXPECT_DOUBLE_EQ(e.per_label[1].precision, 1.0);
  EXPECT_DOUBLE_EQ(e.per_label[1].recall, 2.0 / 3.0);
  EXPECT_NEAR(e.per_label[1].f1, 0.8, 1e-12);
  // positive: support 4 (the unparsed one counts), predicted 1+2 = 3, P = 2/3, R = 2/4,
  // F1 = 2 x 1/3 / (7/6) = 4/7.
  EXPECT_EQ(e.per_label[2].support, 4u);
  EXPECT_DOUBLE_EQ(e.per_label[2].precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(e.per_label[2].recall, 0.5);
  EXPECT_NEAR(e.per_label[2].f1, 4.0 / 7.0, 1e-12);
  EXPECT_FALSE(e.mean_absolute_error.has_value());  // text labels, not declared ordinal
}

TEST(Evaluate, WithoutDeclaredLabelsUsesEveryAnswerSortedAndOutsidersAreNotUnparsed) {
  const Evaluation e = evaluate({{"b", "a"}, {"a", "c"}}, {}, false);
  EXPECT_EQ(e.confusion.labels, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(e.unparsed, 0u);
  // With declared labels, "c" is not an answer: unparsed.
  EXPECT_EQ(evaluate({{"b", "a"}, {"a", "c"}}, {"a", "b"}, false).unparsed, 1u);
}

// Star ratings: |1-1| + |3-2| + |1-3| = 3 over 3 parsed predictions (the unparsed one is left
// out) = 1.0.
TEST(Evaluate, MeanAbsoluteErrorOnNumericOrDeclaredOrdinalLabels) {
  const Evaluation stars = evaluate({{"1", "1"}, {"2", "3"}, {"3", "1"}, {"3", std::nullopt}}, {}, false);
  ASSERT_TRUE(stars.mean_absolute_error.has_value());
  EXPECT_DOUBLE_EQ(*stars.mean_absolute_error, 1.0);
  // The same with words in a declared order: low = 0, mid = 1, high = 2.
  const Evaluation words =
      evaluate({{"low", "low"}, {"mid", "high"}, {"high", "low"}, {"high", std::nullopt}}, {"low", "mid", "high"}, true);
  ASSERT_TRUE(words.mean_absolute_error.has_value());
  EXPECT_DOUBLE_EQ(*words.mean_absolute_error, 1.0);
}

// 17/20: p = 0.85, z^2/n = 3.8415/20 = 0.19207; centre = (0.85 + 0.09604) / 1.19207 = 0.79361;
// half = 1.96 / 1.19207 x sqrt(0.85 x 0.15 / 20 + 3.8415 / 1600) = 1.6442 x 0.093679 = 0.15403;
// so 0.6396 .. 0.9476.
TEST(Wilson, SeventeenOfTwenty) {
  const Interval ci = wilsonInterval(17, 20);
  EXPECT_NEAR(ci.low, 0.63958, 1e-5);
  EXPECT_NEAR(ci.high, 0.94763, 1e-5);
  const Interval all = wilsonInterval(20, 20);  // stays inside [0, 1], unlike p +- 1.96 se
  EXPECT_LE(all.high, 1.0);
  EXPECT_NEAR(all.low, 0.838875, 1e-6);  // 20 / (20 + 3.8415) = 0.838875
  const Interval none = wilsonInterval(0, 0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 1.0);
}

}  // namespace
}  // namespace ajuste::evaluate_common
