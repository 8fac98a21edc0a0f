#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "key_memo.hpp"
#include "random_split.hpp"
#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::split_random {
namespace {

using testing::StageHarness;

std::string chat(const std::string& user, const std::string& answer) {
  return nlohmann::json{{"messages", {{{"role", "user"}, {"content", user}}, {{"role", "assistant"}, {"content", answer}}}}}
             .dump() +
         "\n";
}

// 20 records; the default seed with valid_ratio 0.25 sends records 0, 6, 7, 14 and 15 (0-based)
// to validation whatever their content (the pinned plain split). Planted:
//   3 repeats 0 with other whitespace (an exact leak after normalization);
//   10 is 6 with one word changed (a near leak);
//   19 repeats 18 (both training: not a leak); 16 has no compared field (unkeyed).
// Review text that shares (almost) no 5-character shingle with another record's.
std::string review(int i) {
  std::string text = "Review";
  for (std::uint64_t k = 1; k <= 6; ++k) {
    text += " " + std::to_string((static_cast<std::uint64_t>(i) + 1) * k * 982451653ULL % 1000000007ULL);
  }
  return text;
}

std::string plantedInput() {
  std::string jsonl;
  for (int i = 0; i < 20; ++i) {
    if (i == 3) {
      jsonl += chat("  " + review(0) + "   ", "4");
    } else if (i == 10) {
      jsonl += chat(review(6) + "!", "4");
    } else if (i == 16) {
      jsonl += nlohmann::json{{"text", "no messages here"}}.dump() + "\n";
    } else if (i == 19) {
      jsonl += chat(review(18), "4");
    } else {
      jsonl += chat(review(i), i % 2 == 0 ? "4" : "2");
    }
  }
  return jsonl;
}

TEST(LeakageCheck, CountsExactCopiesAcrossTheFilesByDefault) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25})"};
  const auto out = h.run(plantedInput());
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  const auto report = h.context().reports().at("split");
  EXPECT_EQ(report.at("leakage"), nlohmann::json::parse(R"j({
      "compared": {"train": 14, "valid": 5}, "unkeyed_records": 1,
      "exact_duplicates": 1,
      "examples": [{"kind": "exact", "train": "<inline>:4", "valid": "<inline>:1"}],
      "fields": ["/messages", "/prompt", "/completion", "/input/messages", "/preferred_output", "/non_preferred_output"], "memory_peak_mb": 0.0, "on_leak": "warn"})j"));
  ASSERT_EQ(h.context().logs().size(), 1u);
  EXPECT_EQ(h.context().logs()[0].message,
            "leakage check: 1 training records are exact copies of validation records, e.g. train <inline>:4 = valid "
            "<inline>:1; the pairs are under split.leakage in summary.json. Remove duplicates before the split "
            "(clean/dedupe), or group_by a key that ties the copies together");
  EXPECT_EQ(report.at("valid"), 5);
}

// clean/dedupe leaves each key's hash in the record's meta ("content_key"); the check uses it while
// the record's text is what was hashed, and computes the key again once the text has changed.
TEST(LeakageCheck, UsesTheContentHashDedupeLeftOnlyWhileTheTextIsUnchanged) {
  const std::string jsonl = plantedInput();
  const auto leaks = [&](bool plant, bool change_text) {
    StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25})"};
    std::vector<Record> records = StageHarness::textJsonl(jsonl);
    for (Record& record : records) {
      // Every record claims the same hash: if the check believed them all, all would be copies.
      if (plant) {
        std::vector<clean_dedupe::FieldPath> fields;
        for (const auto& pointer : nlohmann::json::parse(clean_dedupe::kDefaultContentFieldsJson)) {
          fields.push_back(clean_dedupe::FieldPath::parse(pointer.get<std::string>(), "/fields").value());
        }
        const clean_dedupe::KeyBuilder same(std::move(fields), {}, false);
        clean_dedupe::rememberContentHash(record, same.fingerprint(), {7, 7});
      }
      if (change_text) record.text += " ";
    }
    const auto out = h.run(std::move(records));
    EXPECT_TRUE(out.status.isOk()) << out.status.toString();
    return h.context().reports().at("split").at("leakage").at("exact_duplicates").get<int>();
  };
  EXPECT_EQ(leaks(false, false), 1);
  EXPECT_EQ(leaks(true, false), 15) << "every training record 'copies' a validation record";
  EXPECT_EQ(leaks(true, true), 1) << "a text changed after the memo was made: the key is computed again";
}

