#include "ingest_common/input_sequence.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/recording_context.hpp"

namespace ajuste::ingest {
namespace {

using ::testing::ElementsAre;

// A format reader over items held in memory: each item taken counts 10 bytes read from disk.
struct FakeFile {
  std::string name;
  std::vector<std::string> items;
  std::size_t next = 0;
  [[nodiscard]] std::uint64_t consumed() const { return next * 10; }
};

class InputSequenceTest : public ::testing::Test {
 protected:
  // Inputs "a" (2 items, gzip), "b" (empty), "c" (3 items); sizes as on disk.
  InputSequence<FakeFile> sequence() {
    return InputSequence<FakeFile>(
        {InputFile{"a", "/in/a", 20}, InputFile{"b", "/in/b", 5}, InputFile{"c", "/in/c", 30}},
        [this](const InputFile& input) -> Result<InputSequence<FakeFile>::Opened> {
          opened_.push_back(input.display);
          if (input.display == failing_) return Status::dataError("'" + input.display + "' vanished");
          auto file = std::make_unique<FakeFile>(FakeFile{input.display, contents_.at(input.display)});
          return InputSequence<FakeFile>::Opened{std::move(file),
                                                 input.display == "a" ? Compression::kGzip : Compression::kNone};
        });
  }

  // Takes one item into the batch, recording which files were open when it was read.
  auto readOne(Batch& batch) {
    return [this, &batch](FakeFile& file) -> Result<bool> {
      if (file.next == file.items.size()) return false;
      read_.push_back(file.name + ":" + file.items[file.next++] + " (opened " + std::to_string(opened_.size()) + ")");
      batch.add(Record{file.name, {}, {}, {}});
      return true;
    };
  }

  std::vector<std::string> debugLines() const {
    std::vector<std::string> out;
    for (const auto& line : ctx_.logs()) {
      if (line.level == LogLevel::kDebug) out.push_back(line.message);
    }
    return out;
  }

  std::map<std::string, std::vector<std::string>> contents_{{"a", {"1", "2"}}, {"b", {}}, {"c", {"3", "4", "5"}}};
  std::string failing_;
  std::vector<std::string> opened_;
  std::vector<std::string> read_;
  ajuste::testing::RecordingContext ctx_{"ingest/test"};
};

TEST_F(InputSequenceTest, ReadsTheInputsInOrderOpeningEachOnlyAfterTheOneBeforeEnded) {
  auto inputs = sequence();
  Batch batch(100);
  const auto more = inputs.fill(batch, ctx_, readOne(batch));
  ASSERT_TRUE(more.ok()) << more.error().toString();
  EXPECT_FALSE(*more);
  EXPECT_THAT(read_, ElementsAre("a:1 (opened 1)", "a:2 (opened 1)", "c:3 (opened 3)", "c:4 (opened 3)",
                                 "c:5 (opened 3)"));
  EXPECT_EQ(batch.size(), 5u);
  EXPECT_EQ(ctx_.counter("files_read"), 3);
  EXPECT_THAT(debugLines(), ElementsAre("reading 'a' (gzip)", "reading 'b' (none)", "reading 'c' (none)"));
  EXPECT_EQ(ctx_.lastProgress(), 55u);
}

TEST_F(InputSequenceTest, AFullBatchStopsMidFileAndTheNextFillGoesOnFromThere) {
  auto inputs = sequence();
  Batch first(3);
  const auto more = inputs.fill(first, ctx_, readOne(first));
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(*more);
  EXPECT_EQ(first.size(), 3u);
  // a ended (20 bytes on disk), c has given one item (10 bytes).
  EXPECT_EQ(ctx_.lastProgress(), 20u + 5u + 10u);

  Batch second(3);
  const auto last = inputs.fill(second, ctx_, readOne(second));
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(*last);
  EXPECT_EQ(second.size(), 2u);
  EXPECT_THAT(read_, ElementsAre("a:1 (opened 1)", "a:2 (opened 1)", "c:3 (opened 3)", "c:4 (opened 3)",
                                 "c:5 (opened 3)"));
  EXPECT_EQ(ctx_.counter("files_read"), 3);

  Batch after(3);
  const auto none = inputs.fill(after, ctx_, readOne(after));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  EXPECT_TRUE(after.empty());
  EXPECT_THAT(opened_, ElementsAre("a", "b", "c"));
}

TEST_F(InputSequenceTest, AnInputThatNoLongerOpensStopsTheReadWithItsError) {
  failing_ = "b";
  auto inputs = sequence();
  Batch batch(100);
  const auto more = inputs.fill(batch, ctx_, readOne(batch));
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().code(), StatusCode::kDataError);
  EXPECT_EQ(more.error().message(), "'b' vanished");
  EXPECT_EQ(ctx_.counter("files_read"), 1);  // only a was read
}

TEST_F(InputSequenceTest, AnItemErrorStopsTheRead) {
  auto inputs = sequence();
  Batch batch(100);
  const auto more = inputs.fill(batch, ctx_, [](FakeFile& file) -> Result<bool> {
    return Status::ioError("'" + file.name + "': disk on fire");
  });
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().message(), "'a': disk on fire");
}

TEST_F(InputSequenceTest, ACancelledRunOpensNothing) {
  auto inputs = sequence();
  ctx_.setCancelled(true);
  Batch batch(100);
  const auto more = inputs.fill(batch, ctx_, readOne(batch));
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().code(), StatusCode::kCancelled);
  EXPECT_TRUE(opened_.empty());
  EXPECT_EQ(ctx_.counter("files_read"), 0);
}

}  // namespace
}  // namespace ajuste::ingest
