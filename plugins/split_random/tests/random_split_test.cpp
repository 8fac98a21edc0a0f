#include "random_split.hpp"

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "ajuste/testing/recording_context.hpp"
#include "ajuste/testing/stage_harness.hpp"
#include "hashing/sha256.hpp"

namespace ajuste::split_random {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::StageHarness;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// N records {"i":0} ... {"i":N-1}, with a little UTF-8 so the bytes are not all ASCII.
std::string numbered(std::uint64_t n) {
  std::string jsonl;
  for (std::uint64_t i = 0; i < n; ++i) jsonl += R"({"i":)" + std::to_string(i) + R"(,"t":"avalia\u00e7\u00e3o"})" "\n";
  return jsonl;
}

// The `i` of every line of a split output file.
std::vector<std::uint64_t> indexes(const std::filesystem::path& path) {
  std::vector<std::uint64_t> out;
  for (const std::string& line : lines(slurp(path))) out.push_back(nlohmann::json::parse(line).at("i").get<std::uint64_t>());
  return out;
}

std::vector<std::string> filesIn(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(RandomSplit, ChoosesExactlyRoundNTimesRatioForSeveralSizes) {
  for (const std::uint64_t n : {2ULL, 3ULL, 7ULL, 10ULL, 101ULL, 1000ULL}) {
    for (const double ratio : {0.1, 0.25, 0.5, 0.9}) {
      const auto expected_valid = static_cast<std::uint64_t>(std::llround(static_cast<double>(n) * ratio));
      if (expected_valid == 0 || expected_valid == n) continue;  // refused, tested below
      StageHarness h{RandomSplit::info(), R"({"valid_ratio": )" + std::to_string(ratio) + "}"};
      const auto out = h.run(numbered(n));
      ASSERT_TRUE(out.status.isOk()) << out.status.toString();
      EXPECT_EQ(out.kept.size(), n) << "a sink leaves what it wrote live";
      const auto dir = h.context().runDir();
      const auto valid = indexes(dir / "valid.jsonl");
      const auto train = indexes(dir / "train.jsonl");
      EXPECT_EQ(valid.size(), expected_valid) << "n=" << n << " ratio=" << ratio;
      EXPECT_EQ(train.size(), n - expected_valid);
      EXPECT_TRUE(std::is_sorted(valid.begin(), valid.end())) << "input order";
      EXPECT_TRUE(std::is_sorted(train.begin(), train.end())) << "input order";
      std::vector<std::uint64_t> all = valid;
      all.insert(all.end(), train.begin(), train.end());
      std::sort(all.begin(), all.end());
      for (std::uint64_t i = 0; i < n; ++i) ASSERT_EQ(all[i], i) << "every record exactly once";
    }
  }
}

TEST(RandomSplit, SameSeedGivesByteIdenticalFilesWhateverTheBatchSize) {
  const std::string input = numbered(500);
  std::string train_reference;
  std::string valid_reference;
  for (const std::size_t batch : {1u, 7u, 64u, 1000u}) {
    StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.2, "seed": 7})"};
    h.setBatchSize(batch);
    ASSERT_TRUE(h.run(input).status.isOk());
    const std::string train = slurp(h.context().runDir() / "train.jsonl");
    const std::string valid = slurp(h.context().runDir() / "valid.jsonl");
    if (train_reference.empty()) {
      train_reference = train;
      valid_reference = valid;
      EXPECT_EQ(lines(valid).size(), 100u);
    }
    EXPECT_EQ(train, train_reference) << "batch " << batch;
    EXPECT_EQ(valid, valid_reference) << "batch " << batch;
  }
  StageHarness other{RandomSplit::info(), R"({"valid_ratio": 0.2, "seed": 8})"};
  ASSERT_TRUE(other.run(input).status.isOk());
  EXPECT_NE(slurp(other.context().runDir() / "valid.jsonl"), valid_reference) << "another seed, another split";
}

