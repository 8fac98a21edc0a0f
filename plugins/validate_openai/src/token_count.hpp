#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "ajuste/tokenizer/encoding.hpp"

#include "record_checks.hpp"

namespace ajuste::validate_openai {

// Token counts of one valid example, with the OpenAI cookbook's estimate (num_tokens_from_messages):
// per message 3 + the tokens of every string value (role, content, name, tool_call_id, refusal),
// + 1 for a name; content parts count their text; tool_calls and function_call count their
// function name and arguments; + 3 per example for the reply priming. The tools/functions
// declarations are not counted (as in the cookbook). Legacy examples: prompt + completion tokens.
// Counts saturate at 2^32 - 1.
struct ExampleTokens {
  std::uint32_t tokens = 0;            // the whole example, every message once
  std::uint32_t sequence_tokens = 0;   // the longest sequence trained on (DPO: input + the longer output)
  std::uint32_t assistant_tokens = 0;  // trained tokens: content, refusal and calls of assistant messages
                                       // whose weight is not 0 (legacy: the completion)
  std::uint32_t messages = 0;          // messages in the example (legacy: 0)
};

// `example` must have passed ExampleChecker for `format`.
ExampleTokens countTokens(const nlohmann::json& example, Format format, const Encoding& encoding);

}  // namespace ajuste::validate_openai
