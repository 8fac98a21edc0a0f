// The emulator's own check of uploaded training files, alone and through the API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jsonl_check.hpp"
#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

std::string withLine(std::size_t at, const std::string& line, std::size_t total = 12) {
  std::string out;
  const std::string good = reviewsJsonl(1);
  for (std::size_t i = 1; i <= total; ++i) out += i == at ? line + "\n" : good;
  return out;
}

TEST(JsonlCheck, AcceptsAGoodChatFileAndCountsIt) {
  const std::string data = reviewsJsonl(12);
  const FileCheck check = checkFineTuneFile(data);
  EXPECT_TRUE(check.ok) << check.message;
  EXPECT_EQ(check.format, DataFormat::kChat);
  EXPECT_EQ(check.examples, 12U);
  EXPECT_GT(check.tokens, 12U);
}

TEST(JsonlCheck, NamesLineMessageAndKeyOfABadRole) {
  const std::string bad =
      R"({"messages":[{"role":"user","content":"hi"},{"role":"bot","content":"Rating: 5 stars"}]})";
  const FileCheck check = checkFineTuneFile(withLine(12, bad));
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.code, "invalid_file_format");
  EXPECT_EQ(check.line, 12U);
  EXPECT_EQ(check.message,
            "Invalid file format. Line 12, message 2, key role: \"bot\" is not one of system, developer, user, "
            "assistant, tool, function");
}

TEST(JsonlCheck, ReportsEachKindOfProblemWithItsLine) {
  struct Case {
    std::string line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"messages": [)", "Invalid file format. Line 3: is not valid JSON"},
      {R"([1, 2])", "Invalid file format. Line 3: each line must be a JSON object, got array"},
      {R"({"text": "hello"})", "Invalid file format. Line 3: unrecognized example"},
      {R"({"messages": []})", "Invalid file format. Line 3, key messages: must contain at least one message"},
      {R"({"messages": [{"role": "user", "content": "hi"}]})", "Invalid file format. Line 3: no assistant message to train on"},
      {R"({"messages": [{"role": "user"}, {"role": "assistant", "content": "x"}]})",
       "Invalid file format. Line 3, message 1, key content: is required"},
      {R"({"messages": [{"role": "user", "content": 4}, {"role": "assistant", "content": "x"}]})",
       "Invalid file format. Line 3, message 1, key content: must be a string or a list of content parts, got number"},
      {R"({"messages": [{"role": "user", "content": "a", "weight": 1}, {"role": "assistant", "content": "x"}]})",
       "Invalid file format. Line 3, message 1, key weight: is only allowed on assistant messages"},
      {R"({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x", "weight": 2}]})",
       "Invalid file format. Line 3, message 2, key weight: must be 0 or 1, got 2"},
      {R"({"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x", "mood": "ok"}]})",
       "Invalid file format. Line 3, message 2, key mood: unrecognized key"},
      {R"({"prompt": "a", "completion": "b"})", "Invalid file format. Line 3: is a prompt-completion example, but line 1 is a chat example"},
      {"{\"messages\": [{\"role\": \"user\", \"content\": \"caf\xE9\"}]}",
       "Invalid file encoding. Line 3: not valid UTF-8 (byte 0xE9 at column 47)"},
  };
  for (const auto& c : cases) {
    const FileCheck check = checkFineTuneFile(withLine(3, c.line));
    EXPECT_FALSE(check.ok) << c.line;
    EXPECT_EQ(check.line, 3U) << c.line;
    EXPECT_THAT(check.message, HasSubstr(c.message)) << c.line;
  }
}

TEST(JsonlCheck, NeedsTenExamples) {
  const FileCheck check = checkFineTuneFile(reviewsJsonl(9));
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.code, "invalid_n_examples");
  EXPECT_EQ(check.message, "Training file has 9 example(s), but must have at least 10 examples");
}

TEST(JsonlCheck, AcceptsBomCrlfBlankLinesPreferenceAndLegacy) {
  std::string crlf = reviewsJsonl(10);
  for (std::size_t at = crlf.find('\n'); at != std::string::npos; at = crlf.find('\n', at + 2)) crlf.insert(at, "\r");
  EXPECT_TRUE(checkFineTuneFile("\xEF\xBB\xBF" + crlf + "\n\n").ok);
  const FileCheck preference = checkFineTuneFile(preferenceJsonl(10));
  EXPECT_TRUE(preference.ok) << preference.message;
  EXPECT_EQ(preference.format, DataFormat::kPreference);
  std::string legacy;
  for (int i = 0; i < 10; ++i) legacy += R"({"prompt": "Review: good ->", "completion": " 5"})" "\n";
  EXPECT_EQ(checkFineTuneFile(legacy).format, DataFormat::kCompletion);
}

TEST(JsonlCheck, ChecksPreferenceOutputs) {
  std::string data = preferenceJsonl(11);
  data += R"({"input": {"messages": [{"role": "user", "content": "x"}]}, "preferred_output": [{"role": "user", "content": "y"}], "non_preferred_output": [{"role": "assistant", "content": "z"}]})"
          "\n";
  const FileCheck check = checkFineTuneFile(data);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.message, "Invalid file format. Line 12, preferred_output message 1, key role: must be assistant");
}

TEST(JsonlCheck, ThroughTheApiTheFileTurnsErrorAndTheJobFailsWithTheLine) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string bad =
      R"({"messages":[{"role":"user","content":"hi"},{"role":"bot","content":"Rating: 5 stars"}]})";
  const Response uploaded = api.uploadFile("bad.jsonl", withLine(12, bad));
  ASSERT_EQ(uploaded.status, 200);
  advance(emulator, 60);
  const json file = api.get("/files/" + uploaded.body["id"].get<std::string>()).body;
  EXPECT_EQ(file["status"], "error");
  EXPECT_THAT(file["status_details"].get<std::string>(), HasSubstr("Line 12, message 2, key role"));

  // Like OpenAI, the job is accepted and fails while validating files.
  const Response created = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file["id"]}});
  ASSERT_EQ(created.status, 200) << created.text;
  const json job = runJobToEnd(emulator, api, created.body["id"]);
  EXPECT_EQ(job["status"], "failed");
  EXPECT_EQ(job["error"]["code"], "invalid_training_file");
  EXPECT_EQ(job["error"]["param"], "training_file");
  EXPECT_EQ(job["error"]["message"],
            "The job failed due to an invalid training file. Invalid file format. Line 12, message 2, key role: \"bot\" "
            "is not one of system, developer, user, assistant, tool, function");
  const json events = api.get("/fine_tuning/jobs/" + job["id"].get<std::string>() + "/events").body;
  EXPECT_EQ(events["data"][0]["level"], "error");
  EXPECT_EQ(events["data"][0]["message"], job["error"]["message"]);
  EXPECT_EQ(api.get("/fine_tuning/jobs/" + job["id"].get<std::string>() + "/checkpoints").body["data"].size(), 0U);
  EXPECT_EQ(emulator.world().counters()["jobs_failed"], 1);
}

}  // namespace
}  // namespace ajuste::emulator::testing
