#include "chat_examples.hpp"

#include <algorithm>
#include <fstream>
#include <random>

namespace ajuste::evaluate_chat {
namespace {

// The text of a message whose content is a string or a list of text parts; nullopt otherwise.
std::optional<std::string> textOf(const nlohmann::json& message) {
  const auto content = message.find("content");
  if (content == message.end()) return std::nullopt;
  if (content->is_string()) return content->get<std::string>();
  if (!content->is_array()) return std::nullopt;
  std::string text;
  for (const auto& part : *content) {
    if (part.is_object() && part.value("type", "") == "text" && part.contains("text") && part["text"].is_string()) {
      text += part["text"].get<std::string>();
    }
  }
  return text;
}

bool isRole(const nlohmann::json& message, const char* role) {
  return message.is_object() && message.contains("role") && message["role"] == role;
}

// The messages of a line when it ends with an assistant text answer; nullopt otherwise.
std::optional<nlohmann::json> judgeableMessages(const std::string& line) {
  auto record = nlohmann::json::parse(line, nullptr, false);
  if (!record.is_object() || !record.contains("messages") || !record["messages"].is_array()) return std::nullopt;
  const auto& messages = record["messages"];
  if (messages.size() < 2 || !isRole(messages.back(), "assistant") || !textOf(messages.back())) return std::nullopt;
  return messages;
}

// Calls `each(index, line)` for every non-empty line.
template <typename Each>
Status forEachLine(const std::filesystem::path& path, Each&& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError("cannot read " + path.string());
  std::string line;
  std::size_t index = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (!each(index++, line)) break;
  }
  if (in.bad()) return Status::ioError("error while reading " + path.string());
  return Status::ok();
}

}  // namespace

Result<HeldOutSet> readHeldOut(const std::filesystem::path& path, std::optional<std::size_t> max_examples) {
  HeldOutSet set;
  const Status read = forEachLine(path, [&](std::size_t index, const std::string& line) {
    auto messages = judgeableMessages(line);
    if (!messages) {
      ++set.skipped;
      return true;
    }
    HeldOutExample example{.index = index, .messages = *messages, .expected = *textOf(messages->back())};
    example.messages.erase(example.messages.size() - 1);
    set.examples.push_back(std::move(example));
    return !max_examples || set.examples.size() < *max_examples;
  });
  if (!read.isOk()) return read;
  return set;
}

Result<std::vector<FewShotPair>> drawFewShot(const std::filesystem::path& path, std::size_t k, std::uint64_t seed) {
  // Reservoir of (line index, pair); std::mt19937_64's sequence is fixed by the standard, and
  // the draw below uses only its raw output, so the choice is the same on every library.
  std::vector<std::pair<std::size_t, FewShotPair>> reservoir;
  if (k == 0) return std::vector<FewShotPair>{};
  std::mt19937_64 random(seed);
  std::size_t seen = 0;
  const Status read = forEachLine(path, [&](std::size_t index, const std::string& line) {
    const auto messages = judgeableMessages(line);
    if (!messages) return true;
    std::optional<std::string> user;
    for (std::size_t i = messages->size() - 1; i-- > 0;) {
      if (isRole((*messages)[i], "user")) {
        user = textOf((*messages)[i]);
        break;
      }
    }
    if (!user) return true;
    FewShotPair pair{.user = *user, .assistant = *textOf(messages->back())};
    ++seen;
    if (reservoir.size() < k) {
      reservoir.emplace_back(index, std::move(pair));
    } else if (const std::uint64_t slot = random() % seen; slot < k) {
      reservoir[slot] = {index, std::move(pair)};
    }
    return true;
  });
  if (!read.isOk()) return read;
  std::sort(reservoir.begin(), reservoir.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<FewShotPair> pairs;
  for (auto& [index, pair] : reservoir) pairs.push_back(std::move(pair));
  return pairs;
}

nlohmann::json basePromptMessages(const std::string& instructions, const std::vector<FewShotPair>& few_shot,
                                  const nlohmann::json& example_messages) {
  nlohmann::json messages = nlohmann::json::array();
  if (!instructions.empty()) messages.push_back({{"role", "system"}, {"content", instructions}});
  for (const auto& pair : few_shot) {
    messages.push_back({{"role", "user"}, {"content", pair.user}});
    messages.push_back({{"role", "assistant"}, {"content", pair.assistant}});
  }
  for (const auto& message : example_messages) {
    if (!instructions.empty() && isRole(message, "system")) continue;
    messages.push_back(message);
  }
  return messages;
}

}  // namespace ajuste::evaluate_chat
