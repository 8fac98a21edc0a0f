#include "dedupe_stage.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::clean_dedupe {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::StageHarness;

std::string chat(const std::string& user, const std::string& assistant) {
  const nlohmann::json record = {
      {"messages", {{{"role", "user"}, {"content", user}}, {{"role", "assistant"}, {"content", assistant}}}}};
  return record.dump() + "\n";
}

std::string words(std::size_t first, std::size_t count, const std::string& prefix = "w") {
  std::string out;
  for (std::size_t i = first; i < first + count; ++i) out += prefix + std::to_string(i) + " ";
  return out;
}

std::vector<std::size_t> rejectedLines(const testing::StageOutput& out) {
  std::vector<std::size_t> lines;
  for (const Reject& reject : out.rejects) lines.push_back(reject.origin.line);
  return lines;
}

TEST(DedupeStage, RejectsWhitespaceVariantsNamingTheFirstOccurrence) {
  StageHarness h{DedupeStage::info(), "{}"};
  const auto out = h.run(chat("Is it good?", "Yes, very.") + chat("  Is it\tgood? ", "Yes,\u00A0very.\n") +
                         chat("Is it GOOD?", "Yes, very.") + chat("Is it good?", "No."));
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  EXPECT_EQ(out.kept.size(), 3u);  // case differs: kept unless ignore_case
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].kind, "duplicate");
  EXPECT_EQ(out.rejects[0].reason, "duplicate of <inline>:1");
}

// Records as ingest/jsonl hands them on (held as text): the same duplicates, named the same
// way, and the records kept stay text, untouched.
TEST(DedupeStage, FindsTheSameDuplicatesInRecordsHeldAsText) {
  const std::string jsonl = chat("Is it good?", "Yes, very.") + chat("  Is it\tgood? ", "Yes,\u00A0very.\n") +
                            R"({ "messages": [ {"content": "Is it good?", "role": "user"}, {"role": "assistant", "content": "Yes, very."} ] })" "\n" +
                            chat("Is it good?", "No.") + R"({"prompt": "p", "completion": "c"})" "\n" +
                            R"({"completion": "c", "prompt": "p"})" "\n";
  for (const char* options : {"{}", R"({"near": {"threshold": 0.5}})"}) {
    StageHarness as_values{DedupeStage::info(), options};
    StageHarness as_text{DedupeStage::info(), options};
    const auto want = as_values.run(jsonl);
    const auto got = as_text.runText(jsonl);
    ASSERT_TRUE(got.status.isOk()) << got.status.toString();
    EXPECT_EQ(rejectedLines(got), rejectedLines(want)) << options;
    if (std::string_view(options) == "{}") {
      EXPECT_EQ(rejectedLines(got), (std::vector<std::size_t>{2, 3, 6}));
    }
    for (std::size_t i = 0; i < got.rejects.size(); ++i) EXPECT_EQ(got.rejects[i].reason, want.rejects[i].reason);
    for (const Record& record : got.kept) EXPECT_TRUE(isTextOnly(record));
    EXPECT_EQ(got.kept[0].text + "\n", chat("Is it good?", "Yes, very."));
  }
}

TEST(DedupeStage, IgnoreCaseFoldsAsciiLetters) {
  StageHarness h{DedupeStage::info(), R"({"ignore_case": true})"};
  const auto out = h.run(chat("a", "b") + chat("Is it good?", "Yes") + chat("IS IT good?", "yes") + chat("A", "B"));
  EXPECT_EQ(rejectedLines(out), (std::vector<std::size_t>{3, 4}));
  EXPECT_EQ(out.rejects[0].reason, "duplicate of <inline>:2");
  EXPECT_EQ(out.rejects[1].reason, "duplicate of <inline>:1");
}

TEST(DedupeStage, ReasonNamesTheSourceAndLineOfTheFirstOccurrence) {
  auto records = StageHarness::parseJsonl(chat("x", "y") + chat("p", "q") + chat("x", "y"));
  records[0].origin = {.source = "data.jsonl", .line = 25, .index = 24, .byte_offset = 0};
  records[1].origin = {.source = "other.jsonl", .line = 1, .index = 0, .byte_offset = 0};
  records[2].origin = {.source = "other.jsonl", .line = 2, .index = 1, .byte_offset = 0};
  StageHarness h{DedupeStage::info(), "{}"};
  const auto out = h.run(std::move(records));
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "duplicate of data.jsonl:25");
}

TEST(DedupeStage, ComparesOnlyRoleAndContentByDefault) {
  StageHarness h{DedupeStage::info(), "{}"};
  const auto out = h.run(
      R"({"messages":[{"role":"user","content":"hi","name":"ann"},{"role":"assistant","content":"yo","weight":1}]})"
      "\n" +
      chat("hi", "yo") + R"({"messages":[{"role":"system","content":"hi"},{"role":"assistant","content":"yo"}]})" +
      "\n");
  EXPECT_EQ(rejectedLines(out), (std::vector<std::size_t>{2}));
}

