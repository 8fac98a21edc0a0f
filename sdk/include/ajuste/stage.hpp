#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/batch.hpp"
#include "ajuste/context.hpp"
#include "ajuste/status.hpp"

namespace ajuste {

enum class StageKind {
  kSource,     // makes records (ingest)
  kRecords,    // keeps, edits or rejects records (clean, validate)
  kSink,       // consumes records and writes outputs (split, write)
  kArtifacts,  // works on named artifacts, not records (upload, monitor, report)
};

std::string_view toString(StageKind kind);

class SourceStage;
class RecordStage;
class SinkStage;
class ArtifactStage;

// What a factory returns. The runner asks for the interface matching the descriptor's kind;
// the `as*` accessors avoid RTTI across shared-library boundaries.
class Stage {
 public:
  virtual ~Stage() = default;
  Stage() = default;
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;

  virtual SourceStage* asSource() { return nullptr; }
  virtual RecordStage* asRecords() { return nullptr; }
  virtual SinkStage* asSink() { return nullptr; }
  virtual ArtifactStage* asArtifacts() { return nullptr; }
};

// Threads: `read` is called from one thread, in order. `decode` is called from worker
// threads, concurrently on different batches, when the StageInfo says `parallel`; it must not
// touch state shared between batches without its own locking.
class SourceStage : public Stage {
 public:
  SourceStage* asSource() final { return this; }
  // Appends records (and rejectInput()s) to `batch` until `batch.full()` or the input ends.
  // Returns false once the input is exhausted (the batch may still hold records).
  [[nodiscard]] virtual Result<bool> read(Batch& batch, Context& ctx) = 0;
  // Turns `Record::raw` into `Record::value` (or rejects); the default keeps records as read.
  [[nodiscard]] virtual Status decode(Batch& /*batch*/, Context& /*ctx*/) { return Status::ok(); }
};

// Threads: one instance is called from one thread at a time, batches in input order. A stage
// whose StageInfo says `parallel` gets one instance per worker and sees batches out of order,
// so it must keep no state between batches (the runner restores the order afterwards).
// Lifetime: keep no reference to `batch` after returning.
class RecordStage : public Stage {
 public:
  RecordStage* asRecords() final { return this; }
  // Once per batch: keep, edit or reject records in place.
  [[nodiscard]] virtual Status process(Batch& batch, Context& ctx) = 0;
  // Only when the StageInfo says `prepares` (and not `parallel`): called for every batch before
  // `process`, from worker threads, concurrently on different batches and in any order, on the
  // stage's one instance — hence const. Per-record work that needs nothing learned from earlier
  // records (normalizing and hashing a key, serializing) goes here, its result in
  // `Record::prepared`, so the serial `process` is left with only what must be serial. May
  // reject records.
  [[nodiscard]] virtual Status prepare(Batch& /*batch*/, Context& /*ctx*/) const { return Status::ok(); }
  // After the last batch: stateful stages (dedupe, statistics) flush here; records added to
  // `out` continue down the chain.
  [[nodiscard]] virtual Status finish(Batch& /*out*/, Context& /*ctx*/) { return Status::ok(); }
};

// The end of the record chain. Every live record left in the batch after `consume` counts as
// written; a sink that cannot write a record rejects it.
class SinkStage : public Stage {
 public:
  SinkStage* asSink() final { return this; }
  [[nodiscard]] virtual Status consume(Batch& batch, Context& ctx) = 0;
  // As RecordStage::prepare: when the StageInfo says `prepares`, called before `consume` for
  // every batch, concurrently from worker threads.
  [[nodiscard]] virtual Status prepare(Batch& /*batch*/, Context& /*ctx*/) const { return Status::ok(); }
  // After the last batch: close files, `declareOutput` them, `publish` artifacts.
  [[nodiscard]] virtual Status finish(Context& ctx) = 0;
};

// Runs once, after the record chain, in pipeline order.
class ArtifactStage : public Stage {
 public:
  ArtifactStage* asArtifacts() final { return this; }
  [[nodiscard]] virtual Status run(Context& ctx) = 0;
};

// Validates nothing itself: the runner checks `with` against `options_schema` (and fills its
// defaults) before calling the factory, so a factory only checks what a schema cannot say.
using StageFactory = Result<std::unique_ptr<Stage>> (*)(const nlohmann::json& with, Context& ctx);

// The static facts about a stage, readable without running anything.
struct StageInfo {
  std::string name;            // "ingest/jsonl": family/variant, lowercase
  StageKind kind = StageKind::kRecords;
  std::string summary;         // one paragraph for `ajuste plugins describe`
  std::string options_schema;  // JSON Schema (draft 2020-12 subset) of the `with:` block
  // Artifacts read. A name ending in '?' ("training_estimate?") is read when an earlier stage
  // happens to provide it, and the pipeline check does not require a producer for it.
  std::vector<std::string> consumes;
  std::vector<std::string> produces;  // artifacts published
  bool parallel = false;       // see RecordStage / SourceStage thread rules
  bool prepares = false;       // a serial records stage or sink whose `prepare` runs in parallel
  // Records held as text (Record::text). `reads_text`: the stage (records or sink) takes
  // records held as text only and builds `value` itself where it needs it (`ensureValue`);
  // without it the runner builds every record's value before the stage. `keeps_text`: after
  // the stage, a record's non-empty `text` still holds its example — the stage changes no
  // record, or changes its text with it; without it the runner empties the text of every
  // record that has a value, so that no later stage writes a stale text.
  bool reads_text = false;
  bool keeps_text = false;
  StageFactory make = nullptr;
};

}  // namespace ajuste
