// validate/openai per-record checks: every reject kind with its exact reason, every accepted
// shape, fixes, over_long handling and the meta left for stats/openai.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"

#include "record_checks.hpp"
#include "stats_stage.hpp"
#include "validate_stage.hpp"

namespace ajuste::validate_openai {
namespace {

using ::testing::HasSubstr;
using testing::StageHarness;

struct Case {
  const char* line;
  const char* kind;
  const char* reason;
};

constexpr const char* kChatOptions = R"({"model": "gpt-4o-mini-2024-07-18"})";
constexpr const char* kDpoOptions = R"({"model": "gpt-4.1-mini-2025-04-14", "method": "dpo"})";
constexpr const char* kLegacyOptions = R"({"model": "babbage-002"})";

// Chat, as gpt-4o-mini on OpenAI sees it (no vision).
const Case kChatCases[] = {
    {R"([{"role":"user"}])", "not_object", R"(record is an array ([{"role":"user"}]), expected an object: {"messages": [...]})"},
    {R"({"msgs":[]})", "missing_messages",
     R"(messages is missing; a chat example is {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]} (found keys: msgs))"},
    {R"({"prompt":"hi","completion":"yo"})", "unsupported_format",
     R"(this is a legacy prompt/completion example, but this run (gpt-4o-mini-2024-07-18) takes chat examples {"messages": [...]}; a training file holds one format)"},
    {R"({"input":{"messages":[]},"preferred_output":[],"non_preferred_output":[]})", "unsupported_format",
     R"(this is a preference (DPO) example, but this run (gpt-4o-mini-2024-07-18) takes chat examples {"messages": [...]}; a training file holds one format)"},
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
    {R"({"messages":[{"role":7,"content":"a"}]})", "unknown_role",
     "messages[0].role is a number (7), expected one of system, user, assistant, tool"},
    {R"({"messages":[{"role":"user","content":"a","sentiment":"pos"},{"role":"assistant","content":"b"}]})",
     "extra_keys", R"(messages[0] has unknown key "sentiment"; allowed keys for a user message are role, content, name)"},
    {R"({"messages":[{"role":"user","content":"a","tool_calls":[]},{"role":"assistant","content":"b"}]})", "extra_keys",
     R"(messages[0] has key "tool_calls", which a user message cannot have; allowed keys for a user message are role, content, name)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""}]})", "empty_content",
     "messages[1].content is an empty string, expected the assistant's text"},
    {R"({"messages":[{"role":"user","content":[]},{"role":"assistant","content":"b"}]})", "empty_content",
     "messages[0].content is an empty array, expected text or at least one content part"},
    {R"({"messages":[{"role":"user"},{"role":"assistant","content":"b"}]})", "missing_content",
     "messages[0].content is missing; only an assistant message with tool_calls, function_call or refusal may leave it out"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":null}]})", "missing_content",
     "messages[1].content is null; only an assistant message with tool_calls, function_call or refusal may leave it out"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":42}]})", "non_string_content",
     "messages[1].content is a number (42), expected a string"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":["a","b"]}]})", "non_string_content",
     R"(messages[1].content is an array (["a","b"]), expected a string (content parts are accepted on user messages only))"},
    {R"({"messages":[{"role":"user","content":[{"type":"audio"}]},{"role":"assistant","content":"b"}]})",
     "non_string_content", R"(messages[0].content[0].type is a string ("audio"), expected "text" or "image_url")"},
    {R"({"messages":[{"role":"user","content":[{"type":"text","text":1}]},{"role":"assistant","content":"b"}]})",
     "non_string_content", "messages[0].content[0].text is a number (1), expected a string"},
    {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x.test/a.png"}}]},{"role":"assistant","content":"b"}]})",
     "image_not_supported",
     "messages[0].content[0] is an image, but gpt-4o-mini-2024-07-18 cannot be fine-tuned on images with this "
     "provider; remove the image or choose a model whose catalogue entry lists vision for the provider"},
    {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x.test/a.png"}}]},{"role":"assistant","content":"b"}]})",
     "invalid_image",
     R"(messages[0].content[0].image_url.url "ftp://x.test/a.png" is neither an http(s) URL nor a data URL of a JPEG, PNG or WEBP image (data:image/png;base64,...))"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":0.5}]})",
     "invalid_weight", "messages[1].weight is a number (0.5), expected 0 or 1"},
    {R"({"messages":[{"role":"user","content":"a","weight":1},{"role":"assistant","content":"b"}]})", "invalid_weight",
     "messages[0].weight is allowed on assistant messages only (found on a user message)"},
    {R"({"messages":[{"role":"user","content":"a","name":"John Smith"},{"role":"assistant","content":"b"}]})",
     "invalid_name",
     R"(messages[0].name "John Smith" does not match ^[a-zA-Z0-9_-]{1,64}$ (1 to 64 letters, digits, _ or -))"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","refusal":7}]})",
     "non_string_content", "messages[1].refusal is a number (7), expected the refusal text"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{\"a\": 1"}}]}],"tools":[{"type":"function","function":{"name":"w"}}]})",
     "invalid_tool_call",
     R"(messages[1].tool_calls[0].function.arguments "{\"a\": 1" is not valid JSON; it must hold a JSON object)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"[1]"}}]}],"tools":[{"type":"function","function":{"name":"w"}}]})",
     "invalid_tool_call",
     R"(messages[1].tool_calls[0].function.arguments "[1]" holds an array ([1]), expected a JSON object)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"rain","arguments":"{}"}}]}],"tools":[{"type":"function","function":{"name":"w"}}]})",
     "invalid_tool_call", R"(messages[1].tool_calls[0].function.name "rain" is not declared in tools (declared: w))"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"tool","function":{"name":"w","arguments":"{}"}}]}]})",
     "invalid_tool_call", R"(messages[1].tool_calls[0].type is a string ("tool"), expected "function")"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}},{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]}]})",
     "invalid_tool_call", R"(messages[1].tool_calls[1].id "c1" is used twice in the example; call ids are unique)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]},{"role":"user","content":"b"},{"role":"assistant","content":"c"}]})",
     "invalid_tool_call",
     R"(messages[1].tool_calls[0] (id "c1") is not answered: expected a tool message with tool_call_id "c1" before messages[2])"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c2","content":"x"},{"role":"assistant","content":"c"}]})",
     "unknown_tool_call_id",
     R"(messages[2].tool_call_id "c2" does not match a call of the assistant message before it (open calls: "c1"))"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"tool","content":"x"},{"role":"assistant","content":"c"}]})",
     "unknown_tool_call_id",
     "messages[1].tool_call_id is missing, expected the id of the call this tool message answers (no open calls)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"x"},{"role":"tool","tool_call_id":"c1","content":"y"},{"role":"assistant","content":"c"}]})",
     "unknown_tool_call_id",
     R"(messages[3].tool_call_id "c1" answers call messages[1].tool_calls[0] a second time; each call gets one tool message)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"tools":[{"type":"function","function":{"name":"get weather"}}]})",
     "invalid_tools", R"(tools[0].function.name is a string ("get weather"), expected a name matching ^[a-zA-Z0-9_-]{1,64}$)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"tools":[{"type":"function","function":{"name":"w","parameters":"none"}}]})",
     "invalid_tools", R"(tools[0].function.parameters is a string ("none"), expected a JSON Schema object)"},
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"parallel_tool_calls":"no"})",
     "invalid_tools", R"(parallel_tool_calls is a string ("no"), expected true or false)"},
    {R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"}]})", "missing_assistant",
     "no assistant message (roles: system, user); an example needs the assistant's answer for the model to learn "
     "from"},
};

