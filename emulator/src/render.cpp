#include "render.hpp"

#include <cmath>

namespace ajuste::emulator {
namespace {

using nlohmann::json;

json nullOr(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json hyperparametersJson(const JobRecord& job, bool resolved) {
  const Hyperparameters& h = job.hyperparameters;
  auto pick = [&](const char* key, const json& value) -> json {
    if (resolved) return value;
    const json asked = job.requested.value(key, json("auto"));
    return asked.is_null() ? json("auto") : asked;
  };
  json out = {{"n_epochs", pick("n_epochs", h.n_epochs)},
              {"batch_size", pick("batch_size", h.batch_size)},
              {"learning_rate_multiplier", pick("learning_rate_multiplier", h.learning_rate_multiplier)}};
  if (h.beta) out["beta"] = pick("beta", *h.beta);
  return out;
}

}  // namespace

std::int64_t unixSeconds(double time) { return static_cast<std::int64_t>(std::floor(time)); }

std::string fileStatusAt(const FileRecord& file, Dialect dialect, double now) {
  if (now < file.processed_at) {
    if (dialect != Dialect::kAzure) return "uploaded";
    // Azure shows its own processing steps before the outcome.
    const double halfway = file.created_at + (file.processed_at - file.created_at) / 2;
    return now < halfway ? "pending" : "running";
  }
  if (file.check && !file.check->ok) return "error";
  return "processed";
}

std::string jobStatusName(JobStatus status, Dialect dialect) {
  const bool azure = dialect == Dialect::kAzure;
  switch (status) {
    case JobStatus::kValidatingFiles: return azure ? "pending" : "validating_files";
    case JobStatus::kQueued: return azure ? "pending" : "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kSucceeded: return "succeeded";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kCancelled: return "cancelled";
  }
  return "running";
}

json renderFile(const FileRecord& file, Dialect dialect, double now) {
  const std::string status = fileStatusAt(file, dialect, now);
  json out = {{"id", file.id},
              {"object", "file"},
              {"bytes", file.content ? file.content->size() : 0},
              {"created_at", unixSeconds(file.created_at)},
              {"expires_at", nullptr},
              {"filename", file.filename},
              {"purpose", file.purpose},
              {"status", status},
              {"status_details", status == "error" ? json(file.check->message) : json(nullptr)}};
  return out;
}

json renderUpload(const UploadRecord& upload, const FileRecord* file, Dialect dialect, double now) {
  std::string status = upload.status;
  if (status == "pending" && now >= upload.expires_at) status = "expired";
  return {{"id", upload.id},
          {"object", "upload"},
          {"bytes", upload.bytes},
          {"created_at", unixSeconds(upload.created_at)},
          {"filename", upload.filename},
          {"purpose", upload.purpose},
          {"status", status},
          {"expires_at", unixSeconds(upload.expires_at)},
          {"file", file != nullptr ? renderFile(*file, dialect, now) : json(nullptr)}};
}

json renderPart(const PartRecord& part, const std::string& upload_id, Dialect dialect) {
  json out = {{"id", part.id}, {"object", "upload.part"}, {"created_at", unixSeconds(part.created_at)}, {"upload_id", upload_id}};
  if (dialect == Dialect::kAzure) out["azure_block_id"] = part.id;
  return out;
}

json renderJob(const JobRecord& job, Dialect dialect, double now) {
  const JobStatus status = jobStatusAt(job, now);
  const bool succeeded = status == JobStatus::kSucceeded;
  // OpenAI shows the requested "auto" values until validation has resolved them; Azure's
  // dated API has no "auto" and always shows numbers.
  const bool resolved = dialect == Dialect::kAzure || status != JobStatus::kValidatingFiles;
  const json hyperparameters = hyperparametersJson(job, resolved);
  json error = nullptr;
  if (status == JobStatus::kFailed) {
    error = {{"code", job.failure->code}, {"message", job.failure->message}, {"param", nullOr(job.failure->param)}};
  }
  json out = {{"object", "fine_tuning.job"},
              {"id", job.id},
              {"model", job.model},
              {"created_at", unixSeconds(job.timeline.created_at)},
              {"finished_at", isFinal(status) ? json(unixSeconds(jobEndsAt(job))) : json(nullptr)},
              {"fine_tuned_model", succeeded ? json(job.fine_tuned_model) : json(nullptr)},
              {"result_files", succeeded ? json::array({job.result_file_id}) : json::array()},
              {"status", jobStatusName(status, dialect)},
              {"validation_file", nullOr(job.validation_file)},
              {"training_file", job.training_file},
              {"hyperparameters", hyperparameters},
              {"trained_tokens", succeeded ? json(job.tokens_per_epoch * static_cast<std::uint64_t>(job.hyperparameters.n_epochs))
                                           : json(nullptr)},
              {"error", error},
              {"seed", job.seed},
              {"estimated_finish", (status == JobStatus::kQueued || status == JobStatus::kRunning)
                                       ? json(unixSeconds(job.timeline.finished_at))
                                       : json(nullptr)},
              {"integrations", job.integrations.is_null() ? json::array() : job.integrations},
              {"metadata", job.metadata},
              {"method", {{"type", job.method_type}, {job.method_type, {{"hyperparameters", hyperparameters}}}}}};
  if (dialect == Dialect::kAzure) {
    out["organisation_id"] = kOrganizationId;
    out["suffix"] = nullOr(job.suffix);
  } else {
    out["organization_id"] = kOrganizationId;
    out["user_provided_suffix"] = nullOr(job.suffix);
  }
  return out;
}

json renderEvent(const JobRecord& job, const JobEvent& event, Dialect dialect, const IdMaker& ids) {
  std::string level = event.level;
  if (dialect == Dialect::kAzure && level == "warn") level = "warning";
  return {{"object", "fine_tuning.job.event"},
          {"id", ids.derived("ftevent-", job.id, "event" + std::to_string(event.index), 24)},
          {"created_at", unixSeconds(event.created_at)},
          {"level", level},
          {"message", event.message},
          {"data", event.data},
          {"type", event.type}};
}

json renderCheckpoint(const JobRecord& job, const JobCheckpoint& checkpoint, const IdMaker& ids) {
  const bool final_step = checkpoint.step == job.timeline.total_steps;
  const std::string name =
      final_step ? job.fine_tuned_model : job.fine_tuned_model + ":ckpt-step-" + std::to_string(checkpoint.step);
  const StepMetrics metrics = metricsAt(static_cast<std::uint64_t>(job.seed), checkpoint.step, job.timeline.total_steps,
                                        !job.validation_file.empty());
  return {{"object", "fine_tuning.job.checkpoint"},
          {"id", ids.derived("ftckpt_", job.id, "ckpt" + std::to_string(checkpoint.step), 24)},
          {"created_at", unixSeconds(checkpoint.created_at)},
          {"fine_tuned_model_checkpoint", name},
          {"step_number", checkpoint.step},
          {"fine_tuning_job_id", job.id},
          {"metrics", checkpointMetrics(metrics)}};
}

json renderModel(const std::string& id, double created, const std::string& owned_by) {
  return {{"id", id}, {"object", "model"}, {"created", unixSeconds(created)}, {"owned_by", owned_by}};
}

}  // namespace ajuste::emulator
