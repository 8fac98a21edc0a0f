// The offline example pipelines in pipelines/, run as their headers tell a user to run them:
// each drops exactly the records its comments promise, at the lines they name, accounts for
// every record, and writes the same files whatever the thread count.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_ajuste.hpp"

namespace ajuste::e2e {
namespace {

const std::filesystem::path kRepo = REPO_DIR;

using LineKinds = std::map<std::uint64_t, std::pair<std::string, std::string>>;  // line -> (kind, reason)

class ExamplePipelineTest : public ::testing::Test {
 protected:
  Outcome run(const std::string& pipeline, const std::string& run_dir, const std::string& threads) {
    return runAjuste({"run", (kRepo / "pipelines" / (pipeline + ".yaml")).string(), "--run-dir", run_dir,
                      "--threads", threads, "--progress", "off"},
                     dir_.path());
  }
  // The rejects of the stages whose id is in `stages`, by input line.
  LineKinds rejectsOf(const std::string& run_dir, const std::vector<std::string>& stages) {
    LineKinds out;
    const std::string text = readFile(dir_.path() / run_dir / "rejects.jsonl");
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      const auto reject = nlohmann::json::parse(text.substr(start, end - start));
      start = end + 1;
      if (std::find(stages.begin(), stages.end(), reject["stage"].get<std::string>()) == stages.end()) continue;
      out[reject["line"].get<std::uint64_t>()] = {reject["kind"], reject["reason"]};
    }
    return out;
  }
  nlohmann::json summary(const std::string& run_dir) {
    return nlohmann::json::parse(readFile(dir_.path() / run_dir / "summary.json"));
  }
  void expectSameOutputs(const std::string& a, const std::string& b) {
    for (const char* file : {"train.jsonl", "valid.jsonl", "rejects.jsonl"}) {
      EXPECT_EQ(readFile(dir_.path() / a / file), readFile(dir_.path() / b / file)) << file;
    }
  }
  TempDir dir_;
};

// The report a stage filed under `key` in summary.json (null when none did).
nlohmann::json stageReport(const nlohmann::json& summary, const std::string& key) {
  for (const auto& stage : summary["stages"]) {
    if (stage.contains("report") && stage["report"].contains(key)) return stage["report"][key];
  }
  return nullptr;
}

void expectBalanced(const nlohmann::json& summary) {
  const auto& records = summary["records"];
  EXPECT_EQ(records["read"].get<int>(), records["written"].get<int>() + records["rejected"].get<int>());
  EXPECT_TRUE(records["balanced"].get<bool>());
}

TEST_F(ExamplePipelineTest, DedupeReviewsDropsTheSevenRepeatsNamingTheFirstCopy) {
  const Outcome outcome = run("dedupe-reviews", "one", "1");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  // The pipeline's header lists the repeats: 121 and 313 repeat 21; 99 and 110 repeat 25; ...
  const LineKinds expected{
      {99, {"duplicate", "duplicate of data/reviews.jsonl:25"}},  {110, {"duplicate", "duplicate of data/reviews.jsonl:25"}},
      {121, {"duplicate", "duplicate of data/reviews.jsonl:21"}}, {243, {"duplicate", "duplicate of data/reviews.jsonl:37"}},
      {269, {"duplicate", "duplicate of data/reviews.jsonl:30"}}, {313, {"duplicate", "duplicate of data/reviews.jsonl:21"}},
      {344, {"duplicate", "duplicate of data/reviews.jsonl:244"}}};
  EXPECT_EQ(rejectsOf("one", {"clean"}), expected);
  const auto s = summary("one");
  expectBalanced(s);
  EXPECT_EQ(s["records"]["written"].get<int>(), 335);

  ASSERT_EQ(run("dedupe-reviews", "two", "2").exit_code, 0);
  expectSameOutputs("one", "two");
}

TEST_F(ExamplePipelineTest, CleanReviewsDropsEmptiedAndOffFormatReviews) {
  const Outcome outcome = run("clean-reviews", "one", "1");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const std::string emptied = "messages has no assistant message left after dropping empty messages (first dropped: messages[2])";
  const std::string off_format = "no assistant text matches include[0] (^(Rating: [1-5] stars?|Avaliação: [1-5] estrelas?)$)";
  LineKinds expected{{90, {"no_message_left", emptied}}, {105, {"no_message_left", emptied}}};
  for (const std::uint64_t line : {55u, 68u, 169u, 228u, 278u, 282u}) expected[line] = {"include_not_matched", off_format};
  EXPECT_EQ(rejectsOf("one", {"normalize", "pii", "filter"}), expected);
  const auto s = summary("one");
  expectBalanced(s);
  EXPECT_EQ(s["records"]["written"].get<int>(), 342);

  ASSERT_EQ(run("clean-reviews", "two", "2").exit_code, 0);
  expectSameOutputs("one", "two");
}

TEST_F(ExamplePipelineTest, CsvReviewsRejectsTheTwoBrokenRowsAndSplitsTheRest) {
  const Outcome outcome = run("csv-reviews", "one", "1");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const LineKinds rejects = rejectsOf("one", {"ingest"});
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects.at(21).first, "wrong_field_count");
  EXPECT_EQ(rejects.at(34).first, "plural_not_number");
  const auto s = summary("one");
  expectBalanced(s);
  std::map<std::string, int> outputs;
  for (const auto& output : s["outputs"]) outputs[output["name"]] = output["records"];
  EXPECT_EQ(outputs, (std::map<std::string, int>{{"train", 26}, {"valid", 3}}));