TEST(ExampleChecks, EveryChatRuleRejectsWithItsKindAndExactReason) {
  const ExampleChecker checker{CheckSettings{Format::kChat, "gpt-4o-mini-2024-07-18", false, false}};
  for (const Case& c : kChatCases) {
    const auto outcome = checker.check(nlohmann::json::parse(c.line));
    ASSERT_TRUE(outcome.problem.has_value()) << c.line;
    EXPECT_EQ(outcome.problem->kind, c.kind) << c.line;
    EXPECT_EQ(outcome.problem->reason, c.reason) << c.line;
  }
}

TEST(ExampleChecks, RejectsThroughTheStageWithOriginsAcrossBatchSizes) {
  std::string jsonl;
  for (const Case& c : kChatCases) jsonl += std::string(c.line) + "\n";
  jsonl += R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})" "\n";
  for (const std::size_t batch_size : {1u, 5u, 64u}) {
    StageHarness h{OpenAIValidator::info(), kChatOptions};
    h.setBatchSize(batch_size);
    const auto out = h.run(jsonl);
    ASSERT_TRUE(out.status.isOk()) << out.status.toString();
    ASSERT_EQ(out.rejects.size(), std::size(kChatCases));
    for (std::size_t i = 0; i < out.rejects.size(); ++i) {
      EXPECT_EQ(out.rejects[i].origin.line, i + 1);
      EXPECT_EQ(out.rejects[i].kind, kChatCases[i].kind);
      EXPECT_EQ(out.rejects[i].reason, kChatCases[i].reason);
    }
    ASSERT_EQ(out.kept.size(), 1u);
    EXPECT_EQ(out.kept[0].origin.line, std::size(kChatCases) + 1);
  }
}

