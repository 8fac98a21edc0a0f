#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ajuste::validate_openai {

// A dataset-level finding of stats/openai: {"severity": "error|warning|info", "kind", "message"}.
struct Finding {
  Finding(std::string severity_, std::string kind_, std::string message_)
      : severity(std::move(severity_)), kind(std::move(kind_)), message(std::move(message_)) {}

  std::string severity;  // "error", "warning" or "info"
  std::string kind;      // stable key (docs/validation.md lists them all)
  std::string message;   // what was found, why it matters, how to fix it
  bool promoted = false;  // a warning turned into an error by fail_on
};

nlohmann::json toJson(const std::vector<Finding>& findings);

}  // namespace ajuste::validate_openai