// The answer of a tool-calling example is its call: the same question called with other
// arguments is another example; the same call under another (generated) id is a copy.
TEST(DedupeStage, ToolCallsCountButTheirIdsDoNot) {
  const auto calling = [](const std::string& id, const std::string& arguments) {
    return R"({"messages":[{"role":"user","content":"rate it"},{"role":"assistant","content":null,"tool_calls":[{"id":")" +
           id + R"(","type":"function","function":{"name":"record_rating","arguments":")" + arguments + R"("}}]}]})" + "\n";
  };
  StageHarness h{DedupeStage::info(), "{}"};
  const auto out = h.run(calling("call_1", R"({\"stars\":5})") + calling("call_2", R"({\"stars\":1})") +
                         calling("call_3", R"({\"stars\":5})") + calling("call_4", R"({\"stars\":1,\"why\":\"late\"})"));
  EXPECT_EQ(rejectedLines(out), (std::vector<std::size_t>{3}));
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "duplicate of <inline>:1");
}

// Without configuration every format of fine-tuning example is compared on its content: legacy
// prompt/completion and preference examples too, not only chat.
TEST(DedupeStage, ComparesLegacyAndPreferenceExamplesByDefault) {
  const std::string legacy = R"({"prompt":"Review: good","completion":" 5 stars"})" "\n";
  const std::string other_legacy = R"({"prompt":"Review: good","completion":" 1 star"})" "\n";
  const std::string preference =
      R"({"input":{"messages":[{"role":"user","content":"hi"}]},"preferred_output":[{"role":"assistant","content":"hello"}],)"
      R"("non_preferred_output":[{"role":"assistant","content":"go away"}]})" "\n";
  const std::string swapped =
      R"({"input":{"messages":[{"role":"user","content":"hi"}]},"preferred_output":[{"role":"assistant","content":"go away"}],)"
      R"("non_preferred_output":[{"role":"assistant","content":"hello"}]})" "\n";
  StageHarness h{DedupeStage::info(), "{}"};
  const auto out = h.run(legacy + other_legacy + legacy + preference + swapped + preference);
  EXPECT_EQ(rejectedLines(out), (std::vector<std::size_t>{3, 6}));
  EXPECT_EQ(h.context().reports()["dedupe"]["unkeyed_records"], 0);
}

TEST(DedupeStage, ComparesOnTheConfiguredFields) {
  StageHarness h{DedupeStage::info(), R"({"fields": ["/text", "/label"]})"};
  const auto out = h.run(R"({"text":"a  b","label":1,"id":1})"
                         "\n"
                         R"({"text":"a b","label":1,"id":2})"
                         "\n"
                         R"({"text":"a b","label":2,"id":3})"
                         "\n"
                         R"({"id":4})"
                         "\n"
                         R"({"id":5})"
                         "\n");
  EXPECT_EQ(rejectedLines(out), (std::vector<std::size_t>{2}));
  EXPECT_EQ(h.context().reports()["dedupe"]["unkeyed_records"], 2);
}

TEST(DedupeStage, RefusesFieldsThatAreNotPointersAndBandsThatDoNotDividePermutations) {
  EXPECT_THROW((StageHarness{DedupeStage::info(), R"({"fields": ["text"]})"}), std::invalid_argument);
  EXPECT_THROW((StageHarness{DedupeStage::info(), R"({"near": {"permutations": 128, "bands": 30}})"}),
               std::invalid_argument);
  EXPECT_THROW((StageHarness{DedupeStage::info(), R"({"near": {"threshold": 0}})"}), std::invalid_argument);
  EXPECT_THROW((StageHarness{DedupeStage::info(), R"({"mode": "exact"})"}), std::invalid_argument);
}

constexpr const char* kNearWords = R"({"near": {"threshold": 0.8, "unit": "word", "shingle": 1}})";

TEST(DedupeStage, RejectsNearDuplicatesAboveTheThresholdOnly) {
  StageHarness h{DedupeStage::info(), kNearWords};
  const auto out = h.run(chat(words(0, 100), "ok") +              // kept
                         chat(words(0, 95) + words(0, 5, "x"), "ok") +  // J = 96/106 ≈ 0.91 with "ok": rejected
                         chat(words(0, 50) + words(0, 50, "y"), "ok") +  // J ≈ 0.34: kept
                         chat(words(1000, 100), "ok"));                  // unrelated: kept
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].kind, "near_duplicate");
  EXPECT_THAT(out.rejects[0].reason, StartsWith("near duplicate of <inline>:1 (estimated similarity 0."));
  EXPECT_THAT(out.rejects[0].reason, HasSubstr(">= threshold 0.80)"));
  EXPECT_EQ(out.kept.size(), 3u);
}

TEST(DedupeStage, ExactDuplicatesWinOverNearOnes) {
  StageHarness h{DedupeStage::info(), kNearWords};
  const auto out = h.run(chat(words(0, 100), "ok") + chat(words(0, 100), "ok"));
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "duplicate");
}