// Pins the split itself: if this changes, every user's split with seed 42 changes.
TEST(RandomSplit, DefaultSeedSplitIsPinned) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25})"};
  ASSERT_TRUE(h.run(numbered(20)).status.isOk());
  // Cross-checked with an independent Python implementation of SplitMix64 + xoshiro256** + Algorithm S.
  EXPECT_EQ(indexes(h.context().runDir() / "valid.jsonl"), (std::vector<std::uint64_t>{0, 6, 7, 14, 15}));
}

TEST(RandomSplit, WritesOneCompactJsonObjectPerLine) {
  StageHarness h{RandomSplit::info(), R"({"valid_count": 1})"};
  const std::string input =
      R"({"messages": [{"role": "user", "content": "Avaliação\nnova"}, {"role": "assistant", "content": "Rating: 1 star"}]})"
      "\n"
      R"({"b": 2, "a": [1, 2.5, null, true]})"
      "\n";
  ASSERT_TRUE(h.run(input).status.isOk());
  const std::string both = slurp(h.context().runDir() / "train.jsonl") + slurp(h.context().runDir() / "valid.jsonl");
  EXPECT_THAT(lines(both), ::testing::UnorderedElementsAre(
                               R"({"messages":[{"content":"Avaliação\nnova","role":"user"},{"content":"Rating: 1 star","role":"assistant"}]})",
                               R"({"a":[1,2.5,null,true],"b":2})"));
  EXPECT_EQ(both.back(), '\n');
}

// Records held as text (from ingest/jsonl) are written as they were read, and split exactly as
// the same records held as values; stratifying (which reads a label) gives the same files too.
TEST(RandomSplit, WritesRecordsHeldAsTextAsTheyWereRead) {
  std::string jsonl;
  for (int i = 0; i < 40; ++i) {
    jsonl += R"({"i": )" + std::to_string(i) + R"(, "label": ")" + (i % 3 == 0 ? "a" : "b") +
             R"(", "messages": [{"role": "user", "content": "q\u00e9)" + std::to_string(i % 7) + R"("}]})" "\n";
  }
  for (const char* options : {R"({"valid_ratio": 0.25})", R"({"valid_ratio": 0.25, "stratify_by": "/label"})",
                              R"({"valid_ratio": 0.25, "group_by": "/i", "leakage": {"near": {"threshold": 0.5}}})"}) {
    StageHarness as_values{RandomSplit::info(), options};
    StageHarness as_text{RandomSplit::info(), options};
    const auto want = as_values.run(jsonl);
    const auto got = as_text.runText(jsonl);
    ASSERT_TRUE(got.status.isOk()) << got.status.toString();
    for (const char* file : {"train.jsonl", "valid.jsonl"}) {
      const auto text_lines = lines(slurp(as_text.context().runDir() / file));
      const auto value_lines = lines(slurp(as_values.context().runDir() / file));
      ASSERT_EQ(text_lines.size(), value_lines.size()) << options << " " << file;
      for (std::size_t i = 0; i < text_lines.size(); ++i) {
        EXPECT_EQ(nlohmann::json::parse(text_lines[i]), nlohmann::json::parse(value_lines[i])) << options;
        EXPECT_THAT(text_lines[i], ::testing::StartsWith(R"({"i": )")) << "as read, not re-serialized";
      }
    }
    EXPECT_EQ(got.rejects.size(), want.rejects.size());
    const nlohmann::json leakage = as_text.context().reports().at("split").at("leakage");
    EXPECT_EQ(leakage, as_values.context().reports().at("split").at("leakage")) << options;
    EXPECT_GT(leakage.at("exact_duplicates").get<int>(), 0) << "the 7 distinct contents repeat across the files";
  }
}

