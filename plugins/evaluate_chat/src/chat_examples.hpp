#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ajuste/status.hpp"

namespace ajuste::evaluate_chat {

// One held-out conversation: what is sent, and the final assistant answer it is judged against.
struct HeldOutExample {
  std::size_t index = 0;    // 0-based among the file's non-empty lines, so it points back at the file
  nlohmann::json messages;  // the example's messages without its final assistant message
  std::string expected;     // that final assistant message's content
};

// A user question and its assistant answer, shown to the base model as a worked example.
struct FewShotPair {
  std::string user;
  std::string assistant;
};

// Reads a chat JSONL file ({"messages": [...]} per line). Lines whose last message is not an
// assistant message with text content cannot be judged: they are left out and counted in
// `skipped`. Reads at most `max_examples` evaluable examples when given.
struct HeldOutSet {
  std::vector<HeldOutExample> examples;
  std::size_t skipped = 0;
};
Result<HeldOutSet> readHeldOut(const std::filesystem::path& path, std::optional<std::size_t> max_examples);

// `k` pairs (the last user message and the final assistant answer of an example) drawn from a
// chat JSONL training file by reservoir sampling seeded with `seed`: the same file and seed give
// the same pairs, in file order, without holding the file in memory.
Result<std::vector<FewShotPair>> drawFewShot(const std::filesystem::path& path, std::size_t k, std::uint64_t seed);

// The base model's messages: system=instructions (when given), the few-shot pairs, then the
// example's messages (its own system messages dropped when instructions replace them).
nlohmann::json basePromptMessages(const std::string& instructions, const std::vector<FewShotPair>& few_shot,
                                  const nlohmann::json& example_messages);

}  // namespace ajuste::evaluate_chat
