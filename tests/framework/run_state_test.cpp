#include "engine/run_state.hpp"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste {
namespace {

using ::testing::HasSubstr;

class RunStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ajuste-run-state-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  [[nodiscard]] std::filesystem::path file() const { return dir_ / "state.json"; }
  std::filesystem::path dir_;
};

TEST_F(RunStateTest, AFirstRunStartsEmpty) {
  RunState state(file());
  ASSERT_TRUE(state.load(false).isOk());
  EXPECT_FALSE(state.loadedPrevious());
  EXPECT_FALSE(state.stageState("upload"));
  EXPECT_TRUE(state.artifacts().empty());
}

TEST_F(RunStateTest, StageLedgersOutliveTheRunButArtifactsBelongToIt) {
  {
    RunState first(file());
    ASSERT_TRUE(first.load(false).isOk());
    ASSERT_TRUE(first.saveStageState("upload", {{"files", {{"abc123", "file-1"}}}}).isOk());
    ASSERT_TRUE(first.publish("upload", "training_file_id", "file-1").isOk());
  }
  RunState rerun(file());
  ASSERT_TRUE(rerun.load(false).isOk());
  EXPECT_TRUE(rerun.loadedPrevious());
  ASSERT_TRUE(rerun.stageState("upload"));
  EXPECT_EQ((*rerun.stageState("upload"))["files"]["abc123"], "file-1");
  EXPECT_FALSE(rerun.artifact("training_file_id"));

  RunState resumed(file());
  ASSERT_TRUE(resumed.load(false).isOk());  // the re-run rewrote the file without the artifact
  ASSERT_TRUE(resumed.publish("upload", "training_file_id", "file-1").isOk());
  RunState resumed_again(file());
  ASSERT_TRUE(resumed_again.load(true).isOk());
  EXPECT_EQ(resumed_again.artifact("training_file_id"), nlohmann::json("file-1"));
  EXPECT_EQ((*resumed_again.stageState("upload"))["files"]["abc123"], "file-1");
}

TEST_F(RunStateTest, AnUnreadableStateFileIsAnErrorAndIsLeftAsItWas) {
  {
    std::ofstream out(file());
    out << "{\"stages\": {\"finetune\": {\"job\": \"ftjob-1\"";  // cut short by a full disk, say
  }
  RunState state(file());
  const Status loaded = state.load(true);
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.code(), StatusCode::kIoError);
  EXPECT_THAT(loaded.message(), HasSubstr("state.json is not valid JSON"));
  std::ifstream in(file());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "{\"stages\": {\"finetune\": {\"job\": \"ftjob-1\"");
}

}  // namespace
}  // namespace ajuste
