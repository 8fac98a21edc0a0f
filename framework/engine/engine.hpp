#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"
#include "engine/checked_pipeline.hpp"
#include "engine/progress.hpp"
#include "engine/record_chain.hpp"
#include "engine/stage_context.hpp"

namespace ajuste {

struct RunOptions {
  std::filesystem::path run_dir;
  unsigned threads = 1;
  ProgressMode progress = ProgressMode::kAuto;
  std::chrono::milliseconds progress_interval{10000};
  const std::atomic<bool>* interrupted = nullptr;
  // Continue the run in run_dir: keep its artifacts as well as its stages' state (ledgers).
  bool resume = false;
};

struct RunReport {
  Status status;                      // OK, or the reason the run failed or was gated
  nlohmann::json summary;             // what summary.json holds
  std::filesystem::path summary_path;
};

// Runs a checked pipeline in `options.run_dir`: stages in order, the record chain streamed,
// then the gates (accounting, empty stages, reject limits). Always writes summary.json, also
// when the run fails, so CI can read what happened.
// `status` with the stage's label in front ("stage 'split' (split/random): ..."), unless it
// already starts with it or is a cancellation.
Status labelled(const ResolvedStage& stage, Status status);

// Calls the stage's factory `count` times. A config error from the factory comes back located
// in the pipeline file ("x.yaml:12:7: error: stage 'split' (split/random), option seed: ...").
Result<std::vector<StageHandle>> makeStageInstances(const CheckedPipeline& pipeline, const ResolvedStage& stage,
                                                    StageContext& context, unsigned count);

RunReport runPipeline(const CheckedPipeline& pipeline, const RunOptions& options);

}  // namespace ajuste
