#include "text_fields.hpp"

#include <optional>
#include <utility>

namespace ajuste::clean_text {
namespace {

using Json = nlohmann::json;

std::string roleOf(const Json& message) {
  const auto role = message.find("role");
  return role != message.end() && role->is_string() ? role->get<std::string>() : std::string();
}

}  // namespace

std::vector<MessageList> messageLists(Json& example) {
  std::vector<MessageList> lists;
  if (!example.is_object()) return lists;
  if (auto it = example.find("messages"); it != example.end() && it->is_array()) {
    lists.push_back({&*it, "messages"});
  }
  if (auto input = example.find("input"); input != example.end() && input->is_object()) {
    if (auto it = input->find("messages"); it != input->end() && it->is_array()) {
      lists.push_back({&*it, "input.messages"});
    }
  }
  for (const char* const key : {"preferred_output", "non_preferred_output"}) {
    if (auto it = example.find(key); it != example.end() && it->is_array()) lists.push_back({&*it, key});
  }
  return lists;
}

void appendMessageTexts(Json& message, const std::string& path, std::vector<TextField>& out) {
  if (!message.is_object()) return;
  const auto content = message.find("content");
  if (content == message.end()) return;
  const std::string role = roleOf(message);
  if (content->is_string()) {
    out.push_back({&content->get_ref<std::string&>(), path + ".content", role});
    return;
  }
  if (!content->is_array()) return;
  for (std::size_t j = 0; j < content->size(); ++j) {
    Json& part = (*content)[j];
    if (!part.is_object()) continue;
    if (auto text = part.find("text"); text != part.end() && text->is_string()) {
      out.push_back({&text->get_ref<std::string&>(), path + ".content[" + std::to_string(j) + "].text", role});
    }
  }
}

std::vector<TextField> textFields(Json& example) {
  std::vector<TextField> fields;
  for (const MessageList& list : messageLists(example)) {
    for (std::size_t i = 0; i < list.messages->size(); ++i) {
      appendMessageTexts((*list.messages)[i], list.path + "[" + std::to_string(i) + "]", fields);
    }
  }
  if (example.is_object()) {
    for (const auto& [key, role] : {std::pair{"prompt", "user"}, std::pair{"completion", "assistant"}}) {
      if (auto it = example.find(key); it != example.end() && it->is_string()) {
        fields.push_back({&it->get_ref<std::string&>(), key, role});
      }
    }
  }
  return fields;
}

std::string TextSpan::path() const {
  if (message < 0) return list;
  std::string path = std::string(list) + "[" + std::to_string(message) + "].content";
  if (part >= 0) path += "[" + std::to_string(part) + "].text";
  return path;
}

TextSpans textSpans(const record_text::JsonView& example) {
  using record_text::JsonView;
  TextSpans spans;
  if (!example.isObject()) return spans;
  const auto addList = [&](const std::optional<JsonView>& list, const char* name) {
    if (!list || !list->isArray()) return;
    ++spans.message_lists;
    std::ptrdiff_t index = 0;
    list->forEachElement([&](const JsonView& message) {
      const std::ptrdiff_t at = index++;
      if (!message.isObject()) return;
      const auto content = message.find("content");
      if (!content) return;
      if (content->isString()) {
        spans.texts.push_back({*content, name, at, -1});
        return;
      }
      std::ptrdiff_t part_index = 0;
      content->forEachElement([&](const JsonView& part) {
        const std::ptrdiff_t part_at = part_index++;
        if (!part.isObject()) return;
        if (const auto text = part.find("text"); text && text->isString()) spans.texts.push_back({*text, name, at, part_at});
      });
    });
  };
  addList(example.find("messages"), "messages");
  if (const auto input = example.find("input"); input && input->isObject()) addList(input->find("messages"), "input.messages");
  addList(example.find("preferred_output"), "preferred_output");
  addList(example.find("non_preferred_output"), "non_preferred_output");
  for (const char* const key : {"prompt", "completion"}) {
    if (const auto field = example.find(key); field && field->isString()) spans.texts.push_back({*field, key, -1, -1});
  }
  return spans;
}

}  // namespace ajuste::clean_text
