#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/context.hpp"
#include "ajuste/status.hpp"

#include "model_catalogue/catalogue.hpp"
#include "record_checks.hpp"

namespace ajuste::validate_openai {

// The catalogue moved to plugins/model_catalogue (evaluate/score prices requests from it too).
using model_catalogue::Catalogue;
using model_catalogue::formatDate;
using model_catalogue::ModelInfo;
using model_catalogue::parseDate;
using model_catalogue::Pricing;
using model_catalogue::ProviderInfo;

enum class OverLong { kReject, kKeep, kDrop };

// prepare_data's remedies, each opt-in. Legacy-only fixes are refused for other formats.
struct Fixes {
  bool strip_leading_whitespace = false;  // chat contents, legacy prompts: drop leading whitespace
  bool lowercase = false;                 // legacy: lowercase ASCII letters of prompt and completion
  bool completion_leading_space = false;  // legacy: prepend a space to completions without one
  std::string prompt_separator;           // legacy: appended to prompts that do not end with it
  std::string completion_stop;            // legacy: appended to completions that do not end with it
  [[nodiscard]] bool any() const {
    return strip_leading_whitespace || lowercase || completion_leading_space || !prompt_separator.empty() ||
           !completion_stop.empty();
  }
};

// The options of validate/openai and stats/openai. Both stages take the same block (one YAML
// anchor can configure both); each uses what it needs. Parsed once by the factory.
struct OpenAIOptions {
  std::shared_ptr<const Catalogue> catalogue;
  const ModelInfo* model = nullptr;  // points into *catalogue
  std::string model_name;            // as the user wrote it
  std::string provider = "openai";
  std::string method = "supervised";
  Format format = Format::kChat;     // the one format the model and method train on
  std::optional<std::uint32_t> n_epochs;  // nullopt: OpenAI's automatic rule
  std::optional<double> max_cost;         // USD
  std::vector<std::string> fail_on;       // warning kinds promoted to errors
  bool fail_on_all_warnings = false;
  OverLong over_long = OverLong::kReject;
  Fixes fixes;
  std::optional<std::chrono::sys_days> today;  // nullopt: the system clock's UTC date
  std::uint32_t label_bytes = 64;               // final answers up to this size are labels
};

// Every warning kind stats/openai can report (the values `fail_on` accepts, with all_warnings).
const std::vector<std::string_view>& warningKinds();

std::string_view optionsSchema();

// Reads the (schema-checked, defaulted) `with:` block: loads the catalogue and the user's
// override, resolves the model, and checks what a schema cannot say.
Result<OpenAIOptions> parseOptions(const nlohmann::json& with, Context& ctx);

}  // namespace ajuste::validate_openai
