#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record_text/json_view.hpp"

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

// The same texts of an example held as JSON text (Record::text), in the same order, as the
// string tokens they are in the text, so a stage can read them without building the example
// and write back only the ones it changed.
struct TextSpan {
  record_text::JsonView token;  // the string as written, quotes included (a view into the text)
  const char* list = "";        // "messages", "input.messages", ...; or "prompt" / "completion"
  std::ptrdiff_t message = -1;  // the message's index in its list (-1: prompt, completion)
  std::ptrdiff_t part = -1;     // the content part's index (-1: the content is the string)
  // The path textFields gives the same text: "messages[1].content", "prompt".
  [[nodiscard]] std::string path() const;
  // A message's whole content (not a part, not a legacy field).
  [[nodiscard]] bool isMessageContent() const { return message >= 0 && part < 0; }
};
struct TextSpans {
  std::vector<TextSpan> texts;
  std::size_t message_lists = 0;  // as messageLists(example).size()
};
TextSpans textSpans(const record_text::JsonView& example);

}  // namespace ajuste::clean_text
