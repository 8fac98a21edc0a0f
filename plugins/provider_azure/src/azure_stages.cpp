#include "azure_stages.hpp"

#include "azure_connection.hpp"
#include "provider_stage_infos.hpp"
#include "stage_schemas.hpp"

namespace ajuste::provider::azure {

const StageInfo& uploadInfo() {
  static const StageInfo kInfo = uploadStageInfo<&resolveEndpoint>({
      .name = "upload/azure",
      .summary =
          "Uploads the split's training and validation files to Azure OpenAI (https://{resource}.openai.azure.com, "
          "api-version 2024-10-21 by default, or the v1 API), exactly once: POST /openai/files up to "
          "multipart_threshold_mb, the Uploads API in parts above; then waits until Azure has processed them "
          "(pending, running -> processed; error fails with Azure's status_details, which name the offending "
          "line). Files are named <stem>-<first 12 hex of SHA-256>.jsonl; the run state and a search of the "
          "file list make re-runs, --resume and lost answers adopt instead of uploading twice. Authenticates with "
          "an api-key (api_key_env) or an Entra ID token (bearer_token_env). Publishes training_file_id, "
          "validation_file_id and provider (endpoint, api-version, credential variable name; never a secret).",
      .options_schema = composeSchema({kConnectionProperties, kUploadProperties}, kConnectionRules),
  });
  return kInfo;
}

const StageInfo& finetuneInfo() {
  static const StageInfo kInfo = finetuneStageInfo<&resolveEndpoint>({
      .name = "finetune/azure",
      .summary =
          "Creates the fine-tuning job on Azure OpenAI and publishes its id as job_id (monitor/azure follows it). "
          "The dated API (2024-10-21) takes plain numbers, so 'auto' hyperparameters are left out, and has no "
          "metadata, so the job is recognised by a tag 'aj<12 hex of the ajuste_key>' at the end of its suffix "
          "(Azure allows 40 characters); with api_version v1 it carries metadata ajuste_key like OpenAI. Never "
          "billed twice: the job id is in the run state before anything waits on it; re-runs adopt the recorded "
          "or tagged job unless it failed or was cancelled; a lost create answer leads to a search before any new "
          "attempt. new_job: true starts another job for the same data.",
      .options_schema = composeSchema({kConnectionProperties, kFinetuneProperties}, R"({
        "required": ["model"], "not": {"required": ["api_key_env", "bearer_token_env"]}})"),
  });
  return kInfo;
}

const StageInfo& monitorInfo() {
  static const StageInfo kInfo = monitorStageInfo<&resolveEndpoint>({
      .name = "monitor/azure",
      .summary =
          "Follows the Azure OpenAI fine-tuning job to its end (pending -> running -> succeeded / failed / "
          "cancelled; unknown statuses count as in progress), logging status changes, messages and thinned "
          "training metrics; then downloads the results CSV into the run folder (Azure's column names, e.g. "
          "train_mean_token_accuracy, read by name), lists the checkpoints and publishes fine_tuned_model, "
          "checkpoints and metrics_file. Reports `job` and `metrics` for summary.json and the HTML report. A "
          "failed job is a provider error (exit 4) with Azure's code, message and param. On Ctrl-C the job keeps "
          "running and --resume follows it again (cancel_on_interrupt: true cancels it instead). Azure serves the "
          "model only once deployed: see deploy/azure.",
      .options_schema = composeSchema({kConnectionProperties, kMonitorProperties}, kConnectionRules),
  });
  return kInfo;
}

}  // namespace ajuste::provider::azure
