// ingest/jsonl with the `mapping` option: presets and templates applied in decode, and the
// factory's sample check that refuses a mapping that does not fit (what `ajuste validate` runs).
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"
#include "compress.hpp"
#include "jsonl_source.hpp"
#include "source_harness.hpp"

namespace ajuste::ingest_jsonl {
namespace {

using ::testing::HasSubstr;
using ajuste::testing::StageHarness;
using nlohmann::json;

class JsonlMappingTest : public ingest::testing::SourceTest<JsonlSource> {
 protected:
  static json message(const std::string& role, const std::string& content) {
    return {{"role", role}, {"content", content}};
  }
};

TEST_F(JsonlMappingTest, PromptCompletionWithASystemMessage) {
  const auto path = write("pc.jsonl", "{\"prompt\": \"2+2?\", \"completion\": \"4\"}\n{\"prompt\": \"Hi\"}\n");
  const auto out = run({{"path", path}, {"mapping", {{"preset", "prompt_completion"}, {"system", "Be brief."}}}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value,
            json({{"messages", {message("system", "Be brief."), message("user", "2+2?"), message("assistant", "4")}}}));
  EXPECT_EQ(out.kept[0].origin.line, 1u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "missing_field");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_THAT(out.rejects[0].reason, HasSubstr("field 'completion' is missing; the record has 'prompt'"));
  EXPECT_EQ(out.rejects[0].value, json({{"prompt", "Hi"}})) << "the reject keeps the record as it was read";
}

TEST_F(JsonlMappingTest, PromptCompletionKeptInTheLegacyForm) {
  const auto path = write("pc.jsonl", "{\"prompt\": \"Q\", \"completion\": \"A\", \"extra\": 1}\n");
  const auto out =
      run({{"path", path}, {"mapping", {{"preset", "prompt_completion"}, {"output", "prompt_completion"}}}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"prompt", "Q"}, {"completion", "A"}}));
}

TEST_F(JsonlMappingTest, AlpacaFromAZstdFile) {
  const std::string text =
      "{\"instruction\": \"Translate\", \"input\": \"Good night\", \"output\": \"Boa noite\"}\n"
      "{\"instruction\": \"Say hi\", \"input\": \"\", \"output\": \"Hi\"}\n"
      "{\"instruction\": \"No input\", \"output\": \"ok\"}\n";
  const auto path = write("alpaca.jsonl.zst", ingest::testing::zstded(text));
  const auto out = run({{"path", path}, {"mapping", {{"preset", "alpaca"}}}}, 2);
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 3u);
  EXPECT_EQ(out.kept[0].value, json({{"messages", {message("user", "Translate\n\nGood night"),
                                                   message("assistant", "Boa noite")}}}));
  EXPECT_EQ(out.kept[1].value["messages"][0]["content"], "Say hi");
  EXPECT_EQ(out.kept[2].value["messages"][1]["content"], "ok");
  EXPECT_EQ(out.kept[2].origin.line, 3u);
}

TEST_F(JsonlMappingTest, ShareGptConversationsAndTheirRejects) {
  const json good = {{"conversations",
                      {{{"from", "system"}, {"value", "Terse."}},
                       {{"from", "human"}, {"value", "Oi"}},
                       {{"from", "gpt"}, {"value", "Olá!"}}}}};
  const json bad = {{"conversations", {{{"from", "human"}, {"value", "x"}}, {{"from", "robot"}, {"value", "y"}}}}};
  const auto path = write("chats.jsonl", good.dump() + "\n" + bad.dump() + "\n");
  const auto out = run({{"path", path}, {"mapping", {{"preset", "sharegpt"}, {"system", "Unused."}}}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"messages", {message("system", "Terse."), message("user", "Oi"),
                                                   message("assistant", "Olá!")}}}));
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "unknown_role");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].reason,
            "preset sharegpt: conversations[1].from is \"robot\"; ShareGPT roles are human, gpt and system");
}

TEST_F(JsonlMappingTest, TemplatesWithAPluralReadRight) {
  const auto path = write("reviews.jsonl",
                          "{\"review\": \"Broke in a day\", \"stars\": 1}\n"
                          "{\"review\": \"Great\", \"stars\": 5}\n"
                          "{\"review\": \"Meh\", \"stars\": \"three\"}\n");
  const auto out = run({{"path", path},
                        {"mapping",
                         {{"system", "Rate the review."},
                          {"user", "Review: {review}"},
                          {"assistant", "Rating: {stars} {stars|star|stars}"}}}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value, json({{"messages", {message("system", "Rate the review."),
                                                   message("user", "Review: Broke in a day"),
                                                   message("assistant", "Rating: 1 star")}}}));
  EXPECT_EQ(out.kept[1].value["messages"][2]["content"], "Rating: 5 stars");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "plural_not_number");
  EXPECT_EQ(out.rejects[0].origin.line, 3u);
}

