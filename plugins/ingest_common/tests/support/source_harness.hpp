#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"
#include "ajuste/testing/recording_context.hpp"
#include "ajuste/testing/stage_harness.hpp"
#include "scratch_dir.hpp"

namespace ajuste::ingest::testing {

// What the factory says to options the schema accepts (relative paths start from `base_dir`);
// a test failure when the factory accepts them.
inline Status factoryRefusal(const StageInfo& info, const nlohmann::json& options,
                             const std::filesystem::path& base_dir = {}) {
  auto checked = ajuste::testing::checkOptions(info, options);
  if (!checked.ok()) return checked.error();
  ajuste::testing::RecordingContext ctx(std::string(info.name));
  if (!base_dir.empty()) ctx.setBaseDir(base_dir);
  auto made = info.make(*checked, ctx);
  EXPECT_FALSE(made.ok()) << "the factory of " << info.name << " accepted " << options.dump();
  return made.ok() ? Status::ok() : made.error();
}

// The fixture of a source stage's tests (`Source::info()` is the stage): a scratch folder to
// write its inputs in, named after the stage ("ingest-csv-..."), and runs of the stage.
template <class Source>
class SourceTest : public ::testing::Test {
 protected:
  // Writes an input file; returns its full path, as a `path` option takes it.
  std::string write(const std::string& name, const std::string& bytes) { return dir_.write(name, bytes).string(); }

  // Runs the stage on `options` through the SDK harness (schema check, factory, read, decode);
  // context() is then that run's context.
  ajuste::testing::StageOutput run(const nlohmann::json& options, std::size_t batch_size = 64) {
    harness_.emplace(Source::info(), options.dump());
    harness_->setBatchSize(batch_size);
    return harness_->runSource();
  }
  // The counters, progress and logs of the last run().
  ajuste::testing::RecordingContext& context() { return harness_.value().context(); }

  // What the factory says to `options` (the harness would turn a refusal into an exception).
  static Status refusal(const nlohmann::json& options) { return factoryRefusal(Source::info(), options); }

  ScratchDir dir_{scratchTag()};

 private:
  static std::string scratchTag() {
    std::string tag(Source::info().name);
    std::replace(tag.begin(), tag.end(), '/', '-');
    return tag;
  }

  std::optional<ajuste::testing::StageHarness> harness_;
};

}  // namespace ajuste::ingest::testing
