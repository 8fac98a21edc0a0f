#include "chat_validator.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::validate_chat {
namespace {

using testing::StageHarness;

struct Case {
  const char* line;
  const char* kind;
  const char* reason;
};

// One example per reject kind (and per distinct reason), with the exact reason users read.
const Case kCases[] = {
    {R"([{"role":"user"}])", "not_object", R"(record is an array ([{"role":"user"}]), expected an object with "messages")"},
    {R"({"prompt":"hi","completion":"yo"})", "missing_messages",
     R"(messages is missing; a chat example is {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]} (this looks like a legacy prompt/completion example: turn it into messages))"},
    {R"({"msgs":[]})", "missing_messages",
     R"(messages is missing; a chat example is {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]} (found keys: msgs))"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"label":4})", "extra_keys",
     R"(unknown top-level key "label"; allowed keys are messages, tools, functions, parallel_tool_calls)"},
    {R"({"messages":"hello"})", "messages_not_array", R"(messages is a string ("hello"), expected an array of messages)"},
    {R"({"messages":[]})", "empty_messages", "messages is an empty array; add at least a user and an assistant message"},
    {R"({"messages":[{"role":"user","content":"a"},"assistant: b"]})", "message_not_object",
     R"(messages[1] is a string ("assistant: b"), expected an object with role and content)"},
    {R"({"messages":[{"content":"a"}]})", "missing_role",
     "messages[0].role is missing, expected one of system, user, assistant, tool"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"bot","content":"c"}]})",
     "unknown_role", R"(messages[2].role "bot" is not one of system, user, assistant, tool)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"Assistant","content":"c"}]})", "unknown_role",
     R"(messages[1].role "Assistant" is not one of system, user, assistant, tool (roles are lowercase: "assistant"))"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"function","content":"c"}]})", "unknown_role",
     R"(messages[1].role "function" is not one of system, user, assistant, tool (the deprecated "function" role is not accepted: use "tool"))"},
    {R"({"messages":[{"role":7,"content":"a"}]})", "unknown_role",
     "messages[0].role is a number (7), expected one of system, user, assistant, tool"},
    {R"({"messages":[{"role":"user","content":"a","sentiment":"pos"},{"role":"assistant","content":"b"}]})",
     "extra_keys",
     R"(messages[0] has unknown key "sentiment"; allowed keys are role, content, name, weight, tool_calls, tool_call_id, function_call, refusal)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""}]})", "empty_content",
     "messages[1].content is an empty string, expected the assistant's text"},
    {R"({"messages":[{"role":"user","content":[]},{"role":"assistant","content":"b"}]})", "empty_content",
     "messages[0].content is an empty array, expected text or at least one content part"},
    {R"({"messages":[{"role":"user"},{"role":"assistant","content":"b"}]})", "missing_content",
     "messages[0].content is missing; only an assistant message with tool_calls or function_call may leave it out"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":null}]})", "missing_content",
     "messages[1].content is null; only an assistant message with tool_calls or function_call may leave it out"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":42}]})", "non_string_content",
     "messages[1].content is a number (42), expected a string"},
    {R"({"messages":[{"role":"user","content":{"text":"hi"}},{"role":"assistant","content":"b"}]})",
     "non_string_content", R"(messages[0].content is an object ({"text":"hi"}), expected a string)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":["a","b"]}]})", "non_string_content",
     R"(messages[1].content is an array (["a","b"]), expected a string (content parts are accepted on user messages only))"},
    {R"({"messages":[{"role":"user","content":["a"]},{"role":"assistant","content":"b"}]})", "non_string_content",
     R"(messages[0].content[0] is a string ("a"), expected a content part {"type": "text", "text": "..."} or {"type": "image_url", "image_url": {"url": "..."}})"},
    {R"({"messages":[{"role":"user","content":[{"type":"audio"}]},{"role":"assistant","content":"b"}]})",
     "non_string_content", R"(messages[0].content[0].type is a string ("audio"), expected "text" or "image_url")"},
    {R"({"messages":[{"role":"user","content":[{"type":"text","text":1}]},{"role":"assistant","content":"b"}]})",
     "non_string_content", "messages[0].content[0].text is a number (1), expected a string"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":0.5}]})",
     "invalid_weight", "messages[1].weight is a number (0.5), expected 0 or 1"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":true}]})",
     "invalid_weight", "messages[1].weight is a boolean (true), expected 0 or 1"},
    {R"({"messages":[{"role":"user","content":"a","name":"John Smith"},{"role":"assistant","content":"b"}]})",
     "invalid_name",
     R"(messages[0].name "John Smith" does not match ^[a-zA-Z0-9_-]{1,64}$ (1 to 64 letters, digits, _ or -))"},
    {R"({"messages":[{"role":"user","content":"a","name":5},{"role":"assistant","content":"b"}]})", "invalid_name",
     "messages[0].name is a number (5), expected a string of 1 to 64 letters, digits, _ or -"},
    {R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"}]})", "missing_assistant",
     "no assistant message (roles: system, user); an example needs the assistant's answer for the model to learn "
     "from"},
};

TEST(ChatValidator, EveryRuleRejectsWithItsKindAndExactReason) {
  const ChatValidator validator{ChatOptions{}};
  for (const Case& c : kCases) {
    const auto problem = validator.check(nlohmann::json::parse(c.line));
    ASSERT_TRUE(problem.has_value()) << c.line;
    EXPECT_EQ(problem->kind, c.kind) << c.line;
    EXPECT_EQ(problem->reason, c.reason) << c.line;
  }
}

