#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "assignment.hpp"
#include "random_split.hpp"
#include "record_fields.hpp"
#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::split_random {
namespace {

using ::testing::HasSubstr;
using testing::StageHarness;

std::vector<nlohmann::json> records(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// 20 chat records: 10 rated "5", 6 rated "4", 4 rated "1", interleaved.
std::string ratedChats() {
  const std::vector<std::string> stars = {"5", "4", "5", "1", "5", "4", "5", "4", "5", "1",
                                          "5", "4", "5", "1", "5", "4", "5", "4", "5", "1"};
  std::string jsonl;
  for (std::size_t i = 0; i < stars.size(); ++i) {
    jsonl += nlohmann::json{{"i", i},
                            {"messages",
                             {{{"role", "user"}, {"content", "review " + std::to_string(i)}},
                              {{"role", "assistant"}, {"content", stars[i]}}}}}
                 .dump() +
             "\n";
  }
  return jsonl;
}

std::map<std::string, int> answerCounts(const std::filesystem::path& path) {
  std::map<std::string, int> counts;
  for (const auto& r : records(path)) ++counts[r.at("messages").back().at("content").get<std::string>()];
  return counts;
}

TEST(StratifiedSplit, LargestRemainderQuotasAreExact) {
  // N = 20, T = round(20 * 0.25) = 5.
  //   "5": 5 * 10 = 50 -> floor 50 / 20 = 2, remainder 10
  //   "4": 5 *  6 = 30 -> floor 30 / 20 = 1, remainder 10
  //   "1": 5 *  4 = 20 -> floor 20 / 20 = 1, remainder 0
  // Floors sum to 4, one more to give: "5" and "4" tie on remainder 10; the larger stratum ("5",
  // 10 records) wins, so the quotas are 3 / 1 / 1.
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25, "stratify_by": "answer"})"};
  const auto out = h.run(ratedChats());
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  const auto dir = h.context().runDir();
  EXPECT_EQ(answerCounts(dir / "valid.jsonl"), (std::map<std::string, int>{{"1", 1}, {"4", 1}, {"5", 3}}));
  EXPECT_EQ(answerCounts(dir / "train.jsonl"), (std::map<std::string, int>{{"1", 3}, {"4", 5}, {"5", 7}}));
  const auto report = h.context().reports().at("split");
  EXPECT_EQ(report.at("stratify_by"), "answer");
  EXPECT_EQ(report.at("labels"), nlohmann::json::parse(R"({"train": {"1": 3, "4": 5, "5": 7},
                                                             "valid": {"1": 1, "4": 1, "5": 3}})"));
  EXPECT_EQ(report.at("valid"), 5);
}

TEST(StratifiedSplit, QuotaTiesFallToByteOrderAndSumToTheTarget) {
  StratumTable strata;
  for (const char* label : {"b", "a", "c"}) ASSERT_TRUE(strata.add(label));
  // 3 strata of 1, T = 2: every remainder is 2, every size 1: "a" then "b" get the seats.
  EXPECT_EQ(largestRemainderQuotas(strata, 2), (std::vector<std::uint64_t>{1, 1, 0}));  // b, a, c
  EXPECT_EQ(largestRemainderQuotas(strata, 0), (std::vector<std::uint64_t>{0, 0, 0}));
}

TEST(StratifiedSplit, SameSeedGivesByteIdenticalFilesWhateverTheBatchSize) {
  std::string input;
  for (int i = 0; i < 300; ++i) {
    input += nlohmann::json{{"i", i}, {"label", std::to_string(i % 7 == 0 ? 0 : i % 3)}}.dump() + "\n";
  }
  std::string train_reference;
  std::string valid_reference;
  for (const std::size_t batch : {1u, 13u, 64u, 1000u}) {
    StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.2, "seed": 3, "stratify_by": "/label"})"};
    h.setBatchSize(batch);
    ASSERT_TRUE(h.run(input).status.isOk());
    const std::string train = slurp(h.context().runDir() / "train.jsonl");
    const std::string valid = slurp(h.context().runDir() / "valid.jsonl");
    if (train_reference.empty()) {
      train_reference = train;
      valid_reference = valid;
      EXPECT_EQ(records(h.context().runDir() / "valid.jsonl").size(), 60u);
    }
    EXPECT_EQ(train, train_reference) << "batch " << batch;
    EXPECT_EQ(valid, valid_reference) << "batch " << batch;
  }
}

