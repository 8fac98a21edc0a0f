#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"
#include "ajuste/testing/recording_context.hpp"
#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::ingest::testing {

// Runs a source stage on `options` through the SDK harness (schema check, factory, read, decode).
inline ajuste::testing::StageOutput runSource(const StageInfo& info, const nlohmann::json& options,
                                              std::size_t batch_size = 64) {
  ajuste::testing::StageHarness harness{info, options.dump()};
  harness.setBatchSize(batch_size);
  return harness.runSource();
}

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

}  // namespace ajuste::ingest::testing