TEST(RandomSplit, ValidCountIsExactAndClampedWithAWarning) {
  StageHarness exact{RandomSplit::info(), R"({"valid_count": 3})"};
  ASSERT_TRUE(exact.run(numbered(10)).status.isOk());
  EXPECT_EQ(indexes(exact.context().runDir() / "valid.jsonl").size(), 3u);
  EXPECT_EQ(indexes(exact.context().runDir() / "train.jsonl").size(), 7u);

  StageHarness clamped{RandomSplit::info(), R"({"valid_count": 50})"};
  ASSERT_TRUE(clamped.run(numbered(10)).status.isOk());
  EXPECT_EQ(indexes(clamped.context().runDir() / "valid.jsonl").size(), 9u);
  EXPECT_EQ(indexes(clamped.context().runDir() / "train.jsonl").size(), 1u);
  const auto logs = clamped.context().logs();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].level, LogLevel::kWarn);
  EXPECT_EQ(logs[0].message,
            "valid_count 50 is not below the 10 records that reached the split; using 9 so the training file keeps "
            "one record");
}

TEST(RandomSplit, RefusesARatioThatWouldEmptyAFile) {
  StageHarness too_small{RandomSplit::info(), R"({"valid_ratio": 0.01})"};
  auto out = too_small.run(numbered(30));
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_EQ(out.status.message(),
            "valid_ratio 0.01 selects round(30 * 0.01) = 0 of the 30 records that reached the split for validation, "
            "leaving the validation file empty; raise valid_ratio to at least 0.0167 or set valid_count instead");
  EXPECT_TRUE(filesIn(too_small.context().runDir()).empty()) << "no spill, no partial output left behind";

  StageHarness too_big{RandomSplit::info(), R"({"valid_ratio": 0.9})"};
  out = too_big.run(numbered(3));
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_EQ(out.status.message(),
            "valid_ratio 0.9 selects round(3 * 0.9) = 3 of the 3 records that reached the split for validation, "
            "leaving the training file empty; lower valid_ratio to at most 0.8333 or set valid_count instead");
  EXPECT_TRUE(filesIn(too_big.context().runDir()).empty());
}

TEST(RandomSplit, SaysWhenNoRecordReachedIt) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.1})"};
  const auto out = h.run("");
  EXPECT_EQ(out.status.code(), StatusCode::kDataError);
  EXPECT_EQ(out.status.message(),
            "no records reached the split: the input was empty or every record was rejected by an earlier stage; "
            "see the rejects in the run folder");
  EXPECT_TRUE(filesIn(h.context().runDir()).empty());
}

TEST(RandomSplit, OneRecordGoesToTrainingWithAWarning) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.5})"};
  ASSERT_TRUE(h.run(numbered(1)).status.isOk());
  EXPECT_EQ(indexes(h.context().runDir() / "train.jsonl").size(), 1u);
  EXPECT_EQ(slurp(h.context().runDir() / "valid.jsonl"), "");
  ASSERT_EQ(h.context().logs().size(), 1u);
  EXPECT_THAT(h.context().logs()[0].message, HasSubstr("only 1 record reached the split"));
}

TEST(RandomSplit, PublishesArtifactsOutputsAndAReportAndLeavesNoSpill) {
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.3, "seed": 5})"};
  h.setBatchSize(4);
  ASSERT_TRUE(h.run(numbered(10)).status.isOk());
  auto& ctx = h.context();
  const auto train_path = ctx.runDir() / "train.jsonl";
  const auto valid_path = ctx.runDir() / "valid.jsonl";
  EXPECT_THAT(filesIn(ctx.runDir()), ElementsAre("train.jsonl", "valid.jsonl"));

  ASSERT_EQ(ctx.outputs().size(), 2u);
  EXPECT_EQ(ctx.outputs()[0].name, "train");
  EXPECT_EQ(ctx.outputs()[0].path, train_path);
  EXPECT_EQ(ctx.outputs()[0].records, 7u);
  EXPECT_EQ(ctx.outputs()[1].name, "valid");
  EXPECT_EQ(ctx.outputs()[1].records, 3u);

  const std::string train = slurp(train_path);
  const std::string valid = slurp(valid_path);
  EXPECT_EQ(ctx.artifacts().at("train_file"),
            (nlohmann::json{{"path", train_path.string()}, {"records", 7}, {"bytes", train.size()},
                            {"sha256", hashing::sha256Hex(train)}}));
  EXPECT_EQ(ctx.artifacts().at("valid_file"),
            (nlohmann::json{{"path", valid_path.string()}, {"records", 3}, {"bytes", valid.size()},
                            {"sha256", hashing::sha256Hex(valid)}}));
  nlohmann::json report = ctx.reports().at("split");
  // The default leakage check compares messages, prompt and completion: these records have none.
  EXPECT_EQ(report.at("leakage"), nlohmann::json::parse(R"j({"compared": {"train": 0, "valid": 0},
      "exact_duplicates": 0, "examples": [], "fields": ["/messages", "/prompt", "/completion", "/input/messages", "/preferred_output", "/non_preferred_output"],
      "memory_peak_mb": 0.0, "on_leak": "warn", "unkeyed_records": 10})j"));
  report.erase("leakage");
  EXPECT_EQ(report, (nlohmann::json{{"records", 10}, {"train", 7}, {"valid", 3}, {"seed", 5}, {"valid_ratio", 0.3}}));
}

