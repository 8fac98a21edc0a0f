#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/context.hpp"
#include "ajuste/status.hpp"
#include "ajuste/tokenizer/encoding.hpp"

namespace ajuste::model_catalogue {

// "2027-01-06" -> that day; nullopt unless the text is a valid ISO calendar date.
std::optional<std::chrono::sys_days> parseDate(std::string_view text);
std::string formatDate(std::chrono::sys_days day);

// One fine-tunable base model, as the catalogue YAML describes it.
struct ModelInfo {
  std::string id;        // "gpt-4o-mini-2024-07-18"
  std::string released;  // ISO date; picks the latest snapshot for an alias
  EncodingName encoding = EncodingName::kO200kBase;
  std::uint32_t context = 0;       // max tokens per training example
  std::uint32_t min_examples = 10;  // the service refuses smaller training files
  std::vector<std::string> formats;    // chat, preference, completion
  std::vector<std::string> methods;    // supervised, dpo, rft
  std::vector<std::string> vision;     // providers where image inputs can be trained
  std::vector<std::string> providers;  // openai, azure
  std::optional<double> training_per_1m;
  std::optional<double> training_per_hour;
  std::optional<double> input_per_1m;
  std::optional<double> cached_input_per_1m;
  std::optional<double> output_per_1m;
  std::map<std::string, std::string> shutdown;  // provider -> ISO date the base model stops working

  // "gpt-4o-mini" for "gpt-4o-mini-2024-07-18", "gpt-3.5-turbo" for "gpt-3.5-turbo-0125";
  // empty when the id has no snapshot suffix.
  [[nodiscard]] std::string alias() const;
  [[nodiscard]] bool hasMethod(std::string_view method) const;
  [[nodiscard]] bool hasFormat(std::string_view format) const;
  [[nodiscard]] bool hasVision(std::string_view provider) const;
};

struct ProviderInfo {
  std::string name;
  std::optional<std::string> new_jobs_until;  // ISO date: no new fine-tuning jobs after it
  std::optional<double> hosting_per_hour;     // USD per hour per deployed fine-tuned model
  std::uint64_t max_file_bytes = 0;           // 0 = unknown
  std::string source;
};

struct Pricing {
  std::string currency = "USD";
  std::string as_of;
  std::string source;
};

// The model catalogue and pricing table: the built-in one (embedded from
// catalogue/models.yaml) optionally overridden by a user file.
// Threads: immutable after construction; share freely.
class Catalogue {
 public:
  // The embedded catalogue, parsed once; a failure here is a build bug (the tests parse it).
  static Result<std::shared_ptr<const Catalogue>> builtIn();
  // Parses `yaml` (named `origin` in messages, "file:line:column: ..."). With `base`, the text
  // overrides it: a known model id replaces only the fields given, a new id adds a model,
  // `pricing` and `providers` fields replace the base's one by one.
  static Result<Catalogue> parse(std::string_view yaml, std::string_view origin, const Catalogue* base);

  // Exact id; or an alias without the snapshot ("gpt-4o-mini" -> the latest released snapshot
  // in the catalogue); or a fine-tuned name, OpenAI's "ft:<base>:org:suffix:id" or Azure's
  // "<base>.ft-<id>" (its base). The error message lists the known models and suggests the
  // nearest name.
  [[nodiscard]] Result<const ModelInfo*> resolve(std::string_view name) const;

  [[nodiscard]] const std::vector<ModelInfo>& models() const { return models_; }
  [[nodiscard]] const ProviderInfo* provider(std::string_view name) const;
  [[nodiscard]] const Pricing& pricing() const { return pricing_; }
  [[nodiscard]] const std::string& asOf() const { return as_of_; }

 private:
  std::string as_of_;
  Pricing pricing_;
  std::vector<ProviderInfo> providers_;
  std::vector<ModelInfo> models_;
};

// The built-in catalogue, overridden by `file` when given (resolved with ctx.resolvePath, i.e.
// relative to the pipeline file). An unreadable or invalid file is a config error at `pointer`.
Result<std::shared_ptr<const Catalogue>> loadCatalogue(const std::optional<std::string>& file, Context& ctx,
                                                       const std::string& pointer);

// The text of catalogue/models.yaml, embedded at build time (generated source).
std::string_view builtInCatalogueText();

}  // namespace ajuste::model_catalogue