  ASSERT_EQ(run("csv-reviews", "two", "2").exit_code, 0);
  expectSameOutputs("one", "two");
}

TEST_F(ExamplePipelineTest, SplitReviewsKeepsTheRatingMixAndReportsTheRepeats) {
  const Outcome outcome = run("split-reviews", "one", "1");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err;
  const auto s = summary("one");
  expectBalanced(s);
  const nlohmann::json split = stageReport(s, "split");
  // 348 records, 35 to validation: each label its largest-remainder share (odd answers included:
  // this pipeline does not clean).
  EXPECT_EQ(split["labels"], nlohmann::json::parse(R"j({"train": {"": 2, "4": 1, "5": 1, "Avaliação: 1 estrela": 11, "Avaliação: 2 estrelas": 6,
                 "Avaliação: 3 estrelas": 6, "Avaliação: 4 estrelas": 21, "Avaliação: 5 estrelas": 31,
                 "Rating: 1 star": 45, "Rating: 2 stars": 20, "Rating: 3 stars": 24, "Rating: 4 stars": 61,
                 "Rating: 5 stars": 84},
       "valid": {"": 0, "4": 0, "5": 0, "Avaliação: 1 estrela": 1, "Avaliação: 2 estrelas": 1,
                 "Avaliação: 3 estrelas": 1, "Avaliação: 4 estrelas": 2, "Avaliação: 5 estrelas": 3,
                 "Rating: 1 star": 5, "Rating: 2 stars": 2, "Rating: 3 stars": 3, "Rating: 4 stars": 7,
                 "Rating: 5 stars": 10}})j"));
  // The one exact pair is a repeat the data's README lists (line 344 repeats 244).
  EXPECT_EQ(split["leakage"]["exact_duplicates"], 1);
  EXPECT_EQ(split["leakage"]["near_duplicates"], 6);
  EXPECT_EQ(split["valid"], 35);
  EXPECT_EQ(split["leakage"]["examples"], nlohmann::json::parse(R"j([{"kind": "near", "similarity": 0.97, "train": "data/reviews.jsonl:14", "valid": "data/reviews.jsonl:146"},
       {"kind": "near", "similarity": 0.91, "train": "data/reviews.jsonl:55", "valid": "data/reviews.jsonl:146"},
       {"kind": "near", "similarity": 0.91, "train": "data/reviews.jsonl:174", "valid": "data/reviews.jsonl:146"},
       {"kind": "near", "similarity": 0.95, "train": "data/reviews.jsonl:241", "valid": "data/reviews.jsonl:346"},
       {"kind": "near", "similarity": 0.94, "train": "data/reviews.jsonl:259", "valid": "data/reviews.jsonl:27"},
       {"kind": "near", "similarity": 0.93, "train": "data/reviews.jsonl:297", "valid": "data/reviews.jsonl:193"},
       {"kind": "exact", "train": "data/reviews.jsonl:344", "valid": "data/reviews.jsonl:244"}])j"));

  ASSERT_EQ(run("split-reviews", "two", "2").exit_code, 0);
  expectSameOutputs("one", "two");
  EXPECT_EQ(stageReport(summary("two"), "split"), split);
}

}  // namespace
}  // namespace ajuste::e2e
