#include <array>
#include <utility>

#include "ajuste/tokenizer/encoding.hpp"

namespace ajuste {

namespace {

constexpr auto kO200k = EncodingName::kO200kBase;
constexpr auto kCl100k = EncodingName::kCl100kBase;

// Exact names first, then prefixes in tiktoken's model.py order (most specific first, so that
// "gpt-4o-" is seen before "gpt-4-"). Only the encodings this library implements appear.
constexpr std::array<std::pair<std::string_view, EncodingName>, 16> kExact{{
    {"gpt-5", kO200k},
    {"gpt-4.1", kO200k},
    {"gpt-4o", kO200k},
    {"o1", kO200k},
    {"o3", kO200k},
    {"o4-mini", kO200k},
    {"chatgpt-4o-latest", kO200k},
    {"gpt-4", kCl100k},
    {"gpt-3.5-turbo", kCl100k},
    {"gpt-3.5", kCl100k},
    {"gpt-35-turbo", kCl100k},
    {"davinci-002", kCl100k},
    {"babbage-002", kCl100k},
    {"text-embedding-ada-002", kCl100k},
    {"text-embedding-3-small", kCl100k},
    {"text-embedding-3-large", kCl100k},
}};

constexpr std::array<std::pair<std::string_view, EncodingName>, 11> kPrefixes{{
    {"o1-", kO200k},
    {"o3-", kO200k},
    {"o4-mini-", kO200k},
    {"gpt-5-", kO200k},
    {"gpt-4.5-", kO200k},
    {"gpt-4.1-", kO200k},
    {"chatgpt-4o-", kO200k},
    {"gpt-4o-", kO200k},
    {"gpt-4-", kCl100k},
    {"gpt-3.5-turbo-", kCl100k},
    {"gpt-35-turbo-", kCl100k},
}};

}  // namespace

std::optional<EncodingName> encodingForModel(std::string_view model) {
  // Fine-tuned models are named "ft:<base model>:<org>:<suffix>:<id>".
  if (model.starts_with("ft:")) {
    model.remove_prefix(3);
    model = model.substr(0, model.find(':'));
  }
  for (const auto& [name, encoding] : kExact) {
    if (model == name) return encoding;
  }
  for (const auto& [prefix, encoding] : kPrefixes) {
    if (model.starts_with(prefix)) return encoding;
  }
  return std::nullopt;
}

}  // namespace ajuste