TEST(ExampleChecks, AcceptsEveryAllowedChatShape) {
  const char* const kValid[] = {
      R"({"messages":[{"role":"user","content":"Great headphones"},{"role":"assistant","content":"Rating: 5 stars"}]})",
      R"({"messages":[{"role":"system","content":"s","name":"sys"},{"role":"user","content":"a","name":"alice_01"},{"role":"assistant","content":"b","weight":1}]})",
      R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":0},{"role":"user","content":"c"},{"role":"assistant","content":"d","weight":1.0}]})",
      R"({"messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{\"city\":\"Oslo\"}"}},{"id":"c2","type":"function","function":{"name":"w","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c2","content":"rain"},{"role":"tool","tool_call_id":"c1","content":"sunny"},{"role":"assistant","content":"Sunny."}],"tools":[{"type":"function","function":{"name":"w","description":"weather","parameters":{"type":"object","properties":{}},"strict":true}}],"parallel_tool_calls":true})",
      R"({"messages":[{"role":"user","content":"call it"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]}],"tools":[{"type":"function","function":{"name":"w"}}]})",
      R"({"messages":[{"role":"user","content":"x"},{"role":"assistant","function_call":{"name":"f","arguments":"{}"}},{"role":"function","name":"f","content":"42"},{"role":"assistant","content":"done"}],"functions":[{"name":"f","parameters":{"type":"object"}}]})",
      R"({"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},{"role":"assistant","content":"c"}]})",
      R"({"messages":[{"role":"user","content":"how to pick a lock"},{"role":"assistant","refusal":"I can't help with that."}]})",
  };
  const ExampleChecker checker{CheckSettings{Format::kChat, "gpt-4o-mini-2024-07-18", false, false}};
  for (const char* line : kValid) {
    const auto outcome = checker.check(nlohmann::json::parse(line));
    EXPECT_FALSE(outcome.problem.has_value()) << line << "\n" << outcome.problem->reason;
  }
}

TEST(ExampleChecks, ImagesNeedAVisionModelAndProvider) {
  const std::string line =
      R"({"messages":[{"role":"user","content":[{"type":"text","text":"what is it?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]},{"role":"assistant","content":"a cat"}]})";
  StageHarness vision{OpenAIValidator::info(), R"({"model": "gpt-4o-2024-08-06"})"};
  EXPECT_EQ(vision.run(line).kept.size(), 1u);
  StageHarness openai41{OpenAIValidator::info(), R"({"model": "gpt-4.1"})"};
  const auto refused = openai41.run(line);
  ASSERT_EQ(refused.rejects.size(), 1u);
  EXPECT_EQ(refused.rejects[0].kind, "image_not_supported");
  StageHarness azure41{OpenAIValidator::info(), R"({"model": "gpt-4.1", "provider": "azure"})"};
  EXPECT_EQ(azure41.run(line).kept.size(), 1u) << "Azure trains gpt-4.1 on images";
}

