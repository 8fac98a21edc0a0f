#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "ajuste/stage.hpp"
#include "connection.hpp"
#include "file_uploader.hpp"

namespace ajuste::provider {

// upload/<provider>: puts the split's training (and validation) file on the provider, once.
// Consumes train_file, valid_file; publishes training_file_id, validation_file_id (null without
// a validation file) and `provider` (the connection without its secret). See FileUploader for
// the ledger and adoption rules.
class UploadStage final : public ArtifactStage {
 public:
  UploadStage(Endpoint endpoint, UploadSettings settings);
  [[nodiscard]] Status run(Context& ctx) override;

  // For a provider plugin's StageInfo: the options (with its connection options) are checked
  // by the runner first; `resolve` is called here, so a missing endpoint is a located config error.
  static Result<std::unique_ptr<Stage>> make(const nlohmann::json& with, ResolveEndpoint resolve);

 private:
  const Endpoint endpoint_;
  const UploadSettings settings_;
};

}  // namespace ajuste::provider
