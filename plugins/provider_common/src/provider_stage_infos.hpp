#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "connection.hpp"
#include "finetune_stage.hpp"
#include "monitor_stage.hpp"
#include "upload_stage.hpp"

namespace ajuste::provider {

// What a provider plugin says about one of the shared stages. The rest of the StageInfo (kind,
// the artifacts it consumes and produces, the factory) belongs to the stage, the same for every
// provider, so it is written once here: an artifact added to a stage reaches every provider.
struct ProviderStageText {
  std::string name;            // "upload/azure"
  std::string summary;         // provider-specific: which API, what it does differently
  std::string options_schema;  // composeSchema(connection properties, stage properties, ...)
};

// An artifacts stage's StageInfo: the provider's text, the stage's artifacts and factory.
inline StageInfo providerStageInfo(ProviderStageText text, std::vector<std::string> consumes,
                                   std::vector<std::string> produces, StageFactory make) {
  return StageInfo{
      .name = std::move(text.name),
      .kind = StageKind::kArtifacts,
      .summary = std::move(text.summary),
      .options_schema = std::move(text.options_schema),
      .consumes = std::move(consumes),
      .produces = std::move(produces),
      .parallel = false,
      .make = make,
  };
}

// The StageInfo of upload/<provider>, finetune/<provider> and monitor/<provider> for the
// provider whose options `kResolve` turns into an Endpoint.
template <ResolveEndpoint kResolve>
StageInfo uploadStageInfo(ProviderStageText text) {
  return providerStageInfo(std::move(text), {artifacts::kTrainFile, artifacts::kValidFile},
                           {artifacts::kTrainingFileId, artifacts::kValidationFileId, artifacts::kProvider},
                           [](const nlohmann::json& with, Context&) { return UploadStage::make(with, kResolve); });
}

template <ResolveEndpoint kResolve>
StageInfo finetuneStageInfo(ProviderStageText text) {
  return providerStageInfo(std::move(text),
                           {artifacts::kTrainFile, artifacts::kValidFile, artifacts::kTrainingFileId,
                            artifacts::kValidationFileId, artifacts::kProvider},
                           {artifacts::kJobId},
                           [](const nlohmann::json& with, Context&) { return FinetuneStage::make(with, kResolve); });
}

template <ResolveEndpoint kResolve>
StageInfo monitorStageInfo(ProviderStageText text) {
  return providerStageInfo(
      std::move(text), monitorConsumes(),
      {artifacts::kFineTunedModel, artifacts::kCheckpoints, artifacts::kMetricsFile},
      [](const nlohmann::json& with, Context& ctx) { return MonitorStage::make(with, ctx, kResolve); });
}

}  // namespace ajuste::provider