TEST(ExampleChecks, AzureAcceptsAtMost64ImagesPerExample) {
  nlohmann::json parts = nlohmann::json::array();
  for (int i = 0; i < 65; ++i) {
    parts.push_back({{"type", "image_url"}, {"image_url", {{"url", "https://x.test/" + std::to_string(i) + ".png"}}}});
  }
  const nlohmann::json example{{"messages", {{{"role", "user"}, {"content", parts}}, {{"role", "assistant"}, {"content", "ok"}}}}};
  const ExampleChecker azure{CheckSettings{Format::kChat, "gpt-4.1-2025-04-14", true, true}};
  const auto outcome = azure.check(example);
  ASSERT_TRUE(outcome.problem.has_value());
  EXPECT_EQ(outcome.problem->kind, "invalid_image");
  EXPECT_EQ(outcome.problem->reason,
            "messages[0].content[64] is image number 65 of the example; Azure accepts at most 64 images per example");
}

TEST(ExampleChecks, PerRecordWarningsTravelInMeta) {
  StageHarness h{OpenAIValidator::info(), kChatOptions};
  const auto out = h.run(
      R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b","weight":0}]})" "\n"
      R"({"messages":[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]})" "\n"
      R"({"messages":[{"role":"user","content":"x"},{"role":"assistant","function_call":{"name":"f","arguments":"{}"}}],"functions":[{"name":"f"}]})" "\n");
  ASSERT_EQ(out.kept.size(), 3u);
  EXPECT_EQ(out.kept[0].meta["openai"]["warnings"], nlohmann::json({"untrained_example"}));
  EXPECT_EQ(out.kept[1].meta["openai"]["warnings"], nlohmann::json({"undeclared_tools"}));
  EXPECT_EQ(out.kept[2].meta["openai"]["warnings"], nlohmann::json({"deprecated_functions"}));
}

// Preference (DPO), as gpt-4.1-mini sees it.
const Case kPreferenceCases[] = {
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})", "unsupported_format",
     R"(this is a chat example, but this run (gpt-4.1-mini-2025-04-14) takes preference examples {"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}; a training file holds one format)"},
    {R"({"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "invalid_preference",
     R"(input is missing; a preference example is {"input": {"messages": [...]}, "preferred_output": [{"role": "assistant", ...}], "non_preferred_output": [{"role": "assistant", ...}]})"},
    {R"({"input":{"messages":[{"role":"user","content":"a"}],"temperature":1},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "extra_keys", R"(input has unknown key "temperature"; allowed keys are messages, tools, parallel_tool_calls)"},
    {R"({"input":{"tools":[]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "missing_messages",
     R"(input.messages is missing; the input is the conversation so far: {"messages": [{"role": "user", "content": "..."}]})"},
    {R"({"input":{"messages":[]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "empty_messages", "input.messages is an empty array; add at least a user and an assistant message"},
    {R"({"input":{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"z"}]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "invalid_preference",
     "input.messages[1] is an assistant message; the input ends before the assistant's turn, which preferred_output "
     "and non_preferred_output hold"},
    {R"({"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"b"}]})",
     "invalid_preference",
     R"(non_preferred_output is missing; a preference example is {"input": {"messages": [...]}, "preferred_output": [{"role": "assistant", ...}], "non_preferred_output": [{"role": "assistant", ...}]})"},
    {R"({"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "invalid_preference", "preferred_output is an array ([]), expected a non-empty array of assistant messages"},
    {R"({"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"user","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "invalid_preference",
     R"(preferred_output[0].role "user" must be "assistant": the outputs are the assistant's answer to the input)"},
    {R"({"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"b","weight":1}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "invalid_weight", "preferred_output[0].weight is not used in preference examples; remove it"},
    {R"({"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":""}]})",
     "empty_content", "non_preferred_output[0].content is an empty string, expected the assistant's text"},
    {R"({"input":{"messages":[{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"b"}]})",
     "invalid_preference",
     "preferred_output and non_preferred_output are identical; a preference pair needs two different answers to "
     "learn from"},
    {R"({"input":{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x.test/a.png"}}]}]},"preferred_output":[{"role":"assistant","content":"b"}],"non_preferred_output":[{"role":"assistant","content":"c"}]})",
     "image_not_supported",
     "input.messages[0].content[0] is an image, but preference (DPO) examples are text only; remove the image or "
     "choose a model whose catalogue entry lists vision for the provider"},
};

