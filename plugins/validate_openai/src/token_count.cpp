#include "token_count.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace ajuste::validate_openai {
namespace {

using Json = nlohmann::json;

// The cookbook's constants (Chat_finetuning_data_prep.ipynb, num_tokens_from_messages).
constexpr std::uint64_t kTokensPerMessage = 3;
constexpr std::uint64_t kTokensPerName = 1;
constexpr std::uint64_t kReplyPriming = 3;

struct MessageTokens {
  std::uint64_t total = 0;
  std::uint64_t trained = 0;
};

std::uint32_t saturate(std::uint64_t value) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(value, std::numeric_limits<std::uint32_t>::max()));
}

std::uint64_t count(const Json& value, const Encoding& encoding) {
  return value.is_string() ? encoding.countOrdinary(value.get_ref<const std::string&>()) : 0;
}

std::uint64_t callTokens(const Json& function, const Encoding& encoding) {
  if (!function.is_object()) return 0;
  std::uint64_t n = 0;
  if (const auto name = function.find("name"); name != function.end()) n += count(*name, encoding);
  if (const auto args = function.find("arguments"); args != function.end()) n += count(*args, encoding);
  return n;
}

MessageTokens messageTokens(const Json& message, const Encoding& encoding) {
  MessageTokens out{kTokensPerMessage, 0};
  std::uint64_t spoken = 0;  // what the assistant says: content, refusal, calls
  for (const auto& [key, value] : message.items()) {
    if (value.is_string()) {
      const std::uint64_t n = count(value, encoding);
      out.total += n + (key == "name" ? kTokensPerName : 0);
      if (key == "content" || key == "refusal") spoken += n;
    } else if (key == "content" && value.is_array()) {
      for (const Json& part : value) {
        if (const auto text = part.find("text"); text != part.end()) {
          const std::uint64_t n = count(*text, encoding);
          out.total += n;
          spoken += n;
        }
      }
    } else if (key == "tool_calls" && value.is_array()) {
      for (const Json& call : value) {
        if (const auto function = call.find("function"); function != call.end()) {
          const std::uint64_t n = callTokens(*function, encoding);
          out.total += n;
          spoken += n;
        }
      }
    } else if (key == "function_call") {
      const std::uint64_t n = callTokens(value, encoding);
      out.total += n;
      spoken += n;
    }
  }
  const auto weight = message.find("weight");
  if (message.value("role", std::string()) == "assistant" && (weight == message.end() || *weight != 0)) {
    out.trained = spoken;
  }
  return out;
}

MessageTokens sum(const Json& messages, const Encoding& encoding) {
  MessageTokens out;
  for (const Json& message : messages) {
    const MessageTokens one = messageTokens(message, encoding);
    out.total += one.total;
    out.trained += one.trained;
  }
  return out;
}

}  // namespace

ExampleTokens countTokens(const nlohmann::json& example, Format format, const Encoding& encoding) {
  ExampleTokens out;
  switch (format) {
    case Format::kChat: {
      const Json& messages = example.at("messages");
      const MessageTokens all = sum(messages, encoding);
      out.tokens = saturate(all.total + kReplyPriming);
      out.sequence_tokens = out.tokens;
      out.assistant_tokens = saturate(all.trained);
      out.messages = saturate(messages.size());
      break;
    }
    case Format::kPreference: {
      const Json& input = example.at("input").at("messages");
      const Json& preferred = example.at("preferred_output");
      const Json& rejected = example.at("non_preferred_output");
      const MessageTokens in = sum(input, encoding);
      const MessageTokens good = sum(preferred, encoding);
      const MessageTokens bad = sum(rejected, encoding);
      out.tokens = saturate(in.total + good.total + bad.total + kReplyPriming);
      out.sequence_tokens = saturate(in.total + std::max(good.total, bad.total) + kReplyPriming);
      out.assistant_tokens = saturate(good.trained + bad.trained);
      out.messages = saturate(input.size() + preferred.size() + rejected.size());
      break;
    }
    case Format::kCompletion: {
      const std::uint64_t completion = count(example.at("completion"), encoding);
      out.tokens = saturate(count(example.at("prompt"), encoding) + completion);
      out.sequence_tokens = out.tokens;
      out.assistant_tokens = saturate(completion);
      out.messages = 0;
      break;
    }
  }
  return out;
}

}  // namespace ajuste::validate_openai