// The files are copied from the spill in blocks of 256 KiB: records far larger than a block,
// and records that straddle blocks, come out whole, in order, with the right digests.
TEST(RandomSplit, RecordsLargerThanTheCopyBlockComeOutWhole) {
  std::string jsonl;
  std::vector<std::string> texts;
  for (std::uint64_t i = 0; i < 40; ++i) {
    const std::size_t size = i % 7 == 3 ? 700'000 + i : 20'000 + 997 * i;
    texts.push_back(std::string(size, static_cast<char>('a' + i % 26)));
    jsonl += R"({"i":)" + std::to_string(i) + R"(,"t":")" + texts.back() + "\"}\n";
  }
  StageHarness h{RandomSplit::info(), R"({"valid_ratio": 0.25, "seed": 9})"};
  h.setBatchSize(3);
  ASSERT_TRUE(h.run(jsonl).status.isOk());
  auto& ctx = h.context();
  std::vector<std::uint64_t> seen;
  for (const char* name : {"train", "valid"}) {
    const auto path = ctx.runDir() / (std::string(name) + ".jsonl");
    const std::string text = slurp(path);
    EXPECT_EQ(ctx.artifacts().at(std::string(name) + "_file").at("sha256"), hashing::sha256Hex(text)) << name;
    std::uint64_t previous = 0;
    bool first = true;
    for (const std::string& line : lines(text)) {
      const auto record = nlohmann::json::parse(line);
      const auto i = record.at("i").get<std::uint64_t>();
      EXPECT_TRUE(first || i > previous) << name << ": input order";
      EXPECT_EQ(record.at("t"), texts[i]) << name << " record " << i;
      first = false;
      previous = i;
      seen.push_back(i);
    }
  }
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), 40u);
  for (std::uint64_t i = 0; i < 40; ++i) EXPECT_EQ(seen[i], i);
}

TEST(RandomSplit, UserPathsAreResolvedAndTheirFoldersCreated) {
  testing::RecordingContext ctx("split/random");
  const auto base = ctx.runDir() / "work";
  std::filesystem::create_directories(base);
  ctx.setBaseDir(base);
  auto made = RandomSplit::info().make(
      nlohmann::json{{"valid_count", 1}, {"seed", 42}, {"train_path", "out/t.jsonl"}, {"valid_path", "out/v.jsonl"}},
      ctx);
  ASSERT_TRUE(made.ok()) << made.error().toString();
  SinkStage* sink = (*made)->asSink();
  Batch batch(8);
  for (Record& record : StageHarness::parseJsonl(numbered(4))) batch.add(std::move(record));
  ASSERT_TRUE(sink->consume(batch, ctx).isOk());
  ASSERT_TRUE(sink->finish(ctx).isOk());
  EXPECT_EQ(lines(slurp(base / "out/t.jsonl")).size(), 3u);
  EXPECT_EQ(lines(slurp(base / "out/v.jsonl")).size(), 1u);
  EXPECT_EQ(ctx.artifacts().at("valid_file").at("path"), (base / "out/v.jsonl").string());
}

