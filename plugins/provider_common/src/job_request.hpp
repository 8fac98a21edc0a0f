#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ajuste/status.hpp"
#include "endpoint.hpp"
#include "provider_search.hpp"

namespace ajuste::provider {

// What the user asked of a fine-tuning job (the finetune stage's options, parsed once).
// Hyperparameters hold "auto" or a number, exactly as given.
struct JobOptions {
  std::string model;
  std::string suffix;  // "" = none
  std::optional<std::int64_t> seed;
  std::string method = "supervised";  // "supervised" | "dpo"
  nlohmann::json n_epochs = "auto";
  nlohmann::json batch_size = "auto";
  nlohmann::json learning_rate_multiplier = "auto";
  nlohmann::json beta = "auto";  // dpo only
  bool new_job = false;
};

// Reads the checked options; refuses what a schema cannot say (beta without dpo).
Result<JobOptions> parseJobOptions(const nlohmann::json& with);

// The uploaded files a job trains on, with the hashes of their contents.
struct JobInputs {
  std::string training_file_id;
  std::string training_sha256;
  std::optional<std::string> validation_file_id;
  std::string validation_sha256;  // "" without a validation file
};

// sha256 over the training and validation contents, the model, the method, the
// hyperparameters and the seed: the same data and settings give the same key on every machine,
// so a job carrying it can be recognised on the provider.
std::string ajusteKey(const JobOptions& options, const JobInputs& inputs);

// Metadata where the API has it; a suffix tag "aj<12 hex>" on Azure's dated API.
JobTag jobTag(const Endpoint& endpoint, const std::string& key);

// The body of POST /fine_tuning/jobs for this endpoint. OpenAI and Azure v1: `method` with the
// hyperparameters as given ("auto" included) and metadata {"ajuste_key"}. Azure dated: no
// metadata (the tag goes at the end of the suffix, which Azure caps at 40 characters), numbers
// only ("auto" is left out, so the service picks), supervised hyperparameters at the top level
// as 2024-10-21 documents them, and DPO only with a preview api-version.
Result<nlohmann::json> jobRequestBody(const JobOptions& options, const JobInputs& inputs, const Endpoint& endpoint,
                                      const JobTag& tag);

inline constexpr std::size_t kAzureSuffixLimit = 40;

}  // namespace ajuste::provider
