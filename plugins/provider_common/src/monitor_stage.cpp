#include "monitor_stage.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "api_client.hpp"
#include "job_report.hpp"
#include "job_results.hpp"
#include "ledger.hpp"
#include "metrics_csv.hpp"

namespace ajuste::provider {
namespace {

std::chrono::milliseconds seconds(const nlohmann::json& with, const char* key, double fallback) {
  return std::chrono::milliseconds(std::llround(with.value(key, fallback) * 1000.0));
}

std::string text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The price estimate made before the upload (split/random publishes it for the training file),
// when the pipeline has one: the report sets it beside what the job really trained on.
std::optional<nlohmann::json> trainingEstimate(Context& ctx) { return ctx.artifact(artifacts::kTrainingEstimate); }

std::string failureMessage(const std::string& job_id, const nlohmann::json& job) {
  const std::string status = text(job, "status");
  const nlohmann::json error = jobError(job);
  if (status == "cancelled") {
    return "fine-tuning job " + job_id + " was cancelled on the provider; run again to start a new one";
  }
  std::string message = "fine-tuning job " + job_id + " failed";
  if (error.is_object()) {
    message += ": " + (error["message"].is_string() ? error["message"].get<std::string>() : std::string("no message"));
    std::string details;
    if (error["code"].is_string()) details += "code " + error["code"].get<std::string>();
    if (error["param"].is_string())
      details += (details.empty() ? "" : ", ") + std::string("param ") + error["param"].get<std::string>();
    if (!details.empty()) message += " (" + details + ")";
  } else {
    message += " without an error from the provider";
  }
  return message;
}

}  // namespace

const std::vector<std::string>& monitorConsumes() {
  static const std::vector<std::string> kConsumes = {artifacts::kJobId, artifacts::kProvider,
                                                     std::string(artifacts::kTrainingEstimate) + "?"};
  return kConsumes;
}

MonitorStage::MonitorStage(MonitorSettings settings, std::optional<std::filesystem::path> metrics_path,
                           nlohmann::json with, ResolveEndpoint resolve)
    : settings_(std::move(settings)),
      metrics_path_(std::move(metrics_path)),
      with_(std::move(with)),
      resolve_(resolve) {}

Result<std::unique_ptr<Stage>> MonitorStage::make(const nlohmann::json& with, Context& ctx, ResolveEndpoint resolve) {
  MonitorSettings settings;
  settings.poll_interval = std::max(std::chrono::milliseconds(1), seconds(with, "poll_interval_s", 10));
  settings.progress_every = seconds(with, "progress_every_s", 60);
  settings.cancel_on_interrupt = with.value("cancel_on_interrupt", false);
  std::optional<std::filesystem::path> metrics_path;
  if (with.contains("metrics_path")) metrics_path = ctx.resolvePath(with.at("metrics_path").get<std::string>());
  return std::unique_ptr<Stage>(std::make_unique<MonitorStage>(settings, std::move(metrics_path), with, resolve));
}

Status MonitorStage::run(Context& ctx) {
  auto endpoint = resolveFromArtifact(ctx, with_, resolve_);
  if (!endpoint.ok()) return endpoint.error();
  const auto job_artifact = ctx.artifact(artifacts::kJobId);
  if (!job_artifact || !job_artifact->is_string() || job_artifact->get<std::string>().empty()) {
    return Status::dataError("artifact job_id should hold a job id, got " +
                             (job_artifact ? job_artifact->dump() : std::string("nothing")) +
                             "; put a finetune stage before this one");
  }
  const std::string job_id = job_artifact->get<std::string>();
  auto api = connect(ctx, *endpoint);
  if (!api.ok()) return api.error();
  Ledger ledger(ctx, "monitor");
  JobMonitor monitor(**api, ledger, settings_);
  const Status followed = monitor.follow(job_id);
  const nlohmann::json& job = monitor.lastJob();
  const auto estimate = trainingEstimate(ctx);
  const auto reportJob = [&](const nlohmann::json& checkpoints, const nlohmann::json& metrics) {
    ctx.report("job", jobReport(endpoint->provider, job_id, job, estimate, (*api)->simulated(), checkpoints));
    ctx.report("metrics", metrics);
  };
  if (!followed.isOk()) {
    if (!job.is_null()) reportJob(nlohmann::json::array(), emptyMetrics());
    return followed;
  }
  if (text(job, "status") != "succeeded") {
    reportJob(nlohmann::json::array(), emptyMetrics());
    return Status::providerError(failureMessage(job_id, job));
  }

  auto results = collectResults(**api, job, metrics_path_.value_or(ctx.runDir() / "metrics.csv"));
  if (!results.ok()) return results.error();
  reportJob(results->checkpoints, results->metrics);
  const nlohmann::json model = job.value("fine_tuned_model", nlohmann::json(nullptr));
  const nlohmann::json metrics_file =
      results->metrics_file ? nlohmann::json(results->metrics_file->string()) : nlohmann::json(nullptr);
  for (auto [name, value] :
       {std::pair{artifacts::kFineTunedModel, model}, std::pair{artifacts::kCheckpoints, results->checkpoints},
        std::pair{artifacts::kMetricsFile, metrics_file}}) {
    if (Status published = ctx.publish(name, value); !published.isOk()) return published;
  }
  if (results->metrics_file) ctx.declareOutput("metrics", *results->metrics_file, results->metrics["step"].size());
  ctx.info("job " + job_id + " succeeded: fine-tuned model " + (model.is_string() ? model.get<std::string>() : "?") +
           (job.contains("trained_tokens") && job["trained_tokens"].is_number()
                ? ", " + std::to_string(job["trained_tokens"].get<std::int64_t>()) + " trained tokens"
                : std::string()) +
           ((*api)->simulated() ? " (SIMULATED by ajuste-emulator)" : ""));
  return Status::ok();
}

}  // namespace ajuste::provider
