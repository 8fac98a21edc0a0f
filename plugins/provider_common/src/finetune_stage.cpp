#include "finetune_stage.hpp"

#include <utility>

#include "api_client.hpp"
#include "job_starter.hpp"
#include "ledger.hpp"
#include "local_file.hpp"

namespace ajuste::provider {
namespace {

Result<std::string> fileIdArtifact(Context& ctx, const char* name, bool required) {
  const auto artifact = ctx.artifact(name);
  if (artifact && artifact->is_string() && !artifact->get<std::string>().empty()) return artifact->get<std::string>();
  if (!required && (!artifact || artifact->is_null())) return std::string();
  return Status::dataError("artifact '" + std::string(name) + "' should hold a file id, got " +
                           (artifact ? artifact->dump() : std::string("nothing")) +
                           "; put an upload stage before this one");
}

}  // namespace

FinetuneStage::FinetuneStage(JobOptions options, nlohmann::json with, ResolveEndpoint resolve)
    : options_(std::move(options)), with_(std::move(with)), resolve_(resolve) {}

Result<std::unique_ptr<Stage>> FinetuneStage::make(const nlohmann::json& with, ResolveEndpoint resolve) {
  auto options = parseJobOptions(with);
  if (!options.ok()) return options.error();
  return std::unique_ptr<Stage>(std::make_unique<FinetuneStage>(std::move(options).value(), with, resolve));
}

Status FinetuneStage::run(Context& ctx) {
  auto endpoint = resolveFromArtifact(ctx, with_, resolve_);
  if (!endpoint.ok()) return endpoint.error();
  JobInputs inputs;
  auto training_id = fileIdArtifact(ctx, artifacts::kTrainingFileId, true);
  if (!training_id.ok()) return training_id.error();
  auto validation_id = fileIdArtifact(ctx, artifacts::kValidationFileId, false);
  if (!validation_id.ok()) return validation_id.error();
  inputs.training_file_id = *training_id;
  if (!validation_id->empty()) inputs.validation_file_id = *validation_id;

  // The key hashes the contents, not the ids: the same data re-uploaded elsewhere is the same job.
  auto train = fileArtifact(ctx, artifacts::kTrainFile);
  if (!train.ok()) return train.error();
  if (!*train) return Status::dataError("artifact train_file is absent or empty; cannot identify the training data");
  inputs.training_sha256 = (*train)->sha256;
  if (inputs.validation_file_id) {
    auto valid = fileArtifact(ctx, artifacts::kValidFile);
    if (!valid.ok()) return valid.error();
    if (*valid) inputs.validation_sha256 = (*valid)->sha256;
  }

  auto api = connect(ctx, *endpoint);
  if (!api.ok()) return api.error();
  Ledger ledger(ctx, "jobs");
  JobStarter starter(**api, ledger);
  auto job = starter.start(options_, inputs);
  if (!job.ok()) return job.error();
  if (Status published = ctx.publish(artifacts::kJobId, job->job_id); !published.isOk()) return published;
  ctx.info("fine-tuning job " + job->job_id + " (" + job->how + ", " + (job->status.empty() ? "?" : job->status) +
           ") on the " + endpoint->describe());
  ctx.report("fine_tuning", {{"job_id", job->job_id},
                             {"how", job->how},
                             {"status", job->status},
                             {"ajuste_key", job->key},
                             {"model", options_.model},
                             {"method", options_.method},
                             {"new_job", options_.new_job}});
  return Status::ok();
}

}  // namespace ajuste::provider