TEST(StratifiedSplit, OneStratumIsThePlainSplit) {
  std::string input;
  for (int i = 0; i < 20; ++i) input += nlohmann::json{{"i", i}, {"label", "same"}}.dump() + "\n";
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25, "stratify_by": "/label"})"};
  ASSERT_TRUE(h.run(input).status.isOk());
  std::vector<int> valid;
  for (const auto& r : records(h.context().runDir() / "valid.jsonl")) valid.push_back(r.at("i"));
  EXPECT_EQ(valid, (std::vector<int>{0, 6, 7, 14, 15})) << "the pinned default split";
}

TEST(StratifiedSplit, LabelFallsBackToMetaFields) {
  std::vector<Record> input = StageHarness::parseJsonl(R"({"i":0})" "\n" R"({"i":1,"stars":2})" "\n");
  input[0].meta["fields"] = {{"stars", 2}};
  StageHarness h{RandomSplit::info(), R"({"valid_count": 1, "stratify_by": "/stars"})"};
  const auto out = h.run(std::move(input));
  ASSERT_TRUE(out.status.isOk());
  EXPECT_TRUE(out.rejects.empty());
  EXPECT_EQ(h.context().reports().at("split").at("labels").at("valid"), (nlohmann::json{{"2", 1}}));
}

TEST(StratifiedSplit, ARecordWithoutALabelIsRejectedOrKeptInItsOwnStratum) {
  const std::string input = R"({"i":0,"label":"x"})" "\n" R"({"i":1})" "\n" R"({"i":2,"label":"x"})" "\n"
                            R"({"i":3,"label":null})" "\n";
  StageHarness h{RandomSplit::info(), R"({"valid_count": 1, "stratify_by": "/label"})"};
  const auto out = h.run(input);
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].kind, "missing_label");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_EQ(out.rejects[0].reason,
            "no label at stratify_by /label (in the record or its meta.fields); set missing_label: own_stratum to "
            "keep such records");
  EXPECT_EQ(out.rejects[1].origin.line, 4u);
  EXPECT_EQ(h.context().reports().at("split").at("records"), 2);
  // Their lines were spilled before consume rejected them: the files leave them out.
  auto written = records(h.context().runDir() / "train.jsonl");
  for (auto& record : records(h.context().runDir() / "valid.jsonl")) written.push_back(record);
  ASSERT_EQ(written.size(), 2u);
  for (const auto& record : written) EXPECT_TRUE(record.value("label", nlohmann::json()).is_string()) << record.dump();

  StageHarness own{RandomSplit::info(), R"({"valid_count": 2, "stratify_by": "/label", "missing_label": "own_stratum"})"};
  const auto kept = own.run(input);
  ASSERT_TRUE(kept.status.isOk());
  EXPECT_TRUE(kept.rejects.empty());
  // N = 4, T = 2: "x" 2*2/4 = 1 r0, "(missing)" 1 r0: one each.
  const auto report = own.context().reports().at("split");
  EXPECT_EQ(report.at("labels"), nlohmann::json::parse(R"({"train": {"x": 1}, "valid": {"x": 1}})"));
  EXPECT_EQ(report.at("unlabelled"), nlohmann::json::parse(R"({"train": 1, "valid": 1})"));
}

TEST(StratifiedSplit, AnswerCoversCompletionAndPreferenceRecords) {
  EXPECT_EQ(answerOf(nlohmann::json::parse(R"({"prompt": "p", "completion": " yes"})")), nlohmann::json(" yes"));
  EXPECT_EQ(answerOf(nlohmann::json::parse(
                R"({"input": {"messages": [{"role": "user", "content": "q"}]},
                    "preferred_output": [{"role": "assistant", "content": "good"}],
                    "non_preferred_output": [{"role": "assistant", "content": "bad"}]})")),
            nlohmann::json("good"));
  EXPECT_EQ(answerOf(nlohmann::json::parse(R"({"messages": [{"role": "user", "content": "q"}]})")), std::nullopt);
}

