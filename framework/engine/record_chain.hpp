#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "ajuste/stage.hpp"
#include "engine/rejects_file.hpp"
#include "engine/stage_context.hpp"
#include "plugin/plugin_loader.hpp"

namespace ajuste {

// A stage object together with the library that made it. `plugin` is declared first so it
// is destroyed last: the stage's destructor is code inside that library.
struct StageHandle {
  std::shared_ptr<const LoadedPlugin> plugin;
  std::unique_ptr<Stage> stage;
};

// One stage of the record chain: its context and its instances (one, or one per worker for
// parallel stages).
struct ChainStage {
  StageContext* context = nullptr;
  std::vector<StageHandle> instances;
  // A serial stage whose StageInfo says `prepares`: its `prepare` runs on the workers.
  bool prepares = false;
  // StageInfo::reads_text / keeps_text: whether the stage takes records held as text only, and
  // whether the texts of records still hold their examples after it.
  bool reads_text = false;
  bool keeps_text = false;
  [[nodiscard]] bool parallel() const { return instances.size() > 1; }
};

struct ChainSettings {
  std::size_t batch_size = 1024;
  std::size_t queue_batches = 4;  // capacity of each queue between steps
  unsigned workers = 1;
};

// Streams records from a source through record stages into a sink.
//
// Threads: the source reads on one thread; each run of consecutive parallel work (the source's
// decode when parallel, parallel stages, and the `prepare` of a serial stage or sink that
// prepares) is one step served by `workers` threads; every other stage is a step with its own
// thread. Steps are joined by bounded queues, so at most
// ((steps + 2) × queue_batches + workers) batches are in memory at once (the source counts as
// a step; the extra queue holds the sink's finished batches until they are freed). Batches carry a sequence
// number and parallel steps restore input order before passing them on, so every stage that
// is not parallel, the sink and the rejects file see records in input order: outputs are
// byte-identical whatever the thread count.
class RecordChain {
 public:
  RecordChain(ChainStage& source, std::vector<ChainStage*> record_stages, ChainStage& sink, RejectsFile& rejects,
              ProgressReporter* progress, ChainSettings settings);
  // Runs to the end of the input; the first error stops everything and is returned.
  Status run();

 private:
  ChainStage& source_;
  std::vector<ChainStage*> record_stages_;
  ChainStage& sink_;
  RejectsFile& rejects_;
  ProgressReporter* progress_;
  ChainSettings settings_;
};

}  // namespace ajuste
