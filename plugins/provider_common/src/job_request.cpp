#include "job_request.hpp"

#include "hashing/sha256.hpp"

namespace ajuste::provider {
namespace {

constexpr std::size_t kSuffixTagDigits = 12;

nlohmann::json hyperparameters(const JobOptions& options, bool numbers_only) {
  nlohmann::json out = nlohmann::json::object();
  const auto add = [&](const char* name, const nlohmann::json& value) {
    if (numbers_only && !value.is_number()) return;
    out[name] = value;
  };
  add("n_epochs", options.n_epochs);
  add("batch_size", options.batch_size);
  add("learning_rate_multiplier", options.learning_rate_multiplier);
  if (options.method == "dpo") add("beta", options.beta);
  return out;
}

}  // namespace

Result<JobOptions> parseJobOptions(const nlohmann::json& with) {
  JobOptions options;
  options.model = with.at("model").get<std::string>();
  options.suffix = with.value("suffix", std::string());
  if (with.contains("seed")) options.seed = with.at("seed").get<std::int64_t>();
  options.method = with.value("method", std::string("supervised"));
  for (auto [name, slot] :
       {std::pair{"n_epochs", &options.n_epochs}, std::pair{"batch_size", &options.batch_size},
        std::pair{"learning_rate_multiplier", &options.learning_rate_multiplier}, std::pair{"beta", &options.beta}}) {
    if (with.contains(name)) *slot = with.at(name);
  }
  options.new_job = with.value("new_job", false);
  if (options.method != "dpo" && with.contains("beta") && with.at("beta") != "auto") {
    return Status::configError("/beta", "beta applies to method dpo only; remove it or set method: dpo");
  }
  return options;
}

std::string ajusteKey(const JobOptions& options, const JobInputs& inputs) {
  const nlohmann::json identity = {
      {"training", inputs.training_sha256},
      {"validation", inputs.validation_sha256},
      {"model", options.model},
      {"method", options.method},
      {"hyperparameters", hyperparameters(options, false)},
      {"seed", options.seed ? nlohmann::json(*options.seed) : nlohmann::json(nullptr)},
  };
  return hashing::sha256Hex(identity.dump());  // dump() sorts keys: the text is canonical
}

JobTag jobTag(const Endpoint& endpoint, const std::string& key) {
  return JobTag{key, "aj" + key.substr(0, kSuffixTagDigits), !endpoint.azureDated()};
}

Result<nlohmann::json> jobRequestBody(const JobOptions& options, const JobInputs& inputs, const Endpoint& endpoint,
                                      const JobTag& tag) {
  nlohmann::json body = {{"model", options.model}, {"training_file", inputs.training_file_id}};
  if (inputs.validation_file_id) body["validation_file"] = *inputs.validation_file_id;
  if (options.seed) body["seed"] = *options.seed;
  if (!endpoint.azureDated()) {
    if (!options.suffix.empty()) body["suffix"] = options.suffix;
    body["metadata"] = {{"ajuste_key", tag.key}};
    body["method"] = {{"type", options.method},
                      {options.method, {{"hyperparameters", hyperparameters(options, false)}}}};
    return body;
  }
  const std::size_t room = kAzureSuffixLimit - tag.suffix_tag.size() - 1;
  if (options.suffix.size() > room) {
    return Status::configError(
        "/suffix", "Azure's dated API caps the suffix at " + std::to_string(kAzureSuffixLimit) +
                       " characters and ajuste adds a " + std::to_string(tag.suffix_tag.size() + 1) +
                       "-character tag to recognise the job, so keep it to " + std::to_string(room) +
                       " characters; got " + std::to_string(options.suffix.size()) + " ('" + options.suffix + "')");
  }
  body["suffix"] = options.suffix.empty() ? tag.suffix_tag : options.suffix + "-" + tag.suffix_tag;
  const nlohmann::json numbers = hyperparameters(options, true);
  if (options.method == "dpo") {
    if (!endpoint.api_version.ends_with("-preview")) {
      return Status::configError("/method",
                                 "DPO on Azure OpenAI needs a preview api_version (e.g. 2025-04-01-preview) "
                                 "or api_version: v1; " +
                                     endpoint.api_version + " has supervised only");
    }
    body["method"] = {{"type", "dpo"}, {"dpo", {{"hyperparameters", numbers}}}};
  } else if (!numbers.empty()) {
    body["hyperparameters"] = numbers;
  }
  return body;
}

}  // namespace ajuste::provider
