#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste::clean_text {

// A string of an example that a person or a model wrote, with where it lives (for reasons) and
// the role of its message (for per-role rules).
struct TextField {
  std::string* text;  // points into the example: valid until the example's structure changes
  std::string path;   // "messages[1].content", "messages[0].content[2].text", "prompt"
  std::string role;   // the message's role; legacy: "user" for prompt, "assistant" for completion
};

// An array of messages inside an example: chat "messages"; preference "input.messages",
// "preferred_output" and "non_preferred_output".
struct MessageList {
  nlohmann::json* messages;
  std::string path;
};

// The message arrays of a chat or preference example, in document order; none for anything else.
std::vector<MessageList> messageLists(nlohmann::json& example);

// Every text of an example, in document order: string contents and the `text` of text content
// parts of each message list, then a legacy example's `prompt` and `completion`. Anything that
// is not a string is skipped: structure is validate/openai's job.
std::vector<TextField> textFields(nlohmann::json& example);

// The texts of one message ({"role", "content"}), under `path` ("messages[3]").
void appendMessageTexts(nlohmann::json& message, const std::string& path, std::vector<TextField>& out);

}  // namespace ajuste::clean_text