TEST(LeakageCheck, AContentHashOfOtherSettingsIsNotItsOwn) {
  Record record;
  keepTextOnly(record, R"({"messages":[]})");
  clean_dedupe::rememberContentHash(record, 1, {7, 8});
  ASSERT_TRUE(clean_dedupe::recallContentHash(record, 1).has_value());
  EXPECT_EQ(clean_dedupe::recallContentHash(record, 1)->high, 8u);
  EXPECT_FALSE(clean_dedupe::recallContentHash(record, 2).has_value());
  Record as_value;
  as_value.value = nlohmann::json::object();
  clean_dedupe::rememberContentHash(as_value, 1, {7, 8});
  EXPECT_FALSE(clean_dedupe::recallContentHash(as_value, 1).has_value()) << "only records held as text";
}

TEST(LeakageCheck, NearFindsTheChangedWordAndKeepsExactFirst) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25, "leakage": {"near": {"threshold": 0.5}}})"};
  ASSERT_TRUE(h.run(plantedInput()).status.isOk());
  const auto leakage = h.context().reports().at("split").at("leakage");
  EXPECT_EQ(leakage.at("exact_duplicates"), 1);
  EXPECT_EQ(leakage.at("near_duplicates"), 1);
  EXPECT_EQ(leakage.at("near_threshold"), 0.5);
  EXPECT_EQ(leakage.at("examples"), nlohmann::json::parse(R"j([
      {"kind": "exact", "train": "<inline>:4", "valid": "<inline>:1"},
      {"kind": "near", "train": "<inline>:11", "valid": "<inline>:7", "similarity": 0.91}])j"));
}

TEST(LeakageCheck, FailStopsTheRunBeforeAnyFileIsWritten) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25, "leakage": {"on_leak": "fail", "examples": 0}})"};
  const auto out = h.run(plantedInput());
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_THAT(out.status.message(),
              ::testing::EndsWith("; leakage.on_leak: fail stopped the run before writing the files"));
  const auto dir = h.context().runDir();
  EXPECT_FALSE(std::filesystem::exists(dir / "train.jsonl"));
  EXPECT_FALSE(std::filesystem::exists(dir / "valid.jsonl"));
  EXPECT_TRUE(h.context().artifacts().empty());
  const auto leakage = h.context().reports().at("split").at("leakage");
  EXPECT_EQ(leakage.at("exact_duplicates"), 1);
  EXPECT_EQ(leakage.at("examples"), nlohmann::json::array()) << "examples: 0 lists none but still counts";
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 0)
      << "no spill, keys or .partial file left behind";
}

TEST(LeakageCheck, FieldsAndCaseDecideWhatIsACopy) {
  // Compared on the answer only, each of the 14 keyed training records ("4" or "2") copies one in
  // validation (which holds both).
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25, "leakage": {"fields": ["/messages/1/content"]}})"};
  ASSERT_TRUE(h.run(plantedInput()).status.isOk());
  const auto leakage = h.context().reports().at("split").at("leakage");
  EXPECT_EQ(leakage.at("exact_duplicates"), 14);
  EXPECT_EQ(leakage.at("examples").size(), 10u) << "at most `examples` (10) pairs";
}

TEST(LeakageCheck, OffMeansNoCheckAndNoReport) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25, "leakage": {"exact": false}})"};
  ASSERT_TRUE(h.run(plantedInput()).status.isOk());
  EXPECT_FALSE(h.context().reports().at("split").contains("leakage"));
  EXPECT_TRUE(h.context().logs().empty());
}

TEST(LeakageCheck, OptionsAreCheckedBeforeTheRun) {
  for (const char* options : {R"({"valid_ratio": 0.1, "leakage": {"on_leak": "stop"}})",
                              R"({"valid_ratio": 0.1, "leakage": {"near": {"threshold": 0}}})",
                              R"({"valid_ratio": 0.1, "leakage": {"examples": -1}})",
                              R"({"valid_ratio": 0.1, "leakage": {"exact": true, "nearr": {}}})"}) {
    EXPECT_THROW(StageHarness(RandomSplit::info(), options), std::invalid_argument) << options;
  }
  testing::RecordingContext ctx("split/random");
  auto bands = RandomSplit::info().make(nlohmann::json::parse(R"({"valid_ratio": 0.1, "leakage": {"near": {"bands": 30}}})"), ctx);
  ASSERT_FALSE(bands.ok());
  EXPECT_EQ(bands.error().pointer(), "/leakage/near/bands");
  EXPECT_EQ(bands.error().message(), "must divide permutations (128), got 30; e.g. 16, 32 or 64 for 128");
  auto field = RandomSplit::info().make(nlohmann::json::parse(R"({"valid_ratio": 0.1, "leakage": {"fields": ["x"]}})"), ctx);
  ASSERT_FALSE(field.ok());
  EXPECT_EQ(field.error().pointer(), "/leakage/fields/0");
}

}  // namespace
}  // namespace ajuste::split_random
