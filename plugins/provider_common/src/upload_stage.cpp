#include "upload_stage.hpp"

#include <cmath>
#include <utility>

#include "api_client.hpp"
#include "ledger.hpp"
#include "local_file.hpp"

namespace ajuste::provider {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

std::chrono::milliseconds seconds(const nlohmann::json& with, const char* key, double fallback) {
  return std::chrono::milliseconds(std::llround(with.value(key, fallback) * 1000.0));
}

nlohmann::json fileReport(const LocalFile& file, const UploadedFile& uploaded) {
  return {{"path", file.path.string()},
          {"name", file.upload_name},
          {"bytes", file.bytes},
          {"sha256", file.sha256},
          {"file_id", uploaded.file_id},
          {"how", uploaded.how},
          {"via", uploaded.via.empty() ? nlohmann::json(nullptr) : nlohmann::json(uploaded.via)}};
}

}  // namespace

UploadStage::UploadStage(Endpoint endpoint, UploadSettings settings)
    : endpoint_(std::move(endpoint)), settings_(std::move(settings)) {}

Result<std::unique_ptr<Stage>> UploadStage::make(const nlohmann::json& with, ResolveEndpoint resolve) {
  auto endpoint = resolve(with, nullptr);
  if (!endpoint.ok()) return endpoint.error();
  UploadSettings settings;
  settings.multipart_threshold_bytes =
      static_cast<std::uint64_t>(std::llround(with.value("multipart_threshold_mb", 100.0) * kMiB));
  settings.part_size_bytes = static_cast<std::uint64_t>(std::llround(with.value("part_size_mb", 64.0) * kMiB));
  if (settings.part_size_bytes == 0) {
    return Status::configError("/part_size_mb", "is below one byte; give at least 0.000001 (and normally 5 or more)");
  }
  settings.processing.interval = seconds(with, "poll_interval_s", 5);
  settings.processing.timeout = seconds(with, "processing_timeout_s", 7200);
  return std::unique_ptr<Stage>(std::make_unique<UploadStage>(std::move(endpoint).value(), settings));
}

Status UploadStage::run(Context& ctx) {
  auto train = fileArtifact(ctx, artifacts::kTrainFile);
  if (!train.ok()) return train.error();
  if (!*train) {
    return Status::dataError(
        "there is no training file to upload: artifact train_file is absent or names an empty "
        "file; put a split stage such as split/random before this one");
  }
  auto valid = fileArtifact(ctx, artifacts::kValidFile);
  if (!valid.ok()) return valid.error();

  auto api = connect(ctx, endpoint_);
  if (!api.ok()) return api.error();
  ctx.info("uploading to the " + endpoint_.describe());
  Ledger ledger(ctx, "files");
  FileUploader uploader(**api, ledger, settings_);

  nlohmann::json report = nlohmann::json::object();
  auto train_uploaded = uploader.upload(**train, "training file");
  if (!train_uploaded.ok()) return train_uploaded.error();
  report["train"] = fileReport(**train, *train_uploaded);
  nlohmann::json valid_id = nullptr;
  if (*valid) {
    auto valid_uploaded = uploader.upload(**valid, "validation file");
    if (!valid_uploaded.ok()) return valid_uploaded.error();
    report["valid"] = fileReport(**valid, *valid_uploaded);
    valid_id = valid_uploaded->file_id;
  } else {
    ctx.info("no validation file (artifact valid_file is absent or empty): the job trains without one");
  }
  report["provider"] = endpoint_.toArtifact();
  ctx.report("uploads", report);

  for (auto [name, value] :
       {std::pair{artifacts::kTrainingFileId, nlohmann::json(train_uploaded->file_id)},
        std::pair{artifacts::kValidationFileId, valid_id}, std::pair{artifacts::kProvider, endpoint_.toArtifact()}}) {
    if (Status published = ctx.publish(name, value); !published.isOk()) return published;
  }
  return Status::ok();
}

}  // namespace ajuste::provider