TEST(StratifiedSplit, OptionsAreCheckedBeforeTheRun) {
  const auto refused = [](const char* options) {
    EXPECT_THROW(StageHarness(RandomSplit::info(), options), std::invalid_argument) << options;
  };
  refused(R"({"valid_ratio": 0.1, "stratify_by": "label"})");
  refused(R"({"valid_ratio": 0.1, "stratify_by": "/label", "missing_label": "drop"})");
  refused(R"({"valid_ratio": 0.1, "group_by": "id"})");
  testing::RecordingContext ctx("split/random");
  auto both = RandomSplit::info().make(
      nlohmann::json{{"valid_ratio", 0.1}, {"stratify_by", "/a"}, {"group_by", "/b"}}, ctx);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code(), StatusCode::kConfigError);
  EXPECT_EQ(both.error().pointer(), "/group_by");
  auto bad = RandomSplit::info().make(nlohmann::json{{"valid_ratio", 0.1}, {"group_by", "/a/~2"}}, ctx);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().pointer(), "/group_by");
}

// 25 records of 10 products with 4, 2 or 1 records each (sizes cycle), in product order.
std::string productRecords() {
  std::string input;
  int i = 0;
  for (int product = 0; product < 10; ++product) {
    const int size = product % 3 == 0 ? 4 : (product % 3 == 1 ? 2 : 1);
    for (int k = 0; k < size; ++k, ++i) input += nlohmann::json{{"i", i}, {"product", product}}.dump() + "\n";
  }
  return input;
}

std::set<int> productsIn(const std::filesystem::path& path) {
  std::set<int> products;
  for (const auto& r : records(path)) products.insert(r.at("product").get<int>());
  return products;
}

TEST(GroupedSplit, GroupsNeverStraddleAndTheAchievedRatioIsReported) {
  // N = 25, T = round(25 * 0.3) = 8: seed 42 shuffles products 3, 5, 7 and 8 (4 + 1 + 2 + 1) in.
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.3, "group_by": "/product"})"};
  const auto out = h.run(productRecords());
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  const auto dir = h.context().runDir();
  const std::set<int> valid = productsIn(dir / "valid.jsonl");
  const std::set<int> train = productsIn(dir / "train.jsonl");
  EXPECT_EQ(valid, (std::set<int>{3, 5, 7, 8}));
  for (const int product : valid) EXPECT_EQ(train.count(product), 0u) << product;
  EXPECT_EQ(train.size() + valid.size(), 10u);
  const auto report = h.context().reports().at("split");
  EXPECT_EQ(report.at("group_by"), "/product");
  EXPECT_EQ(report.at("groups"), nlohmann::json::parse(R"({"total": 10, "train": 6, "valid": 4})"));
  EXPECT_EQ(report.at("valid_requested"), 8);
  EXPECT_EQ(report.at("valid_achieved"), records(dir / "valid.jsonl").size());
  EXPECT_EQ(report.at("valid_achieved"), 8);
  EXPECT_EQ(report.at("valid_ratio_achieved"), 0.32);
  EXPECT_TRUE(h.context().logs().empty()) << "8 is reached exactly: no warning";
}

TEST(GroupedSplit, WholeGroupsComeAsCloseAsTheyCanAndTheShortfallIsWarned) {
  // Groups of 5, 5 and 3 records; T = round(13 * 0.3) = 4: pass 1 takes the 3-record group (the
  // 5s do not fit); pass 2 finds nothing closer (3 + 5 = 8 is 4 away, 3 is 1 away).
  std::string input;
  for (int i = 0; i < 13; ++i) input += nlohmann::json{{"i", i}, {"p", i < 5 ? "a" : (i < 10 ? "b" : "c")}}.dump() + "\n";
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.3, "group_by": "/p"})"};
  ASSERT_TRUE(h.run(input).status.isOk());
  std::vector<int> valid;
  for (const auto& r : records(h.context().runDir() / "valid.jsonl")) valid.push_back(r.at("i"));
  EXPECT_EQ(valid, (std::vector<int>{10, 11, 12}));
  const auto report = h.context().reports().at("split");
  EXPECT_EQ(report.at("valid_achieved"), 3);
  EXPECT_EQ(report.at("valid_ratio_achieved"), 0.230769);
  ASSERT_EQ(h.context().logs().size(), 1u);
  EXPECT_EQ(h.context().logs()[0].message,
            "group_by /p keeps groups whole: 3 validation records (ratio 0.230769) instead of the 4 asked for");
}