TEST(RandomSplit, AnUnwritableOutputIsAnIoErrorAndCleansUp) {
  StageHarness h{RandomSplit::info(), R"({"valid_count": 1, "train_path": "/proc/ajuste-no/train.jsonl"})"};
  const auto out = h.run(numbered(3));
  EXPECT_EQ(out.status.code(), StatusCode::kIoError);
  EXPECT_THAT(out.status.message(), HasSubstr("cannot create the training file '/proc/ajuste-no/train.jsonl.partial'"));
  EXPECT_TRUE(filesIn(h.context().runDir()).empty());
}

TEST(RandomSplit, RejectsARecordThatCannotBeWrittenAsJson) {
  StageHarness h{RandomSplit::info(), R"({"valid_count": 1})"};
  std::vector<Record> records = StageHarness::parseJsonl(numbered(3));
  records[1].value["t"] = std::string("caf\xE9");  // made by a source that did not check UTF-8
  const auto out = h.run(std::move(records));
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "invalid_utf8");
  EXPECT_EQ(out.rejects[0].origin.line, 2u);
  EXPECT_THAT(out.rejects[0].reason, HasSubstr("cannot be written as JSON: "));
  EXPECT_EQ(out.kept.size(), 2u);
}

TEST(RandomSplit, BadOptionsAreRefused) {
  const auto refused = [](const char* options) {
    EXPECT_THROW(StageHarness(RandomSplit::info(), options), std::invalid_argument) << options;
  };
  refused("{}");
  refused(R"({"valid_ratio": 0.1, "valid_count": 5})");
  refused(R"({"valid_ratio": 0})");
  refused(R"({"valid_ratio": 1})");
  refused(R"({"valid_ratio": 1.5})");
  refused(R"({"valid_ratio": "10%"})");
  refused(R"({"valid_count": 0})");
  refused(R"({"valid_count": 2.5})");
  refused(R"({"valid_ratio": 0.1, "seed": -1})");
  refused(R"({"valid_ratio": 0.1, "ratio": 0.1})");
  refused(R"({"valid_ratio": 0.1, "train_path": "same.jsonl", "valid_path": "same.jsonl"})");
  EXPECT_NO_THROW(StageHarness(RandomSplit::info(), R"({"valid_count": 5, "seed": 0})"));
}

TEST(RandomSplit, FactoryExplainsBothOrNeitherSplitSize) {
  testing::RecordingContext ctx("split/random");
  auto both = RandomSplit::info().make(nlohmann::json{{"valid_ratio", 0.1}, {"valid_count", 5}}, ctx);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code(), StatusCode::kConfigError);
  EXPECT_EQ(both.error().pointer(), "/valid_count");
  EXPECT_EQ(both.error().message(), "give valid_ratio or valid_count, not both");
  auto same = RandomSplit::info().make(
      nlohmann::json{{"valid_ratio", 0.1}, {"train_path", "a.jsonl"}, {"valid_path", "./a.jsonl"}}, ctx);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().pointer(), "/valid_path");
}

TEST(RandomSplit, DescribesItself) {
  const StageInfo& info = RandomSplit::info();
  EXPECT_EQ(info.name, "split/random");
  EXPECT_EQ(info.kind, StageKind::kSink);
  EXPECT_THAT(info.produces, ElementsAre("train_file", "valid_file"));
  const auto schema = nlohmann::json::parse(info.options_schema);
  for (const auto& [name, property] : schema.at("properties").items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
  const auto checked = testing::checkOptions(info, nlohmann::json{{"valid_ratio", 0.1}});
  ASSERT_TRUE(checked.ok()) << checked.error().message();
  EXPECT_EQ(checked->at("seed"), 42);
}

}  // namespace
}  // namespace ajuste::split_random