TEST_F(JsonlMappingTest, LinesThatAreNotRecordsAreRejectedBeforeTheMapping) {
  const auto path = write("mixed.jsonl", "{\"prompt\": \"Q\", \"completion\": \"A\"}\n[1]\n{bad\n");
  const auto out = run({{"path", path}, {"mapping", {{"preset", "prompt_completion"}}}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 1u);
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].kind, "not_object");
  EXPECT_EQ(out.rejects[1].kind, "invalid_json");
}

TEST_F(JsonlMappingTest, AMissingKeyIsAConfigErrorNamingTheKeysFound) {
  const auto path = write("a.jsonl",
                          "{\"instruction\": \"x\", \"response\": \"y\"}\n\n{\"instruction\": \"z\", \"response\": "
                          "\"w\", \"id\": 7}\nnot json\n");
  const Status status = refusal({{"path", path}, {"mapping", {{"preset", "alpaca"}}}});
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/preset");
  EXPECT_EQ(status.message(), "none of the first 2 records of '" + path +
                                  "' has the key 'output' (needed by preset alpaca); keys found: 'instruction', "
                                  "'response', 'id'");
}

TEST_F(JsonlMappingTest, MissingTemplateFieldsAreNamedWithTheOptionsThatNeedThem) {
  const auto path = write("r.jsonl", "{\"review_text\": \"ok\", \"rating\": 4}\n");
  const Status status = refusal({{"path", path}, {"mapping", {{"user", "{review}"}, {"assistant", "{stars}"}}}});
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/user");
  EXPECT_EQ(status.message(), "none of the first 1 records of '" + path +
                                  "' has the key 'review' (needed by mapping.user) nor 'stars' (needed by "
                                  "mapping.assistant); keys found: 'rating', 'review_text'; did you mean "
                                  "'review_text'?");
}

TEST_F(JsonlMappingTest, EveryInputIsSampledAndTheOneThatDoesNotFitIsNamed) {
  write("d/1.jsonl", "{\"prompt\": \"Q\", \"completion\": \"A\"}\n");
  const auto second = write("d/2.jsonl.gz", ingest::testing::gzipped("{\"question\": \"Q\", \"answer\": \"A\"}\n"));
  const Status status = refusal({{"path", (dir_.path() / "d").string()}, {"mapping", {{"preset", "prompt_completion"}}}});
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_THAT(status.message(), HasSubstr("records of '" + second + "' has the key 'prompt'"));
  EXPECT_THAT(status.message(), HasSubstr("keys found: 'answer', 'question'"));
}

TEST_F(JsonlMappingTest, AMappingThatFailsOnEverySampledRecordIsAConfigError) {
  const auto path = write("words.jsonl", "{\"stars\": \"five\"}\n{\"stars\": \"four\"}\n");
  const Status status = refusal({{"path", path}, {"mapping", {{"user", "x"}, {"assistant", "{stars|star|stars}"}}}});
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/assistant");
  EXPECT_THAT(status.message(), HasSubstr("the mapping fits none of the first 2 records of '" + path + "'; the first, " +
                                          path + ":1 (record #0), says: mapping.assistant: field 'stars' is a string"));
}

TEST_F(JsonlMappingTest, TheSampleIsOnlyTheFirstRecordsAndCanBeTurnedOff) {
  // The key is only on line 3: outside a sample of 2, so the check refuses; with the check off
  // the run starts and the first two lines are rejects.
  const auto path = write("late.jsonl", "{\"a\": 1}\n{\"a\": 2}\n{\"prompt\": \"Q\", \"completion\": \"A\"}\n");
  const json mapping = {{"preset", "prompt_completion"}};
  EXPECT_EQ(refusal({{"path", path}, {"mapping", mapping}, {"sample_records", 2}}).pointer(), "/mapping/preset");
  const auto out = run({{"path", path}, {"mapping", mapping}, {"sample_records", 0}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  EXPECT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.rejects.size(), 2u);
  EXPECT_NO_THROW(StageHarness(JsonlSource::info(), json({{"path", path}, {"mapping", mapping}}).dump()));
}

TEST_F(JsonlMappingTest, MappingOptionErrorsPointInsideMapping) {
  const auto path = write("ok.jsonl", "{\"a\": 1}\n");
  const Status status = refusal({{"path", path}, {"mapping", {{"user", "{a"}, {"assistant", "b"}}}});
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/user");
  EXPECT_THAT(status.message(), HasSubstr("is never closed"));
  EXPECT_THROW(StageHarness(JsonlSource::info(), json({{"path", path}, {"mapping", {{"preset", "vicuna"}}}}).dump()),
               std::invalid_argument);
}

}  // namespace
}  // namespace ajuste::ingest_jsonl
