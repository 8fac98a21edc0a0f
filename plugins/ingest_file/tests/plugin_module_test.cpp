// The built module, loaded once as the runner loads it: ABI stamp, descriptor, schemas.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/json_schema.hpp"
#include "plugin/plugin_loader.hpp"

namespace ajuste::ingest_file {
namespace {

TEST(IngestFilePlugin, TheBuiltModuleExportsBothStagesWithValidSchemas) {
  auto loaded = loadPlugin(AJUSTE_INGEST_FILE_MODULE);
  ASSERT_TRUE(loaded.ok()) << loaded.error().toString();
  EXPECT_EQ(loaded->descriptor->name, "builtin-ingest-file");
  std::vector<std::string> names;
  for (const auto& stage : loaded->descriptor->stages) {
    names.push_back(stage.name);
    EXPECT_EQ(stage.kind, StageKind::kSource);
    EXPECT_TRUE(stage.parallel);
    EXPECT_TRUE(JsonSchema::parse(stage.options_schema).ok()) << stage.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"ingest/csv", "ingest/json"}));
}

}  // namespace
}  // namespace ajuste::ingest_file
