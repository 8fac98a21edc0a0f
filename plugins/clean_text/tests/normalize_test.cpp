#include "normalize_stage.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"

#include "normalize_text.hpp"

namespace ajuste::clean_text {
namespace {

using ::testing::HasSubstr;
using testing::StageHarness;

std::string normalized(std::string text, const NormalizeOptions& options = {}) {
  normalizeText(text, options);
  return text;
}

TEST(NormalizeText, ComposesNfc) {
  // "e" + COMBINING ACUTE ACCENT becomes "é" (U+00E9).
  std::string text = "caf\x65\xCC\x81";
  const NormalizeEffects effects = normalizeText(text, {});
  EXPECT_EQ(text, "caf\xC3\xA9");
  EXPECT_TRUE(effects.nfc_changed);
}

TEST(NormalizeText, RemovesControlsButKeepsNewlinesAndTabs) {
  std::string text = "a\x01" "b\tc\r\nd\re\x7F\xC2\x85" "f";
  const NormalizeEffects effects = normalizeText(text, {.collapse_spaces = false});
  EXPECT_EQ(text, "ab\tc\nd\nef");
  EXPECT_EQ(effects.controls_removed, 5u);  // \x01, \r (of \r\n), \r, DEL, U+0085
}

TEST(NormalizeText, TabsBecomeSpacesWhenNotKept) {
  EXPECT_EQ(normalized("a\tb", {.keep_tabs = false}), "a b");
}

TEST(NormalizeText, TidiesWhitespaceButKeepsIndentation) {
  EXPECT_EQ(normalized("  \n  hello    world  \n\n\n\n    indented  line\n\n"), "hello world\n\n    indented line");
}

TEST(NormalizeText, BlankLineLimitIsConfigurable) {
  EXPECT_EQ(normalized("a\n\n\n\nb", {.max_blank_lines = 0}), "a\nb");
  EXPECT_EQ(normalized("a\n\n\n\nb", {.max_blank_lines = -1}), "a\n\n\n\nb");
}

TEST(NormalizeText, IsIdempotent) {
  for (std::string text : {std::string("x \x07\xCC\x81 y\r\n\r\n\r\n z  "), std::string("e\x07\xCC\x81")}) {
    const std::string once = normalized(text);
    EXPECT_EQ(normalized(once), once);
  }
}

TEST(NormalizeText, InvalidUtf8DoesNotCrashAndIsPassedOn) {
  std::string text = "ok \xFF\xC3 caf\x65\xCC\x81";
  const NormalizeEffects effects = normalizeText(text, {});
  EXPECT_TRUE(effects.invalid_utf8);
  EXPECT_EQ(text, "ok \xFF\xC3 caf\x65\xCC\x81");
}

TEST(NormalizeStage, CleansEveryMessageAndCounts) {
  StageHarness h{NormalizeStage::info(), "{}"};
  const auto out = h.run(
      R"({"messages":[{"role":"user","content":"  Hello\u0000   there "},{"role":"assistant","content":"caf\u0065\u0301"}]})"
      "\n");
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value["messages"][0]["content"], "Hello there");
  EXPECT_EQ(out.kept[0].value["messages"][1]["content"], "caf\xC3\xA9");
  EXPECT_EQ(h.context().counter("nfc_changed"), 1);
  EXPECT_EQ(h.context().counter("controls_removed"), 1);
  EXPECT_EQ(h.context().counter("whitespace_tidied"), 1);
  EXPECT_EQ(h.context().counter("records_changed"), 1);
}

// A record in no format the stage knows is kept as it is (format checks are validate's), but
// counted: without a validate stage it would otherwise reach the outputs unnoticed.
TEST(NormalizeStage, CountsRecordsWithoutTextItKnows) {
  StageHarness h{NormalizeStage::info(), "{}"};
  const auto out = h.run(R"({"msgs":[{"role":"user","content":"  hi  "}]})" "\n"
                         R"({"messages":[{"role":"assistant","content":null,"tool_calls":[]}]})" "\n"
                         R"({"prompt":"a","completion":"b"})" "\n");
  ASSERT_TRUE(out.status.isOk());
  ASSERT_EQ(out.kept.size(), 3u);
  EXPECT_EQ(out.kept[0].value["msgs"][0]["content"], "  hi  ");
  EXPECT_EQ(h.context().counter("records_without_text"), 1);
}

TEST(NormalizeStage, DropsEmptyMessages) {
  StageHarness h{NormalizeStage::info(), "{}"};
  const auto out = h.run(
      R"({"messages":[{"role":"system","content":" \u0007 "},{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]})"
      "\n");
  ASSERT_EQ(out.kept.size(), 1u);
  EXPECT_EQ(out.kept[0].value["messages"].size(), 2u);
  EXPECT_EQ(out.kept[0].value["messages"][0]["role"], "user");
  EXPECT_EQ(h.context().counter("empty_messages_dropped"), 1);
}

TEST(NormalizeStage, RejectsWhenTheLastAssistantMessageIsEmptied) {
  StageHarness h{NormalizeStage::info(), "{}"};
  const auto out = h.run(R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"\t \n"}]})" "\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "no_message_left");
  EXPECT_EQ(out.rejects[0].reason,
            "messages has no assistant message left after dropping empty messages (first dropped: messages[1])");
  EXPECT_EQ(out.rejects[0].origin.line, 1u);
}

