#include "options.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

namespace ajuste::validate_openai {
namespace {

constexpr std::string_view kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["model"],
  "properties": {
    "model": {
      "type": "string",
      "minLength": 1,
      "description": "The base model to fine-tune: a catalogue id (gpt-4o-mini-2024-07-18), a name without the snapshot (gpt-4o-mini: the latest snapshot in the catalogue) or a fine-tuned name (ft:gpt-4o-mini-2024-07-18:org::id, checked as its base). Sets the tokenizer, the token limit per example, the minimum number of examples and the price."
    },
    "provider": {
      "enum": ["openai", "azure"],
      "default": "openai",
      "description": "Where the job runs: openai (self-serve fine-tuning ends for new jobs after 2027-01-06) or azure (Azure OpenAI / Foundry: vision on gpt-4.1, hosting fee per hour). Decides retirement dates, vision support and cost notes."
    },
    "method": {
      "enum": ["supervised", "dpo"],
      "default": "supervised",
      "description": "Training method: supervised (chat examples, or prompt/completion for babbage-002/davinci-002) or dpo (preference examples with input, preferred_output, non_preferred_output)."
    },
    "format": {
      "enum": ["auto", "chat", "preference", "completion"],
      "default": "auto",
      "description": "The format every example must have. auto takes the one the model and method train on; naming it only adds a check that it is the expected one."
    },
    "over_long": {
      "enum": ["reject", "keep", "drop"],
      "default": "reject",
      "description": "Examples with more tokens than the model's limit per example: reject them (kind over_long), drop them (a reject that says it was the requested fix), or keep them with a warning (OpenAI truncates them; billed tokens are clipped to the limit)."
    },
    "n_epochs": {
      "oneOf": [
        {"const": "auto"},
        {"type": "integer", "minimum": 1, "maximum": 50}
      ],
      "default": "auto",
      "description": "Epochs for the billed-token estimate: auto applies OpenAI's rule (3, raised so there are at least 100 example passes and lowered so there are at most 25,000, within 1 to 25), or a fixed number as given to the job."
    },
    "catalogue": {
      "type": "string",
      "minLength": 1,
      "description": "A YAML file that overrides or extends the built-in model catalogue and pricing table (same format as plugins/model_catalogue/catalogue/models.yaml): a known model id replaces only the fields given, a new id adds a model. Relative to the pipeline file."
    },
    "max_cost": {
      "type": "number",
      "exclusiveMinimum": 0,
      "description": "Budget in USD for the training job. stats/openai ends the run with the over-budget exit code when the estimated training cost (billed tokens x the model's training price) is above it, before anything is uploaded."
    },
    "fail_on": {
      "type": "array",
      "uniqueItems": true,
      "default": [],
      "items": {"enum": ["all_warnings", "few_examples", "classification_without_validation", "inconsistent_system_prompts", "missing_user_message", "duplicate_examples", "model_retiring", "over_long_kept", "file_too_large", "untrained_examples", "deprecated_functions", "undeclared_tools", "long_prompt_suffix", "missing_prompt_separator", "long_prompt_prefix", "common_completion_prefix", "long_completion_suffix", "missing_stop_sequence", "completion_leading_space", "uppercase_text"]},
      "description": "Warning kinds of stats/openai to treat as errors (they then fail the run's gate), or all_warnings."
    },
    "fixes": {
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "description": "prepare_data's remedies, applied by validate/openai only when asked for (before tokens are counted). Legacy-only fixes are refused for chat and preference data.",
      "properties": {
        "strip_leading_whitespace": {"type": "boolean", "default": false, "description": "Remove leading whitespace from every string content of chat and preference messages, and from legacy prompts. A content that becomes empty is then rejected as empty_content."},
        "lowercase": {"type": "boolean", "default": false, "description": "Legacy data: lowercase the ASCII letters of prompt and completion (prepare_data offers this when more than a third of the letters are uppercase; stats/openai reports uppercase_text)."},
        "completion_leading_space": {"type": "boolean", "default": false, "description": "Legacy data: prepend a space to every completion that does not start with one, as prepare_data recommends for tokenization."},
        "prompt_separator": {"type": "string", "minLength": 1, "description": "Legacy data: append this separator to every prompt that does not already end with it (stats/openai suggests one that appears in no prompt, e.g. \"\\n\\n###\\n\\n\")."},
        "completion_stop": {"type": "string", "minLength": 1, "description": "Legacy data: append this stop sequence to every completion that does not already end with it (stats/openai suggests one, e.g. \" END\"); use it as the stop sequence at inference."}
      }
    },
    "today": {
      "type": "string",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
      "description": "The date (YYYY-MM-DD) retirement checks compare with; default: today's UTC date from the system clock. Set it for reproducible reports."
    }
  }
})json";

