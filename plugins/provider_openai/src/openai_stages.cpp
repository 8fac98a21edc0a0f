#include "openai_stages.hpp"

#include "openai_connection.hpp"
#include "provider_stage_infos.hpp"
#include "stage_schemas.hpp"

namespace ajuste::provider::openai {

const StageInfo& uploadInfo() {
  static const StageInfo kInfo = uploadStageInfo<&resolveEndpoint>({
      .name = "upload/openai",
      .summary =
          "Uploads the split's training and validation files to the OpenAI API (purpose fine-tune), exactly once: "
          "files up to multipart_threshold_mb go through POST /files, larger ones through the Uploads API in "
          "parts, streamed from disk; then waits until the provider has processed them. Each file is named "
          "<stem>-<first 12 hex of its SHA-256>.jsonl. The run state remembers what was uploaded (and the parts "
          "of an unfinished multipart upload), and before uploading the provider's file list is searched for "
          "the same name and size, so a re-run, a --resume or a request whose answer was lost never uploads "
          "twice. Publishes training_file_id, validation_file_id and provider (base URL and key variable name, "
          "never the key) for the finetune and monitor stages.",
      .options_schema = composeSchema({kConnectionProperties, kUploadProperties}),
  });
  return kInfo;
}

const StageInfo& finetuneInfo() {
  static const StageInfo kInfo = finetuneStageInfo<&resolveEndpoint>({
      .name = "finetune/openai",
      .summary =
          "Creates the fine-tuning job (model, suffix, seed, method supervised or dpo with its hyperparameters) "
          "on the uploaded files and publishes its id as job_id; it does not wait (monitor/openai does). The job "
          "carries metadata ajuste_key = SHA-256 of the training and validation contents, model, method, "
          "hyperparameters and seed. Never billed twice: the job id is written to the run state before anything "
          "waits on it; a re-run adopts the recorded job (or a job with the same ajuste_key on the provider) "
          "unless it failed or was cancelled, and a create whose answer was lost is followed by a search before "
          "any new attempt. new_job: true starts another job for the same data.",
      .options_schema = composeSchema({kConnectionProperties, kFinetuneProperties}, R"({"required": ["model"]})"),
  });
  return kInfo;
}

const StageInfo& monitorInfo() {
  static const StageInfo kInfo = monitorStageInfo<&resolveEndpoint>({
      .name = "monitor/openai",
      .summary =
          "Follows the fine-tuning job to its end: polls it every poll_interval_s, logs status changes, messages "
          "and thinned training metrics (\"step 120/300 train loss 0.41 valid loss 0.46\"), then downloads the "
          "per-step metrics CSV into the run folder (parsed by column name), lists the checkpoints and publishes "
          "fine_tuned_model, checkpoints and metrics_file. Reports `job` and `metrics` for summary.json and the "
          "HTML report, marked simulated when the server is the ajuste emulator. A failed job is a provider error "
          "(exit 4) with the provider's code, message and param. On Ctrl-C the job keeps running and --resume "
          "follows it again (cancel_on_interrupt: true cancels it instead).",
      .options_schema = composeSchema({kConnectionProperties, kMonitorProperties}),
  });
  return kInfo;
}

}  // namespace ajuste::provider::openai