TEST(NormalizeStage, EmptyRejectOption) {
  StageHarness h{NormalizeStage::info(), R"({"empty": "reject"})"};
  const auto out = h.run(
      R"({"messages":[{"role":"system","content":"  "},{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]})"
      "\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "empty_message");
  EXPECT_EQ(out.rejects[0].reason, "messages[0].content (system) is empty after cleaning");
}

TEST(NormalizeStage, LegacyAndPreferenceExamples) {
  StageHarness h{NormalizeStage::info(), "{}"};
  const auto out = h.run(
      R"({"prompt":"  a  b ","completion":" c "})" "\n"
      R"({"prompt":"x","completion":"  "})" "\n"
      R"({"input":{"messages":[{"role":"user","content":" q  q "}]},"preferred_output":[{"role":"assistant","content":" good "}],"non_preferred_output":[{"role":"assistant","content":"bad  "}]})"
      "\n");
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value["prompt"], "a b");
  EXPECT_EQ(out.kept[0].value["completion"], "c");
  EXPECT_EQ(out.kept[1].value["input"]["messages"][0]["content"], "q q");
  EXPECT_EQ(out.kept[1].value["preferred_output"][0]["content"], "good");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "completion is empty after cleaning");
}

// Records as ingest/jsonl hands them on (held as text) are cleaned exactly as values are: the
// same examples, rejects, reasons and counters; the text keeps everything the stage did not
// change as it was written, and is the whole record (no value built) unless a message was dropped.
TEST(NormalizeStage, RecordsHeldAsTextAreCleanedAsValuesAre) {
  const std::string jsonl =
      R"({"messages":[{"role":"user","content":"caf\u0065\u0301  ok"},{"role":"assistant","content":"fine \t\u0007 "}], "n": 1.50})" "\n"
      R"({ "messages" : [ {"content": "already clean", "role": "user"}, {"role":"assistant","content":"yes"} ] })" "\n"
      R"({"messages":[{"role":"user","content":[{"type":"text","text":"  part  "},{"type":"image_url","image_url":{"url":"u"}}]},{"role":"assistant","content":"a"}]})" "\n"
      R"({"messages":[{"role":"system","content":"  "},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})" "\n"
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":" \u0000 "}]})" "\n"
      R"({"completion":"  answer ","prompt":"question  \r\n"})" "\n"
      R"({"prompt":"  ","completion":"x"})" "\n"
      R"({"input":{"messages":[{"role":"user","content":"in  put"}]},"preferred_output":[{"role":"assistant","content":"good "}],"non_preferred_output":[{"role":"assistant","content":" bad"}]})" "\n"
      R"({"messages":[{"role":"user","content":"dup"},{"role":"assistant","content":"first","content":"last  wins"}]})" "\n"
      R"({"no_text":true})" "\n";
  for (const char* options : {"{}", R"({"empty": "reject"})", R"({"collapse_spaces": false, "nfc": false})"}) {
    StageHarness as_values{NormalizeStage::info(), options};
    StageHarness as_text{NormalizeStage::info(), options};
    as_values.setBatchSize(3);
    as_text.setBatchSize(3);
    const auto want = as_values.run(jsonl);
    const auto got = as_text.runText(jsonl);
    ASSERT_TRUE(got.status.isOk()) << got.status.toString();
    ASSERT_EQ(got.kept.size(), want.kept.size()) << options;
    for (std::size_t i = 0; i < got.kept.size(); ++i) {
      const Record& record = got.kept[i];
      const nlohmann::json value = isTextOnly(record) ? nlohmann::json::parse(record.text) : record.value;
      EXPECT_EQ(value, want.kept[i].value) << options << " record " << i;
      EXPECT_EQ(isTextOnly(record), !record.text.empty());
    }
    ASSERT_EQ(got.rejects.size(), want.rejects.size()) << options;
    for (std::size_t i = 0; i < got.rejects.size(); ++i) {
      EXPECT_EQ(got.rejects[i].origin.line, want.rejects[i].origin.line);
      EXPECT_EQ(got.rejects[i].kind, want.rejects[i].kind);
      EXPECT_EQ(got.rejects[i].reason, want.rejects[i].reason);
    }
    for (const char* counter : {"nfc_changed", "controls_removed", "whitespace_tidied", "empty_messages_dropped",
                                "records_changed", "records_without_text"}) {
      EXPECT_EQ(as_text.context().counter(counter), as_values.context().counter(counter)) << options << " " << counter;
    }
  }
  // What the stage did not change stays as written: key order, spacing, escapes, numbers.
  StageHarness h{NormalizeStage::info(), "{}"};
  const auto out = h.runText(jsonl);
  ASSERT_FALSE(out.kept.empty());
  EXPECT_EQ(out.kept[0].text, R"({"messages":[{"role":"user","content":"café ok"},{"role":"assistant","content":"fine"}], "n": 1.50})");
  EXPECT_EQ(out.kept[1].text, R"({ "messages" : [ {"content": "already clean", "role": "user"}, {"role":"assistant","content":"yes"} ] })");
}

TEST(NormalizeStage, UnknownOptionIsRefused) {
  EXPECT_THROW((StageHarness{NormalizeStage::info(), R"({"empty": "ignore"})"}), std::invalid_argument);
}

}  // namespace
}  // namespace ajuste::clean_text
