#include "ingest_common/sample_check.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste::ingest {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

Mapping mappingFrom(const json& options) { return std::move(Mapping::fromOptions(options)).value(); }

Record record(json value, std::uint64_t index) {
  return Record{std::move(value), Provenance{"data/x.json", index + 2, index, 0}, {}, {}};
}

const json kReviews = {{"user", "Review: {review}"}, {"assistant", "Rating: {stars} {stars|star|stars}"}};

TEST(SampleCheck, AColumnTheMappingNeedsThatTheHeaderLacksIsAConfigError) {
  const InputSample sample{"data/reviews.csv", {}, std::vector<std::string>{"review_text", "rating", "lang"}};
  const Status status = checkMappingFits(mappingFrom(kReviews), sample);
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/user");
  EXPECT_EQ(status.message(),
            "'data/reviews.csv' has no column 'review' (needed by mapping.user) nor 'stars' (needed by "
            "mapping.assistant); its columns are 'review_text', 'rating', 'lang'; did you mean 'review_text'?");
}

TEST(SampleCheck, AKeyNoSampledRecordHasIsAConfigErrorListingTheKeysFound) {
  InputSample sample{"data/x.json", {}, std::nullopt};
  sample.records.push_back(record({{"instruction", "a"}, {"response", "b"}}, 0));
  sample.records.push_back(record({{"instruction", "c"}, {"input", "d"}, {"response", "e"}}, 1));
  const Status status = checkMappingFits(mappingFrom({{"preset", "alpaca"}}), sample);
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/preset");
  EXPECT_EQ(status.message(),
            "none of the first 2 records of 'data/x.json' has the key 'output' (needed by preset alpaca); keys found: "
            "'instruction', 'response', 'input'");
}

TEST(SampleCheck, AFieldSomeRecordsLackIsLeftToRejects) {
  InputSample sample{"data/x.json", {}, std::nullopt};
  sample.records.push_back(record({{"review", "a"}}, 0));
  sample.records.push_back(record({{"review", "b"}, {"stars", 2}}, 1));
  EXPECT_TRUE(checkMappingFits(mappingFrom(kReviews), sample).isOk());
}

TEST(SampleCheck, AMappingThatFailsOnEverySampledRecordIsAConfigError) {
  InputSample sample{"data/reviews.csv", {}, std::vector<std::string>{"review", "stars"}};
  sample.records.push_back(record({{"review", "a"}, {"stars", "five"}}, 0));
  sample.records.push_back(record({{"review", "b"}, {"stars", "four"}}, 1));
  const Status status = checkMappingFits(mappingFrom(kReviews), sample);
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/assistant");
  EXPECT_THAT(status.message(),
              HasSubstr("the mapping fits none of the first 2 records of 'data/reviews.csv'; the first, data/x.json:2 "
                        "(record #0), says: mapping.assistant: field 'stars' is a string \"five\", not a number"));
}

TEST(SampleCheck, AnEmptySamplePasses) {
  EXPECT_TRUE(checkMappingFits(mappingFrom(kReviews), InputSample{"empty.json", {}, std::nullopt}).isOk());
  EXPECT_TRUE(checkMappingFits(mappingFrom(kReviews),
                               InputSample{"header-only.csv", {}, std::vector<std::string>{"review", "stars"}})
                  .isOk());
}

}  // namespace
}  // namespace ajuste::ingest
