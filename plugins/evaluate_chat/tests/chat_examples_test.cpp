#include "chat_examples.hpp"

#include <gtest/gtest.h>

#include "test_files.hpp"

namespace ajuste::evaluate_chat {
namespace {

using nlohmann::json;
using provider::testing::TempFiles;

std::string line(const std::string& user, const std::string& answer) {
  return json{{"messages",
               {{{"role", "system"}, {"content", "Rate it."}},
                {{"role", "user"}, {"content", user}},
                {{"role", "assistant"}, {"content", answer}}}}}
             .dump() +
         "\n";
}

TEST(ReadHeldOut, StripsTheFinalAssistantMessageAsTheExpectedAnswer) {
  TempFiles files;
  const auto path = files.write("valid.jsonl", line("great", "5") + "\n" +
                                                   R"({"messages":[{"role":"user","content":"no answer"}]})" "\n" +
                                                   line("bad", "1"));
  const auto set = readHeldOut(path, std::nullopt);
  ASSERT_TRUE(set.ok()) << set.error().toString();
  ASSERT_EQ(set->examples.size(), 2U);
  EXPECT_EQ(set->skipped, 1U);
  EXPECT_EQ(set->examples[0].index, 0U);
  EXPECT_EQ(set->examples[0].expected, "5");
  EXPECT_EQ(set->examples[0].messages,
            json::parse(R"([{"role":"system","content":"Rate it."},{"role":"user","content":"great"}])"));
  EXPECT_EQ(set->examples[1].index, 2U);  // the file's third non-empty line
  EXPECT_EQ(set->examples[1].expected, "1");
}

TEST(ReadHeldOut, StopsAtMaxExamples) {
  TempFiles files;
  const auto path = files.write("valid.jsonl", line("a", "1") + line("b", "2") + line("c", "3"));
  const auto set = readHeldOut(path, 2);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->examples.size(), 2U);
  EXPECT_EQ(set->examples[1].expected, "2");
}

TEST(ReadHeldOut, NamesAFileThatCannotBeRead) {
  const auto set = readHeldOut("/nonexistent/valid.jsonl", std::nullopt);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().message(), "cannot read /nonexistent/valid.jsonl");
}

TEST(DrawFewShot, TheSameSeedDrawsTheSamePairsInFileOrder) {
  TempFiles files;
  std::string text;
  for (int i = 0; i < 40; ++i) text += line("q" + std::to_string(i), "a" + std::to_string(i));
  const auto path = files.write("train.jsonl", text);
  const auto first = drawFewShot(path, 3, 7);
  const auto again = drawFewShot(path, 3, 7);
  const auto other = drawFewShot(path, 3, 8);
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  ASSERT_EQ(first->size(), 3U);
  std::vector<std::string> users;
  for (const auto& pair : *first) {
    users.push_back(pair.user);
    EXPECT_EQ("a" + pair.user.substr(1), pair.assistant);
  }
  std::vector<std::string> again_users;
  for (const auto& pair : *again) again_users.push_back(pair.user);
  std::vector<std::string> other_users;
  for (const auto& pair : *other) other_users.push_back(pair.user);
  EXPECT_EQ(users, again_users);
  EXPECT_NE(users, other_users);
  EXPECT_TRUE(std::is_sorted(users.begin(), users.end(), [](const std::string& a, const std::string& b) {
    return std::stoi(a.substr(1)) < std::stoi(b.substr(1));
  }));
}

TEST(DrawFewShot, TakesEverythingFromASmallFile) {
  TempFiles files;
  const auto path = files.write("train.jsonl", line("q0", "a0") + line("q1", "a1"));
  const auto pairs = drawFewShot(path, 5, 0);
  ASSERT_TRUE(pairs.ok());
  ASSERT_EQ(pairs->size(), 2U);
  EXPECT_EQ((*pairs)[0].user, "q0");
  EXPECT_EQ((*pairs)[1].assistant, "a1");
}

TEST(BasePromptMessages, InstructionsThenPairsThenTheConversationWithoutItsSystemMessage) {
  const json conversation = json::parse(R"([{"role":"system","content":"Rate it."},{"role":"user","content":"great"}])");
  const json messages = basePromptMessages("Answer 1-5.", {{.user = "q", .assistant = "a"}}, conversation);
  EXPECT_EQ(messages, json::parse(R"([{"role":"system","content":"Answer 1-5."},{"role":"user","content":"q"},
                                      {"role":"assistant","content":"a"},{"role":"user","content":"great"}])"));
  EXPECT_EQ(basePromptMessages("", {}, conversation), conversation);
}

}  // namespace
}  // namespace ajuste::evaluate_chat
