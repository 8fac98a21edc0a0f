#include "jsonl_writer.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <ajuste/testing/stage_harness.hpp>
#include <gtest/gtest.h>

namespace ajuste::write_jsonl {
namespace {

using testing::StageHarness;

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(JsonlWriter, WritesEveryRecordInOrderAndDeclaresTheOutput) {
  const auto dir = std::filesystem::temp_directory_path() / ("write-jsonl-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "out" / "prepared.jsonl";
  StageHarness harness{JsonlWriter::info(), nlohmann::json{{"path", path.string()}}.dump()};
  harness.setBatchSize(2);
  const auto out = harness.run("{\"b\":1,\"a\":\"é\"}\n{\"n\":2}\n{\"n\":3}\n");
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  EXPECT_EQ(readFile(path), "{\"a\":\"é\",\"b\":1}\n{\"n\":2}\n{\"n\":3}\n");
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".partial"));
  ASSERT_EQ(harness.context().outputs().size(), 1u);
  EXPECT_EQ(harness.context().outputs()[0].records, 3u);
  EXPECT_EQ(harness.context().artifacts().at("output_file")["records"], 3);
  std::filesystem::remove_all(dir);
}

TEST(JsonlWriter, WritesRecordsHeldAsTextAsTheyWereRead) {
  const auto dir = std::filesystem::temp_directory_path() / ("write-jsonl-text-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "prepared.jsonl";
  StageHarness harness{JsonlWriter::info(), nlohmann::json{{"path", path.string()}}.dump()};
  const std::string jsonl = "{\"b\": 1, \"a\": \"\\u00e9\"}\n{ \"n\" : 2.50 }\n";
  const auto out = harness.runText(jsonl);
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  EXPECT_EQ(readFile(path), jsonl);
  std::filesystem::remove_all(dir);
}

TEST(JsonlWriter, WithoutAPathItOnlyCounts) {
  StageHarness harness{JsonlWriter::info(), "{}"};
  const auto out = harness.run("{\"n\":1}\n{\"n\":2}\n");
  ASSERT_TRUE(out.status.isOk());
  EXPECT_EQ(out.kept.size(), 2u);
  EXPECT_TRUE(harness.context().outputs().empty());
  EXPECT_EQ(harness.context().artifacts().at("output_file"), nlohmann::json({{"records", 2}}));
}

TEST(JsonlWriter, RefusesUnknownOptions) {
  EXPECT_THROW((StageHarness{JsonlWriter::info(), R"({"paht": "x.jsonl"})"}), std::invalid_argument);
}

}  // namespace
}  // namespace ajuste::write_jsonl