TEST(GroupedSplit, AnOvershootingGroupIsTakenWhenItIsCloser) {
  // Groups of 1, 6 and 6 records; T = round(13 * 0.4) = 5: pass 1 takes the single record, pass 2
  // one 6-record group (7 is 2 from 5, closer than 1 is (4 away)).
  std::string input;
  for (int i = 0; i < 13; ++i) input += nlohmann::json{{"i", i}, {"p", i == 0 ? 0 : (i < 7 ? 1 : 2)}}.dump() + "\n";
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.4, "group_by": "/p"})"};
  ASSERT_TRUE(h.run(input).status.isOk());
  const auto report = h.context().reports().at("split");
  EXPECT_EQ(report.at("valid_achieved"), 7);
  EXPECT_EQ(report.at("groups"), nlohmann::json::parse(R"({"total": 3, "train": 1, "valid": 2})"));
  EXPECT_EQ(records(h.context().runDir() / "train.jsonl").size(), 6u);
}

TEST(GroupedSplit, SameSeedSameFilesAndAnotherSeedAnotherChoice) {
  const auto validOf = [](const std::string& options) {
    StageHarness h{RandomSplit::info(), options};
    EXPECT_TRUE(h.run(productRecords()).status.isOk());
    return slurp(h.context().runDir() / "valid.jsonl");
  };
  const std::string a = validOf(R"({"valid_ratio": 0.3, "group_by": "/product", "seed": 7})");
  EXPECT_EQ(a, validOf(R"({"valid_ratio": 0.3, "group_by": "/product", "seed": 7})"));
  EXPECT_NE(a, validOf(R"({"valid_ratio": 0.3, "group_by": "/product", "seed": 8})"));
}

TEST(GroupedSplit, ARecordWithoutAGroupKeyIsRejected) {
  StageHarness h{RandomSplit::info(), R"({"valid_count": 1, "group_by": "/product"})"};
  const auto out = h.run(R"({"product": "a"})" "\n" R"({"x": 1})" "\n" R"({"product": "b"})" "\n");
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "missing_group");
  EXPECT_EQ(records(h.context().runDir() / "valid.jsonl").size(), 1u);
  EXPECT_EQ(records(h.context().runDir() / "train.jsonl").size(), 1u);
}

TEST(GroupedSplit, NoGroupSmallEnoughOrASingleGroupIsADataError) {
  StageHarness h{RandomSplit::info(), R"({"valid_count": 1, "group_by": "/p"})"};
  const auto out = h.run(R"({"p": 1})" "\n" R"({"p": 1})" "\n" R"({"p": 1})" "\n" R"({"p": 2})" "\n"
                         R"({"p": 2})" "\n" R"({"p": 2})" "\n");
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_EQ(out.status.message(),
            "group_by /p: the smallest of the 2 groups has 3 records, too many for the 1 validation records asked "
            "for, so the validation file would be empty; raise valid_ratio or valid_count");
  StageHarness one{RandomSplit::info(), R"({"valid_count": 1, "group_by": "/p"})"};
  const auto single = one.run(R"({"p": 1})" "\n" R"({"p": 1})" "\n");
  EXPECT_EQ(single.status.message(),
            "group_by /p: all 2 records share one key, so one file would be empty; point group_by at a key with "
            "more than one value");
  EXPECT_FALSE(std::filesystem::exists(one.context().runDir() / "valid.jsonl"));
}

}  // namespace
}  // namespace ajuste::split_random
