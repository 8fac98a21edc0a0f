#pragma once

#include <nlohmann/json.hpp>

#include "ajuste/context.hpp"
#include "ajuste/status.hpp"
#include "endpoint.hpp"

namespace ajuste::provider {

// How a provider plugin turns a stage's options into an Endpoint. `artifact` is the `provider`
// artifact an upload stage published (nullptr for the upload stage itself): options the stage
// sets override it, the others come from it, so the later stages need no options repeated.
// Errors are config errors naming the option (JSON pointer).
using ResolveEndpoint = Result<Endpoint> (*)(const nlohmann::json& with, const nlohmann::json* artifact);

// For the stages after upload: reads the `provider` artifact and resolves with it.
inline Result<Endpoint> resolveFromArtifact(Context& ctx, const nlohmann::json& with, ResolveEndpoint resolve) {
  const auto artifact = ctx.artifact("provider");
  return resolve(with, artifact ? &*artifact : nullptr);
}

// The artifact names the provider stages share.
namespace artifacts {
inline constexpr const char* kTrainFile = "train_file";
inline constexpr const char* kValidFile = "valid_file";
inline constexpr const char* kTrainingFileId = "training_file_id";
inline constexpr const char* kValidationFileId = "validation_file_id";
inline constexpr const char* kProvider = "provider";
inline constexpr const char* kJobId = "job_id";
inline constexpr const char* kFineTunedModel = "fine_tuned_model";
inline constexpr const char* kCheckpoints = "checkpoints";
inline constexpr const char* kMetricsFile = "metrics_file";
inline constexpr const char* kTrainingEstimate = "training_estimate";
}  // namespace artifacts

}  // namespace ajuste::provider