std::string mixedCorpus() {
  std::string jsonl;
  for (std::size_t i = 0; i < 300; ++i) {
    const std::size_t base = (i * 7919) % 40;  // repeats every 40 with variations
    jsonl += chat(words(base * 10, 30) + (i % 3 == 0 ? words(i, 2, "z") : ""), i % 2 == 0 ? "Yes" : "yes ");
  }
  return jsonl;
}

TEST(DedupeStage, SameResultWhateverTheBatchSize) {
  std::vector<std::string> reasons_by_run;
  for (const std::size_t batch : {1u, 7u, 64u, 1000u}) {
    StageHarness h{DedupeStage::info(), R"({"near": {"threshold": 0.7}})"};
    h.setBatchSize(batch);
    const auto out = h.run(mixedCorpus());
    ASSERT_TRUE(out.status.isOk()) << out.status.toString();
    std::string all;
    for (const Reject& reject : out.rejects) {
      all += std::to_string(reject.origin.line) + " " + reject.kind + " " + reject.reason + "\n";
    }
    all += h.context().reports()["dedupe"].dump();
    reasons_by_run.push_back(all);
  }
  for (const std::string& run : reasons_by_run) EXPECT_EQ(run, reasons_by_run.front());
  EXPECT_THAT(reasons_by_run.front(), HasSubstr("near_duplicate"));
  EXPECT_THAT(reasons_by_run.front(), HasSubstr(" duplicate duplicate of"));
}

TEST(DedupeStage, OddRecordsNeverCrashAndNeverVanish) {
  const std::string odd = "{}\n[]\nnull\n\"text\"\n42\n{\"messages\":[]}\n{\"messages\":\"x\"}\n"
                          "{\"messages\":[{\"role\":\"user\"}]}\n{\"messages\":[{\"role\":\"user\",\"content\":null}]}\n"
                          "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\"}]}]}\n"
                          "{\"messages\":[{\"role\":7,\"content\":{\"a\":1}}, 3]}\n"
                          "{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}\n"
                          "{\"messages\":[{\"role\":\"user\",\"content\":\" \"}]}\n"
                          "{\"messages\":[{\"role\":\"user\",\"content\":\"\\u0000\"}]}\n";
  for (const char* options : {"{}", R"({"near": {}})", R"({"near": {"unit": "word"}, "ignore_case": true})"}) {
    StageHarness h{DedupeStage::info(), options};
    const auto out = h.run(odd + odd);
    ASSERT_TRUE(out.status.isOk()) << out.status.toString();
    EXPECT_EQ(out.kept.size() + out.rejects.size(), 28u) << options;
    // The second copy of every keyed record is an exact duplicate; "" and " " collapse alike.
    EXPECT_GE(out.rejects.size(), 9u) << options;
  }
}

TEST(DedupeStage, ReportsCountsAndLargestClustersWithoutText) {
  StageHarness h{DedupeStage::info(), "{}"};
  const auto out = h.run(chat("a", "1") + chat("b", "2") + chat("a", "1") + chat("b", "2") + chat("a", "1") +
                         chat("secret text", "3"));
  ASSERT_TRUE(out.status.isOk());
  const auto report = h.context().reports()["dedupe"];
  EXPECT_EQ(report["exact_duplicates"], 3);
  EXPECT_EQ(report["near_duplicates"], 0);
  EXPECT_EQ(report["clusters"], 2);
  EXPECT_EQ(report["distinct_records"], 3);
  EXPECT_EQ(report["largest_clusters"],
            nlohmann::json::parse(R"([{"first":"<inline>:1","size":3},{"first":"<inline>:2","size":2}])"));
  EXPECT_EQ(report.dump().find("secret"), std::string::npos);
}

TEST(DedupeStage, StopsWithAClearErrorWhenTheBudgetIsTooSmall) {
  std::string jsonl;
  for (std::size_t i = 0; i < 30000; ++i) jsonl += R"({"t":)" + std::to_string(i) + "}\n";
  StageHarness h{DedupeStage::info(), R"({"fields": ["/t"], "memory_mb": 1})"};
  h.setBatchSize(1024);
  const auto out = h.run(jsonl);
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_THAT(out.status.message(), HasSubstr("clean/dedupe needs more than memory_mb=1 MiB"));
  EXPECT_THAT(out.status.message(), HasSubstr("shard the input"));

  // 65,536 slots of 24 bytes = 1.5 MiB, plus the old table while rehashing = 2.25 MiB.
  StageHarness fits{DedupeStage::info(), R"({"fields": ["/t"], "memory_mb": 3})"};
  EXPECT_TRUE(fits.run(jsonl).status.isOk());
}

TEST(DedupeStage, NearModeChargesSignaturesToTheBudget) {
  std::string jsonl;
  for (std::size_t i = 0; i < 3000; ++i) jsonl += chat(words(i * 20, 20), "ok");
  StageHarness h{DedupeStage::info(), R"({"memory_mb": 1, "near": {}})"};
  EXPECT_EQ(h.run(jsonl).status.code(), StatusCode::kDataError);
}

}  // namespace
}  // namespace ajuste::clean_dedupe
