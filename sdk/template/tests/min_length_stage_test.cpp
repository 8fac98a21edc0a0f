#include "../src/min_length_stage.hpp"

#include <stdexcept>

#include <ajuste/testing/stage_harness.hpp>
#include <gtest/gtest.h>

namespace example {
namespace {

TEST(MinLengthStage, RejectsShortTextWithReasonAndOrigin) {
  ajuste::testing::StageHarness harness{MinLengthStage::info(), R"({"min_chars": 3})"};
  const auto out = harness.run("{\"text\": \"yes\"}\n{\"text\": \"no\"}\n{\"text\": \"não\"}\n");
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.kept.size(), 2u);  // "não" is three characters, though four bytes
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].reason, "text shorter than min_chars=3");
  EXPECT_EQ(out.rejects[0].kind, "too_short");
}

TEST(MinLengthStage, RejectsAMissingField) {
  ajuste::testing::StageHarness harness{MinLengthStage::info(), R"({"min_chars": 1, "field": "body"})"};
  const auto out = harness.run("{\"text\": \"hello\"}\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "field 'body' is missing or not a string");
}

TEST(MinLengthStage, OptionsAreCheckedAgainstTheSchema) {
  EXPECT_THROW((ajuste::testing::StageHarness{MinLengthStage::info(), R"({"min_chars": 0})"}), std::invalid_argument);
  EXPECT_THROW((ajuste::testing::StageHarness{MinLengthStage::info(), R"({"min_char": 3})"}), std::invalid_argument);
}

}  // namespace
}  // namespace example