TEST(ExampleChecks, EveryPreferenceRuleRejectsWithItsKindAndExactReason) {
  StageHarness h{OpenAIValidator::info(), kDpoOptions};
  std::string jsonl;
  for (const Case& c : kPreferenceCases) jsonl += std::string(c.line) + "\n";
  const auto out = h.run(jsonl);
  ASSERT_EQ(out.rejects.size(), std::size(kPreferenceCases));
  for (std::size_t i = 0; i < out.rejects.size(); ++i) {
    EXPECT_EQ(out.rejects[i].kind, kPreferenceCases[i].kind) << kPreferenceCases[i].line;
    EXPECT_EQ(out.rejects[i].reason, kPreferenceCases[i].reason) << kPreferenceCases[i].line;
  }
}

TEST(ExampleChecks, AcceptsPreferenceExamplesWithTools) {
  StageHarness h{OpenAIValidator::info(), kDpoOptions};
  const auto out = h.run(
      R"({"input":{"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"}]},"preferred_output":[{"role":"assistant","content":"good"}],"non_preferred_output":[{"role":"assistant","content":"bad"}]})" "\n"
      R"({"input":{"messages":[{"role":"user","content":"weather?"}],"tools":[{"type":"function","function":{"name":"w"}}],"parallel_tool_calls":false},"preferred_output":[{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{}"}}]}],"non_preferred_output":[{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"w","arguments":"{\"x\":1}"}}]}]})" "\n");
  EXPECT_TRUE(out.rejects.empty()) << out.rejects[0].reason;
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].meta["openai"]["format"], "preference");
  EXPECT_EQ(out.kept[0].meta["openai"]["messages"], 4);
}

// Legacy prompt/completion, as babbage-002 sees it.
const Case kLegacyCases[] = {
    {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})", "unsupported_format",
     R"(this is a chat example, but this run (babbage-002) takes legacy prompt/completion examples {"prompt": "...", "completion": "..."}; a training file holds one format)"},
    {R"({"text":"a"})", "missing_prompt_or_completion",
     R"(prompt and completion are missing; a legacy example is {"prompt": "...", "completion": "..."} (found keys: text))"},
    {R"({"prompt":"a","completion":"b","label":"x"})", "extra_keys",
     R"(unknown top-level key "label"; allowed keys are prompt, completion)"},
    {R"({"prompt":"a"})", "missing_prompt_or_completion",
     R"(completion is missing; a legacy example is {"prompt": "...", "completion": "..."})"},
    {R"({"prompt":4,"completion":"b"})", "non_string_content", "prompt is a number (4), expected a string"},
    {R"({"prompt":"a","completion":""})", "empty_content",
     "completion is an empty string, expected the text the model should produce (prepare_data drops such rows)"},
};

TEST(ExampleChecks, EveryLegacyRuleRejectsWithItsKindAndExactReason) {
  StageHarness h{OpenAIValidator::info(), kLegacyOptions};
  std::string jsonl;
  for (const Case& c : kLegacyCases) jsonl += std::string(c.line) + "\n";
  jsonl += R"({"prompt":"","completion":" open-ended"})" "\n";
  const auto out = h.run(jsonl);
  ASSERT_EQ(out.rejects.size(), std::size(kLegacyCases));
  for (std::size_t i = 0; i < out.rejects.size(); ++i) {
    EXPECT_EQ(out.rejects[i].kind, kLegacyCases[i].kind) << kLegacyCases[i].line;
    EXPECT_EQ(out.rejects[i].reason, kLegacyCases[i].reason) << kLegacyCases[i].line;
  }
  ASSERT_EQ(out.kept.size(), 1u) << "an empty prompt is allowed (open-ended generation)";
  EXPECT_EQ(out.kept[0].meta["openai"]["format"], "completion");
}

