#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ajuste::emulator {

struct ChatAnswer {
  std::string content;
  std::string finish_reason = "stop";
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
};

// A stand-in for a model: the answer is a pure function of the messages and the model name.
// Review-rating prompts (a message mentions a review or a rating) are answered with a star
// rating judged from the review's words; a fine-tuned model answers in the trained format
// ("Rating: 4 stars", "Avaliação: 4 estrelas") and agrees with that judgement ~85% of the time,
// a base model answers in free form and agrees ~50% of the time. Anything else gets a labelled,
// hash-derived placeholder. Token counts use estimateTokens (4 bytes per token).
ChatAnswer answerChat(const nlohmann::json& messages, const std::string& model, bool fine_tuned,
                      std::optional<std::uint64_t> max_tokens);

// The star rating (1-5) the emulator considers right for a review text, from its words.
int referenceRating(const std::string& review);

}  // namespace ajuste::emulator
