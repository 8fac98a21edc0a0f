#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <ajuste/status.hpp>

namespace example {

// One line of evaluate/chat's predictions file (plugins/evaluate_score/README.md, "Input").
struct Prediction {
  std::uint64_t line = 0;  // 1-based, for messages
  std::string approach;    // "base_prompt" or "fine_tuned"
  std::string model;       // "" when the line does not say
  std::string expected;
  std::optional<std::string> output;  // none when the request failed
};

// Calls `each` for every non-blank line, in file order, and stops at the first line that does
// not fit the format with a data error "PATH:LINE: what is wrong" (or at the first error `each`
// returns). An unreadable file is an I/O error naming it.
ajuste::Status readPredictions(const std::string& path, const std::function<ajuste::Status(const Prediction&)>& each);

}  // namespace example