std::string longExample(int words) {
  std::string text;
  for (int i = 0; i < words; ++i) text += " hello";
  return R"({"messages":[{"role":"user","content":")" + text + R"("},{"role":"assistant","content":"ok"}]})";
}

TEST(OverLong, RejectsDropsOrKeepsExamplesOverTheModelLimit) {
  // gpt-3.5-turbo-0613 trains on at most 4,096 tokens per example; " hello" is one token.
  const std::string line = longExample(5000);
  {
    StageHarness h{OpenAIValidator::info(), R"({"model": "gpt-3.5-turbo-0613"})"};
    const auto out = h.run(line);
    ASSERT_EQ(out.rejects.size(), 1u);
    EXPECT_EQ(out.rejects[0].kind, "over_long");
    EXPECT_EQ(out.rejects[0].reason,
              "example has 5012 tokens (cl100k_base), more than the 4096 tokens per example gpt-3.5-turbo-0613 trains "
              "on; shorten it or split the conversation (over_long: keep keeps it, truncated by OpenAI)");
  }
  {
    StageHarness h{OpenAIValidator::info(), R"({"model": "gpt-3.5-turbo-0613", "over_long": "drop"})"};
    const auto out = h.run(line);
    ASSERT_EQ(out.rejects.size(), 1u);
    EXPECT_EQ(out.rejects[0].kind, "over_long");
    EXPECT_THAT(out.rejects[0].reason, HasSubstr("; dropped as asked (over_long: drop)"));
  }
  {
    StageHarness h{OpenAIValidator::info(), R"({"model": "gpt-3.5-turbo-0613", "over_long": "keep"})"};
    const auto out = h.run(line);
    ASSERT_EQ(out.kept.size(), 1u);
    const auto& meta = out.kept[0].meta["openai"];
    EXPECT_EQ(meta["tokens"], 5012);
    EXPECT_EQ(meta["billed"], 4096) << "OpenAI truncates: only the limit is billed";
    EXPECT_EQ(meta["over_limit"], true);
    EXPECT_EQ(meta["warnings"], nlohmann::json({"over_long_kept"}));
  }
}

