#include "json_source.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"
#include "compress.hpp"
#include "source_harness.hpp"

namespace ajuste::ingest_file {
namespace {

using ::testing::HasSubstr;
using ajuste::testing::StageHarness;
using nlohmann::json;

class JsonSourceTest : public ingest::testing::SourceTest<JsonSource> {};

TEST_F(JsonSourceTest, ElementsBecomeRecordsWithProvenance) {
  const auto path = write("a.json", "[\n  {\"a\": 1},\n  {\"b\": \"x\"}\n]\n");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value, json({{"a", 1}}));
  EXPECT_EQ(out.kept[1].value, json({{"b", "x"}}));
  EXPECT_EQ(out.kept[1].origin.source, path);
  EXPECT_EQ(out.kept[1].origin.line, 3u);
  EXPECT_EQ(out.kept[1].origin.index, 1u);
  EXPECT_EQ(out.kept[1].origin.byte_offset, 16u);
  EXPECT_TRUE(out.kept[1].raw.empty());
  EXPECT_TRUE(out.kept[1].meta.is_null()) << "decode leaves no trace in meta";
}

TEST_F(JsonSourceTest, BadElementsAreRejectsNamingTheFilesLineAndColumn) {
  const auto path = write("a.json",
                          "[{\"ok\": 1},\n {\"a\": 1,\n  \"b\": }, [1, 2], {\"t\": \"caf\xE9\"},, {\"ok\": 2}]");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.kept.size(), 2u);
  // Within a batch, rejects found while framing (read) come before those found by decode.
  std::vector<Reject> rejects = out.rejects;
  std::sort(rejects.begin(), rejects.end(),
            [](const Reject& a, const Reject& b) { return a.origin.index < b.origin.index; });
  ASSERT_EQ(rejects.size(), 4u);
  EXPECT_EQ(rejects[0].kind, "invalid_json");
  EXPECT_EQ(rejects[0].origin.line, 2u);
  EXPECT_THAT(rejects[0].reason, HasSubstr("invalid JSON at line 3, column 8: syntax error while parsing value"));
  EXPECT_EQ(rejects[0].raw, "{\"a\": 1,\n  \"b\": }");
  EXPECT_EQ(rejects[1].kind, "not_object");
  EXPECT_EQ(rejects[1].reason, "the element is an array, expected an object; ingest/json reads an array of "
                                   "objects, [{\"prompt\": ...}, {...}]");
  EXPECT_EQ(rejects[2].kind, "invalid_utf8");
  EXPECT_THAT(rejects[2].reason, HasSubstr("invalid UTF-8 at line 3, column 29 (byte offset 50)"));
  EXPECT_EQ(rejects[3].kind, "empty_element");
  std::vector<std::uint64_t> indexes;
  for (const auto& r : rejects) indexes.push_back(r.origin.index);
  EXPECT_EQ(indexes, (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(out.kept[1].origin.index, 5u);
}

TEST_F(JsonSourceTest, AlpacaFileWithBomAndGzip) {
  const std::string alpaca =
      "\xEF\xBB\xBF[{\"instruction\": \"Translate\", \"input\": \"Good night\", \"output\": \"Boa noite\"},"
      " {\"instruction\": \"Say hi\", \"input\": \"\", \"output\": \"Hi\"}]";
  const auto path = write("alpaca.json.gz", ingest::testing::gzipped(alpaca));
  const auto out = run({{"path", path}, {"mapping", {{"preset", "alpaca"}, {"system", "Helpful."}}}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value["messages"][1]["content"], "Translate\n\nGood night");
  EXPECT_EQ(out.kept[1].value["messages"][1]["content"], "Say hi");
  EXPECT_EQ(out.kept[1].value["messages"][0], json({{"role", "system"}, {"content", "Helpful."}}));
}

TEST_F(JsonSourceTest, ShareGptFileCompressedWithZstd) {
  const json document = json::array(
      {{{"conversations", {{{"from", "human"}, {"value", "Oi"}}, {{"from", "gpt"}, {"value", "Olá!"}}}}},
       {{"conversations", {{{"from", "human"}, {"value", "x"}}, {{"from", "robot"}, {"value", "y"}}}}}});
  const auto path = write("chats.json.zst", ingest::testing::zstded(document.dump(2)));
  const auto out = run({{"path", path}, {"mapping", {{"preset", "sharegpt"}}}});
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value["messages"][1], json({{"role", "assistant"}, {"content", "Olá!"}}));
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "unknown_role");
  EXPECT_EQ(out.rejects[0].origin.index, 1u);
}

TEST_F(JsonSourceTest, PromptCompletionRecordsToChatOrKeptLegacy) {
  const auto path = write("pc.json", R"([{"prompt": "Q", "completion": "A"}])");
  auto out = run({{"path", path}, {"mapping", {{"preset", "prompt_completion"}}}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json::parse(R"({"messages": [{"role": "user", "content": "Q"},
                                                             {"role": "assistant", "content": "A"}]})"));
  out = run({{"path", path}, {"mapping", {{"preset", "prompt_completion"}, {"output", "prompt_completion"}}}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value, json({{"prompt", "Q"}, {"completion", "A"}}));
}

TEST_F(JsonSourceTest, TemplatesReachIntoNestedValues) {
  const auto path = write("n.json", R"([{"review": {"text": "Nice"}, "rating": {"stars": 1}}])");
  const auto out = run({{"path", path},
                        {"mapping", {{"user", "{review.text}"}, {"assistant", "{rating.stars} {rating.stars|star|stars}"}}}});
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value["messages"][1]["content"], "1 star");
}

TEST_F(JsonSourceTest, AMappingThatDoesNotFitIsAConfigErrorNamingTheKeysFound) {
  const auto path = write("a.json", R"([{"instruction": "x", "response": "y"}, {"instruction": "z", "response": "w"}])");
  const Status status = refusal({{"path", path}, {"mapping", {{"preset", "alpaca"}}}});
  EXPECT_EQ(status.code(), StatusCode::kConfigError);
  EXPECT_EQ(status.pointer(), "/mapping/preset");
  EXPECT_EQ(status.message(), "none of the first 2 records of '" + path +
                                  "' has the key 'output' (needed by preset alpaca); keys found: 'instruction', "
                                  "'response'");
}

TEST_F(JsonSourceTest, ADocumentThatIsNotAnArrayIsAConfigErrorBeforeTheRun) {
  const auto path = write("o.json", R"({"data": [{"a": 1}]})");
  const Status status = refusal({{"path", path}});
  EXPECT_EQ(status.pointer(), "/path");
  EXPECT_THAT(status.message(), HasSubstr("the document is not a JSON array: it starts with '{' at line 1, column 1"));
}

TEST_F(JsonSourceTest, ACutOffFileKeepsItsCompleteElementsAndWarns) {
  const auto path = write("cut.json", "[{\"a\": 1}, {\"b\": 2}, {\"c\": ");
  const auto out = run({{"path", path}});
  ASSERT_TRUE(out.status.isOk());
  EXPECT_EQ(out.kept.size(), 2u);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "truncated");
  EXPECT_EQ(context().counter("unterminated_arrays"), 1);
}

TEST_F(JsonSourceTest, ADirectoryIsReadInOrder) {
  write("d/2.json", R"([{"n": 3}])");
  write("d/1.json", R"([{"n": 1}, {"n": 2}])");
  write("d/skip.csv", "n\n9\n");
  const auto out = run({{"path", (dir_.path() / "d").string()}}, 1);
  ASSERT_EQ(out.kept.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out.kept[static_cast<std::size_t>(i)].value["n"], i + 1);
}

}  // namespace
}  // namespace ajuste::ingest_file
