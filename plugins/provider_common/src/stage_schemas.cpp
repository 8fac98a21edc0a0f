#include "stage_schemas.hpp"

#include <nlohmann/json.hpp>

namespace ajuste::provider {

const std::string_view kUploadProperties = R"json({
  "multipart_threshold_mb": {
    "type": "number", "exclusiveMinimum": 0, "default": 100,
    "description": "Files larger than this many MiB go through the Uploads API in parts instead of one POST /files (fractions allowed, e.g. 0.001 in tests)."
  },
  "part_size_mb": {
    "type": "number", "exclusiveMinimum": 0, "maximum": 64, "default": 64,
    "description": "Size of each part of a multipart upload, in MiB (the API takes at most 64)."
  },
  "poll_interval_s": {
    "type": "number", "exclusiveMinimum": 0, "default": 5,
    "description": "Seconds between checks of an uploaded file until the provider has processed it."
  },
  "processing_timeout_s": {
    "type": "number", "exclusiveMinimum": 0, "default": 7200,
    "description": "Give up waiting for the provider to process an uploaded file after this many seconds (the upload stays recorded: a re-run waits again instead of uploading again)."
  }
})json";

const std::string_view kFinetuneProperties = R"json({
  "model": {
    "type": "string", "minLength": 1,
    "description": "Base model to fine-tune, e.g. gpt-4o-mini-2024-07-18 (Azure: the model name, e.g. gpt-4o-mini-2024-07-18 or gpt-35-turbo-0125)."
  },
  "suffix": {
    "type": "string", "minLength": 1, "maxLength": 64,
    "description": "Text the provider puts into the fine-tuned model's name. On Azure's dated API at most 25 characters: ajuste appends a tag there to recognise the job."
  },
  "seed": {
    "type": "integer", "minimum": 0, "maximum": 2147483647,
    "description": "Seed of the training run, for reproducibility; default: the provider picks one."
  },
  "method": {
    "enum": ["supervised", "dpo"], "default": "supervised",
    "description": "Training method: supervised (chat examples) or dpo (preference pairs; on Azure it needs a preview api_version or v1)."
  },
  "n_epochs": {
    "anyOf": [{"const": "auto"}, {"type": "integer", "minimum": 1, "maximum": 50}], "default": "auto",
    "description": "Epochs: auto or 1..50."
  },
  "batch_size": {
    "anyOf": [{"const": "auto"}, {"type": "integer", "minimum": 1, "maximum": 256}], "default": "auto",
    "description": "Batch size: auto or 1..256."
  },
  "learning_rate_multiplier": {
    "anyOf": [{"const": "auto"}, {"type": "number", "exclusiveMinimum": 0}], "default": "auto",
    "description": "Learning rate multiplier: auto or a number > 0."
  },
  "beta": {
    "anyOf": [{"const": "auto"}, {"type": "number", "exclusiveMinimum": 0, "maximum": 2}], "default": "auto",
    "description": "DPO only: weight of the penalty between the policy and the reference model, auto or 0 < beta <= 2."
  },
  "new_job": {
    "type": "boolean", "default": false,
    "description": "Start another job even though one with the same data and settings exists (one still running is adopted all the same). Without it a re-run adopts the existing job. Set it for one run with --set <stage id>.new_job=true."
  }
})json";

const std::string_view kMonitorProperties = R"json({
  "poll_interval_s": {
    "type": "number", "exclusiveMinimum": 0, "default": 10,
    "description": "Seconds between polls of the job (and of its new events)."
  },
  "progress_every_s": {
    "type": "number", "minimum": 0, "default": 60,
    "description": "Log a training-metrics line at most this often (plus the first and last steps and each 10% of the steps); 0 = only at each 10%."
  },
  "cancel_on_interrupt": {
    "type": "boolean", "default": false,
    "description": "On Ctrl-C, cancel the job on the provider. By default the job keeps running (and billing) and `ajuste run --resume` follows it again."
  },
  "metrics_path": {
    "type": "string", "minLength": 1,
    "description": "Where to write the job's per-step metrics CSV; default metrics.csv in the run folder. A relative path starts from the folder of the pipeline file."
  }
})json";

std::string composeSchema(std::initializer_list<std::string_view> property_blocks, std::string_view extra) {
  nlohmann::json schema = nlohmann::json::parse(extra);
  schema["type"] = "object";
  schema["additionalProperties"] = false;
  nlohmann::json properties = nlohmann::json::object();
  for (const std::string_view block : property_blocks) properties.update(nlohmann::json::parse(block));
  schema["properties"] = std::move(properties);
  return schema.dump(2);
}

}  // namespace ajuste::provider
