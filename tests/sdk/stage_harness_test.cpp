#include "ajuste/testing/stage_harness.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste::testing {
namespace {

using ::testing::ElementsAre;

// What the stage below saw, in call order: "prepare 5", "process 1" (the batch's first n).
std::vector<std::string>& calls() {
  static std::vector<std::string> log;
  return log;
}

// A serial stage that prepares: prepare rejects odd n and puts "n=<n>" in Record::prepared;
// process checks it is there.
class PreparingStage final : public RecordStage {
 public:
  Status prepare(Batch& batch, Context& /*ctx*/) const override {
    calls().push_back("prepare " + first(batch));
    for (Record& record : batch) {
      const auto n = record.value["n"].get<int>();
      if (n % 2 == 1) {
        batch.reject(record, "odd", "odd");
        continue;
      }
      record.prepared = "n=" + std::to_string(n);
    }
    return Status::ok();
  }
  Status process(Batch& batch, Context& /*ctx*/) override {
    calls().push_back("process " + first(batch));
    for (Record& record : batch) {
      if (record.prepared != "n=" + record.value["n"].dump()) return Status::internal("not prepared");
    }
    return Status::ok();
  }

 private:
  static std::string first(Batch& batch) { return batch.empty() ? "-" : batch.begin()->value["n"].dump(); }
};

StageInfo preparingInfo() {
  return StageInfo{.name = "test/preparing", .kind = StageKind::kRecords, .summary = "Prepares.",
                   .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = false, .prepares = true,
                   .make = [](const nlohmann::json&, Context&) -> Result<std::unique_ptr<Stage>> {
                     return std::unique_ptr<Stage>(std::make_unique<PreparingStage>());
                   }};
}

// The runner prepares batches on several workers in no set order before the serial step sees
// them; the harness prepares them all, last first, so a stage that leans on order in prepare
// fails its own tests, not a user's run.
TEST(StageHarness, PreparesEveryBatchLastFirstThenProcessesInOrder) {
  calls().clear();
  StageHarness harness(preparingInfo(), "{}");
  harness.setBatchSize(2);
  const StageOutput out = harness.run("{\"n\":0}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":6}\n");
  ASSERT_TRUE(out.status.isOk()) << out.status.toString();
  // Batches {0, 2}, {3, 4}, {6}; prepare rejects 3, so the second batch starts at 4 in process.
  EXPECT_THAT(calls(), ElementsAre("prepare 6", "prepare 3", "prepare 0", "process 0", "process 4", "process 6"));
  ASSERT_EQ(out.kept.size(), 4u);
  for (const Record& record : out.kept) EXPECT_TRUE(record.prepared.empty()) << "the stage's own bytes stay with it";
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].kind, "odd");
  EXPECT_EQ(out.rejects[0].origin.line, 3u);
}

}  // namespace
}  // namespace ajuste::testing