Result<std::shared_ptr<const Catalogue>> loadCatalogue(const nlohmann::json& with, Context& ctx) {
  return model_catalogue::loadCatalogue(
      with.contains("catalogue") ? std::optional<std::string>(with.at("catalogue").get<std::string>()) : std::nullopt,
      ctx, "/catalogue");
}

std::string list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? std::string("none") : out;
}

}  // namespace

const std::vector<std::string_view>& warningKinds() {
  static const std::vector<std::string_view> kKinds = {
      "few_examples",          "classification_without_validation", "inconsistent_system_prompts",
      "missing_user_message",  "duplicate_examples",                "model_retiring",
      "over_long_kept",        "file_too_large",                    "untrained_examples",
      "deprecated_functions",  "undeclared_tools",                  "long_prompt_suffix",
      "missing_prompt_separator", "long_prompt_prefix",             "common_completion_prefix",
      "long_completion_suffix", "missing_stop_sequence",            "completion_leading_space",
      "uppercase_text"};
  return kKinds;
}

std::string_view optionsSchema() { return kSchema; }

Result<OpenAIOptions> parseOptions(const nlohmann::json& with, Context& ctx) {
  OpenAIOptions options;
  auto catalogue = loadCatalogue(with, ctx);
  if (!catalogue.ok()) return catalogue.error();
  options.catalogue = std::move(catalogue).value();
  options.model_name = with.at("model").get<std::string>();
  auto model = options.catalogue->resolve(options.model_name);
  if (!model.ok()) return model.error();
  options.model = *model;
  options.provider = with.value("provider", std::string("openai"));
  options.method = with.value("method", std::string("supervised"));

  const ModelInfo& m = *options.model;
  if (std::find(m.providers.begin(), m.providers.end(), options.provider) == m.providers.end()) {
    return Status::configError("/provider", m.id + " is not fine-tunable on " + options.provider +
                                                " (providers in the catalogue: " + list(m.providers) + ")");
  }
  if (options.method == "dpo") {
    options.format = Format::kPreference;
  } else {
    options.format = !m.hasFormat("chat") && m.hasFormat("completion") ? Format::kCompletion : Format::kChat;
  }
  if (const std::string format = with.value("format", std::string("auto")); format != "auto") {
    if (format != toString(options.format)) {
      return Status::configError("/format", "format " + format + " does not match this run: " + m.id + " with method " +
                                                options.method + " trains on " + std::string(toString(options.format)) +
                                                " examples; remove format or change model or method");
    }
  }

  if (const auto& over_long = with.value("over_long", std::string("reject")); over_long == "keep") {
    options.over_long = OverLong::kKeep;
  } else if (over_long == "drop") {
    options.over_long = OverLong::kDrop;
  }
  if (const auto epochs = with.find("n_epochs"); epochs != with.end() && epochs->is_number()) {
    options.n_epochs = epochs->get<std::uint32_t>();
  }
  if (const auto cost = with.find("max_cost"); cost != with.end()) {
    options.max_cost = cost->get<double>();
    if (!m.training_per_1m) {
      return Status::configError("/max_cost", "max_cost needs a training price, but the catalogue has none for " + m.id +
                                                  "; add training_per_1m for it in a catalogue file (option catalogue)");
    }
  }
  for (const auto& kind : with.value("fail_on", nlohmann::json::array())) {
    if (kind == "all_warnings") {
      options.fail_on_all_warnings = true;
    } else {
      options.fail_on.push_back(kind.get<std::string>());
    }
  }
  if (const auto fixes = with.find("fixes"); fixes != with.end()) {
    options.fixes.strip_leading_whitespace = fixes->value("strip_leading_whitespace", false);
    options.fixes.lowercase = fixes->value("lowercase", false);
    options.fixes.completion_leading_space = fixes->value("completion_leading_space", false);
    options.fixes.prompt_separator = fixes->value("prompt_separator", std::string());
    options.fixes.completion_stop = fixes->value("completion_stop", std::string());
    if (options.format != Format::kCompletion) {
      for (const char* legacy : {"lowercase", "completion_leading_space", "prompt_separator", "completion_stop"}) {
        const auto value = fixes->find(legacy);
        if (value != fixes->end() && *value != false) {
          return Status::configError(std::string("/fixes/") + legacy,
                                     std::string(legacy) + " fixes legacy prompt/completion data, but this run trains " +
                                         m.id + " on " + std::string(toString(options.format)) + " examples");
        }
      }
    }
  }
  if (const auto today = with.find("today"); today != with.end()) {
    options.today = parseDate(today->get<std::string>());
    if (!options.today) return Status::configError("/today", "\"" + today->get<std::string>() + "\" is not a valid date");
  }
  return options;
}

}  // namespace ajuste::validate_openai