TEST(Fixes, AppliesOnlyTheRemediesAskedFor) {
  StageHarness legacy{OpenAIValidator::info(), R"({"model": "babbage-002", "fixes": {"lowercase": true,
      "completion_leading_space": true, "prompt_separator": "\n\n###\n\n", "completion_stop": " END"}})"};
  const auto out = legacy.run(R"({"prompt":"Is It GOOD?","completion":"Yes END"})" "\n"
                              R"({"prompt":"bad?\n\n###\n\n","completion":" no"})" "\n");
  ASSERT_EQ(out.kept.size(), 2u);
  EXPECT_EQ(out.kept[0].value, nlohmann::json::parse(R"({"prompt":"is it good?\n\n###\n\n","completion":" yes end END"})"));
  EXPECT_EQ(out.kept[1].value, nlohmann::json::parse(R"({"prompt":"bad?\n\n###\n\n","completion":" no END"})"));
  EXPECT_EQ(legacy.context().counter("fixed_lowercase"), 1);
  EXPECT_EQ(legacy.context().counter("fixed_completion_leading_space"), 1);
  EXPECT_EQ(legacy.context().counter("fixed_prompt_separator"), 1);
  EXPECT_EQ(legacy.context().counter("fixed_completion_stop"), 2);

  StageHarness chat{OpenAIValidator::info(), R"({"model": "gpt-4o-mini", "fixes": {"strip_leading_whitespace": true}})"};
  const auto stripped = chat.run(R"({"messages":[{"role":"user","content":"  hi"},{"role":"assistant","content":"\n "}]})" "\n"
                                 R"({"messages":[{"role":"user","content":"\thi"},{"role":"assistant","content":"yo"}]})" "\n");
  ASSERT_EQ(stripped.rejects.size(), 1u);
  EXPECT_EQ(stripped.rejects[0].kind, "empty_content") << "a content made empty by the fix is rejected";
  ASSERT_EQ(stripped.kept.size(), 1u);
  EXPECT_EQ(stripped.kept[0].value["messages"][0]["content"], "hi");
  EXPECT_EQ(chat.context().counter("fixed_strip_leading_whitespace"), 2);
}

TEST(Fixes, LegacyFixesAreRefusedForChatData) {
  EXPECT_THAT([] { StageHarness h(OpenAIValidator::info(), R"({"model": "gpt-4o-mini", "fixes": {"lowercase": true}})"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr(
                  "config error at /fixes/lowercase: lowercase fixes legacy prompt/completion data, but this run "
                  "trains gpt-4o-mini-2024-07-18 on chat examples")));
}

TEST(Options, RefusesWhatTheSchemaCannotSay) {
  EXPECT_THAT([] { StageHarness h(OpenAIValidator::info(), R"({"model": "gpt-4o-mini", "format": "completion"})"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr(
                  "config error at /format: format completion does not match this run: gpt-4o-mini-2024-07-18 with "
                  "method supervised trains on chat examples")));
  EXPECT_THAT([] { StageHarness h(OpenAIValidator::info(), R"({"model": "davinci-002", "provider": "azure"})"); },
              ::testing::ThrowsMessage<std::invalid_argument>(
                  HasSubstr("config error at /provider: davinci-002 is not fine-tunable on azure (providers in the "
                            "catalogue: openai)")));
  EXPECT_THAT([] { StageHarness h(OpenAIValidator::info(), R"({"model": "gpt-3.5-turbo", "max_cost": 5})"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr(
                  "config error at /max_cost: max_cost needs a training price, but the catalogue has none for "
                  "gpt-3.5-turbo-0125")));
  EXPECT_THROW(StageHarness(OpenAIValidator::info(), R"({"model": "gpt-4o-mini", "fail_on": ["few_exemples"]})"),
               std::invalid_argument);
  EXPECT_THROW(StageHarness(OpenAIValidator::info(), R"({"model": "gpt-4o-mini", "n_epochs": 0})"), std::invalid_argument);
  EXPECT_THROW(StageHarness(OpenAIValidator::info(), R"({"model": "gpt-4o-mini", "colour": "red"})"), std::invalid_argument);
  EXPECT_THROW(StageHarness(OpenAIValidator::info(), "{}"), std::invalid_argument);
}

}  // namespace
}  // namespace ajuste::validate_openai

namespace ajuste::validate_openai {
namespace {

TEST(Descriptor, BothStagesDescribeThemselves) {
  const StageInfo& validate = OpenAIValidator::info();
  EXPECT_EQ(validate.name, "validate/openai");
  EXPECT_EQ(validate.kind, StageKind::kRecords);
  EXPECT_TRUE(validate.parallel) << "per-record work only";
  const StageInfo& stats = OpenAIStats::info();
  EXPECT_EQ(stats.name, "stats/openai");
  EXPECT_EQ(stats.kind, StageKind::kRecords);
  EXPECT_FALSE(stats.parallel) << "aggregates in input order";
  for (const StageInfo* info : {&validate, &stats}) {
    const auto schema = nlohmann::json::parse(info->options_schema);
    EXPECT_EQ(schema.at("additionalProperties"), false);
    for (const auto& [name, property] : schema.at("properties").items()) {
      EXPECT_TRUE(property.contains("description")) << name;
      const nlohmann::json nested_properties = property.value("properties", nlohmann::json::object());
      for (const auto& [inner, nested] : nested_properties.items()) {
        EXPECT_TRUE(nested.contains("description")) << name << "/" << inner;
      }
    }
    const auto checked = testing::checkOptions(*info, nlohmann::json{{"model", "gpt-4o-mini"}});
    ASSERT_TRUE(checked.ok()) << checked.error().message();
    EXPECT_EQ(checked->at("over_long"), "reject");
    EXPECT_EQ(checked->at("n_epochs"), "auto");
  }
}

}  // namespace
}  // namespace ajuste::validate_openai
