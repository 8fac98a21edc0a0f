#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "ajuste/stage.hpp"
#include "connection.hpp"
#include "job_request.hpp"

namespace ajuste::provider {

// finetune/<provider>: starts the fine-tuning job, once (see JobStarter), and publishes its id
// as `job_id` the moment it is known (the ledger has it before that). It does not wait: the
// monitor stage follows the job.
// Consumes train_file and valid_file (their content hashes make the job's ajuste_key),
// training_file_id, validation_file_id and provider.
class FinetuneStage final : public ArtifactStage {
 public:
  FinetuneStage(JobOptions options, nlohmann::json with, ResolveEndpoint resolve);
  [[nodiscard]] Status run(Context& ctx) override;

  static Result<std::unique_ptr<Stage>> make(const nlohmann::json& with, ResolveEndpoint resolve);

 private:
  const JobOptions options_;
  const nlohmann::json with_;  // the connection options, resolved against the provider artifact at run time
  const ResolveEndpoint resolve_;
};

}  // namespace ajuste::provider
