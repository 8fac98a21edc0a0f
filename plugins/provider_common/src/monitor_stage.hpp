#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ajuste/stage.hpp"
#include "connection.hpp"
#include "job_monitor.hpp"

namespace ajuste::provider {

// monitor/<provider>: follows the job to its end (JobMonitor), then on success downloads the
// per-step metrics CSV into the run folder, lists the checkpoints and publishes
// fine_tuned_model, checkpoints and metrics_file. Reports `job` and `metrics` (the contract the
// HTML report reads; see job_report.hpp and metrics_csv.hpp), also when the job failed, was
// cancelled or the run was interrupted.
// A failed or cancelled job is Status::providerError with the provider's code, message and param.
class MonitorStage final : public ArtifactStage {
 public:
  MonitorStage(MonitorSettings settings, std::optional<std::filesystem::path> metrics_path, nlohmann::json with,
               ResolveEndpoint resolve);
  [[nodiscard]] Status run(Context& ctx) override;

  static Result<std::unique_ptr<Stage>> make(const nlohmann::json& with, Context& ctx, ResolveEndpoint resolve);

 private:
  const MonitorSettings settings_;
  const std::optional<std::filesystem::path> metrics_path_;  // none: metrics.csv in the run folder
  const nlohmann::json with_;
  const ResolveEndpoint resolve_;
};

// The artifacts a monitor stage reads, for its StageInfo.
const std::vector<std::string>& monitorConsumes();

}  // namespace ajuste::provider
