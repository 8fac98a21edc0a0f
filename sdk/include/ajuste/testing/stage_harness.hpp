#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ajuste/record.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/testing/recording_context.hpp"

namespace ajuste::testing {

// What a stage did with its input.
struct StageOutput {
  Status status;                 // the first error a stage call returned, or OK
  std::vector<Record> kept;      // records stages: what continues down the chain, in order
  std::vector<Reject> rejects;   // in the order the stage rejected them
};

// Runs one stage in-process, as the runner would: the options are checked against the
// stage's schema and its defaults filled in first, then the factory is called.
//
//   StageHarness h{MinLengthStage::info(), R"({"min_chars": 3})"};
//   const auto out = h.run("{\"text\": \"yes\"}\n{\"text\": \"no\"}\n");
//   EXPECT_EQ(out.rejects[0].origin.line, 2u);
class StageHarness {
 public:
  // Throws std::invalid_argument with the schema's or the factory's message when the options
  // are refused (so a test can EXPECT_THROW a bad configuration).
  StageHarness(const StageInfo& info, std::string_view options_json);

  // Records stages and sinks: each non-empty line of `jsonl` is one record, with provenance
  // source "<inline>", its 1-based line and 0-based index. Lines are grouped into batches of
  // `batchSize()` records so tests can exercise batch boundaries. A stage whose StageInfo says
  // `prepares` gets every batch prepared first, the last batch first (the runner prepares them
  // on several workers, in no set order), then processed in order.
  // As the runner, records held as text only (Record::text) get their value built first when
  // the stage does not say `reads_text`, and lose their text afterwards when it does not say
  // `keeps_text` (and has built their value).
  StageOutput run(std::string_view jsonl);
  StageOutput run(std::vector<Record> records);
  // As run(jsonl), each record held as text only: `text` the line as written, no value — as
  // ingest/jsonl hands them on. For the text path of a stage that says `reads_text`.
  StageOutput runText(std::string_view jsonl);
  // Sources: reads (and decodes) until the input is exhausted. Records the source made held as
  // text only get their value built, their `text` kept, so a test can look at either.
  StageOutput runSource();
  // Artifact stages: calls run() once.
  Status runArtifacts();

  void setBatchSize(std::size_t size) { batch_size_ = size; }
  [[nodiscard]] std::size_t batchSize() const { return batch_size_; }
  [[nodiscard]] RecordingContext& context() { return *context_; }
  [[nodiscard]] const nlohmann::json& options() const { return options_; }

  // Records from inline JSONL, as run() makes them (lines that are not JSON throw).
  static std::vector<Record> parseJsonl(std::string_view jsonl);
  // The same records held as text only (each line checked to be JSON, which throws if not).
  static std::vector<Record> textJsonl(std::string_view jsonl);

 private:
  StageInfo info_;  // a copy: the harness may outlive a temporary descriptor
  nlohmann::json options_;
  std::unique_ptr<RecordingContext> context_;
  std::unique_ptr<Stage> stage_;
  std::size_t batch_size_ = 64;
};

// Checks `options_json` against `info.options_schema` and returns the options with defaults
// filled in, or the refusal as "option /ratio: must be < 1, found 1.5" lines.
Result<nlohmann::json> checkOptions(const StageInfo& info, const nlohmann::json& options);

}  // namespace ajuste::testing