TEST(ChatValidator, RejectsThroughTheHarnessWithOriginsAcrossBatches) {
  std::string jsonl;
  for (const Case& c : kCases) jsonl += std::string(c.line) + "\n";
  jsonl += R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})" "\n";
  for (const std::size_t batch_size : {1u, 3u, 64u}) {
    StageHarness h{ChatValidator::info(), "{}"};
    h.setBatchSize(batch_size);
    const auto out = h.run(jsonl);
    ASSERT_TRUE(out.status.isOk());
    ASSERT_EQ(out.rejects.size(), std::size(kCases)) << "batch size " << batch_size;
    for (std::size_t i = 0; i < out.rejects.size(); ++i) {
      EXPECT_EQ(out.rejects[i].origin.line, i + 1);
      EXPECT_EQ(out.rejects[i].origin.index, i);
      EXPECT_EQ(out.rejects[i].kind, kCases[i].kind);
      EXPECT_EQ(out.rejects[i].reason, kCases[i].reason);
      EXPECT_EQ(out.rejects[i].value, nlohmann::json::parse(kCases[i].line)) << "the reject keeps the record";
    }
    ASSERT_EQ(out.kept.size(), 1u);
    EXPECT_EQ(out.kept[0].origin.line, std::size(kCases) + 1);
  }
}

TEST(ChatValidator, AcceptsEveryAllowedShape) {
  const char* const kValid[] = {
      R"({"messages":[{"role":"user","content":"Great headphones"},{"role":"assistant","content":"Rating: 5 stars"}]})",
      R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"a","name":"alice_01"},{"role":"assistant","content":"b","weight":1}]})",
      R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":0},{"role":"user","content":"c"},{"role":"assistant","content":"d","weight":1.0}]})",
      R"({"messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"},{"role":"assistant","content":"Sunny."}],"tools":[{"type":"function","function":{"name":"w"}}],"parallel_tool_calls":false})",
      R"({"messages":[{"role":"user","content":"x"},{"role":"assistant","function_call":{"name":"f","arguments":"{}"}},{"role":"assistant","content":"done"}],"functions":[{"name":"f"}]})",
      R"({"messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},{"role":"assistant","content":"a cat"}]})",
      R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"I can't help with that.","refusal":"policy"}]})",
      R"({"messages":[{"role":"user","content":"Avaliação do café"},{"role":"assistant","content":"Avaliação: 1 estrela"}]})",
  };
  const ChatValidator validator{ChatOptions{}};
  for (const char* line : kValid) {
    const auto problem = validator.check(nlohmann::json::parse(line));
    EXPECT_FALSE(problem.has_value()) << line << "\n" << (problem ? problem->reason : "");
  }
}

TEST(ChatValidator, FirstFailingRuleWins) {
  const ChatValidator validator{ChatOptions{}};
  // Unknown role (message 0) comes before the unknown key on the same message and the empty
  // content of message 1.
  auto problem = validator.check(nlohmann::json::parse(
      R"({"messages":[{"role":"bot","content":"a","extra":1},{"role":"assistant","content":""}]})"));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->kind, "unknown_role");
  // Messages are checked in order: message 0's empty content before message 1's bad role.
  problem = validator.check(
      nlohmann::json::parse(R"({"messages":[{"role":"user","content":""},{"role":"bot","content":"a"}]})"));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->kind, "empty_content");
  // Top-level keys come before the type of messages.
  problem = validator.check(nlohmann::json::parse(R"({"messages":3,"label":1})"));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->kind, "extra_keys");
}

TEST(ChatValidator, LongValuesAreQuotedShortWithoutCuttingCharacters) {
  const ChatValidator validator{ChatOptions{}};
  const std::string role = std::string(58, 'x') + "\xC3\xA7\xC3\xA7";  // quote cut inside the ç
  const auto problem = validator.check(nlohmann::json{{"messages", {{{"role", role}, {"content", "a"}}}}});
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->reason, "messages[0].role \"" + std::string(58, 'x') + "..." +
                                 " is not one of system, user, assistant, tool");
}

TEST(ChatValidator, RequireAssistantCanBeTurnedOff) {
  StageHarness h{ChatValidator::info(), R"({"require_assistant": false})"};
  const auto out = h.run(R"({"messages":[{"role":"user","content":"a"}]})" "\n");
  EXPECT_EQ(out.kept.size(), 1u);
  EXPECT_TRUE(out.rejects.empty());
}

TEST(ChatValidator, BadOptionsAreRefusedByTheSchema) {
  EXPECT_THROW(StageHarness(ChatValidator::info(), R"({"require_assistant": "yes"})"), std::invalid_argument);
  EXPECT_THROW(StageHarness(ChatValidator::info(), R"({"allow_roles": ["bot"]})"), std::invalid_argument);
  EXPECT_NO_THROW(StageHarness(ChatValidator::info(), "{}"));
}

TEST(ChatValidator, DescribesItself) {
  const StageInfo& info = ChatValidator::info();
  EXPECT_EQ(info.name, "validate/chat");
  EXPECT_EQ(info.kind, StageKind::kRecords);
  EXPECT_TRUE(info.parallel);
  const auto checked = testing::checkOptions(info, nlohmann::json::object());
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->at("require_assistant"), true);
  const auto schema = nlohmann::json::parse(info.options_schema);
  for (const auto& [name, property] : schema.at("properties").items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
}

}  // namespace
}  // namespace ajuste::validate_chat
