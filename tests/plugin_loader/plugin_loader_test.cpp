#include "plugin/plugin_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/recording_context.hpp"
#include "plugin/stage_registry.hpp"

namespace ajuste {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(PluginLoader, LoadsAWellFormedPluginAndReadsItsDescriptor) {
  auto loaded = loadPlugin(TEST_PLUGIN);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->descriptor->name, "test-plugin");
  EXPECT_EQ(loaded->descriptor->version, "1.2.3");
  ASSERT_EQ(loaded->descriptor->stages.size(), 4u);
  EXPECT_EQ(loaded->descriptor->stages[0].name, "test/passthrough");
}

TEST(PluginLoader, SaysWhenAFileIsNotASharedLibrary) {
  const auto loaded = loadPlugin(NOT_A_LIBRARY);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code(), StatusCode::kPluginBug);
  EXPECT_EQ(loaded.error().message(), std::string(NOT_A_LIBRARY) +
                                          ": cannot load plugin: invalid ELF header (is it a shared library built for "
                                          "this machine, with all its dependencies installed?)");
}

TEST(PluginLoader, SaysWhenALibraryHasNoAjusteSymbols) {
  const auto loaded = loadPlugin(NO_SYMBOLS_PLUGIN);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(),
            std::string(NO_SYMBOLS_PLUGIN) +
                ": not an ajuste plugin (no ajuste_abi_v1 symbol); export it with AJUSTE_EXPORT_PLUGIN from "
                "<ajuste/export.hpp>");
  EXPECT_TRUE(isNotAPluginError(loaded.error()));
}

TEST(PluginLoader, RefusesAbiMismatchBeforeReadingTheDescriptor) {
  const auto loaded = loadPlugin(ABI_MISMATCH_PLUGIN);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), std::string(ABI_MISMATCH_PLUGIN) + ": built for SDK ABI " +
                                          toString(AbiStamp{0, kAbiStamp.toolchain}) +
                                          ", but this runner needs SDK ABI " + toString(kAbiStamp) +
                                          "; rebuild the plugin against the installed SDK");
  EXPECT_THAT(loaded.error().message(), HasSubstr("built for SDK ABI 0 (libstdc++"));
}

TEST(PluginLoader, NamesTheMissingSymbolAtLoadTimeNotMidRun) {
  const auto loaded = loadPlugin(MISSING_SYMBOL_PLUGIN);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), std::string(MISSING_SYMBOL_PLUGIN) +
                                          ": cannot load plugin: undefined symbol: ajuste_test_symbol_that_does_not_exist "
                                          "(is it a shared library built for this machine, with all its dependencies "
                                          "installed?)");
}

TEST(PluginLoader, ADescriptorThatThrowsIsReportedNotPropagated) {
  const auto loaded = loadPlugin(THROWING_DESCRIPTOR_PLUGIN);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(),
            std::string(THROWING_DESCRIPTOR_PLUGIN) +
                " threw an exception in its descriptor: descriptor exploded (a plugin must return an error Status "
                "instead; report this to the plugin's authors)");
}

TEST(PluginLoader, RefusesAStageWhoseOptionsSchemaIsInvalid) {
  const auto loaded = loadPlugin(INVALID_SCHEMA_PLUGIN);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.error().message(),
              StartsWith(std::string(INVALID_SCHEMA_PLUGIN) +
                         ": plugin 'invalid-schema': stage 'test/invalid_schema' has an invalid options schema: "));
  EXPECT_THAT(loaded.error().message(), HasSubstr("integr"));
}

TEST(PluginLoader, MissingFileIsAnIoError) {
  const auto loaded = loadPlugin("/nonexistent/plugin.so");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message(), "/nonexistent/plugin.so: plugin file not found");
}

TEST(StageRegistry, TwoPluginsClaimingOneStageIsAnErrorNamingBothFiles) {
  StageRegistry registry;
  registry.addSearchPath(TEST_PLUGIN, SearchRank::kUser, "--plugin-path");
  registry.addSearchPath(DUPLICATE_STAGE_PLUGIN, SearchRank::kUser, "--plugin-path");
  ASSERT_EQ(registry.problems().size(), 1u);
  EXPECT_EQ(registry.problems()[0], "stage 'test/passthrough' is provided by two plugins: " + std::string(TEST_PLUGIN) +
                                        " and " + std::string(DUPLICATE_STAGE_PLUGIN) +
                                        "; remove one of them from the plugin path");
}

TEST(StageRegistry, AUserPluginOverridesABuiltinOneWithAWarning) {
  StageRegistry registry;
  registry.addSearchPath(DUPLICATE_STAGE_PLUGIN, SearchRank::kUser, "--plugin-path");
  registry.addSearchPath(TEST_PLUGIN, SearchRank::kBuiltin, "built-in");
  EXPECT_TRUE(registry.problems().empty());
  ASSERT_EQ(registry.warnings().size(), 1u);
  EXPECT_EQ(registry.find("test/passthrough")->plugin_name, "duplicate");
}

TEST(StageRegistry, AMissingSearchPathIsAProblemNamingWhoGaveIt) {
  StageRegistry registry;
  registry.addSearchPath("/nonexistent/plugins", SearchRank::kUser, "--plugin-path");
  ASSERT_EQ(registry.problems().size(), 1u);
  EXPECT_EQ(registry.problems()[0],
            "plugin path '/nonexistent/plugins' (from --plugin-path) does not exist; fix the path or remove it");
}

TEST(StageRegistry, ScanningAFolderSkipsLibrariesThatAreNotPlugins) {
  StageRegistry registry;
  registry.addSearchPath(std::filesystem::path(NO_SYMBOLS_PLUGIN).parent_path(), SearchRank::kUser, "--plugin-path");
  EXPECT_TRUE(registry.problems().empty());
  EXPECT_TRUE(registry.entries().empty());
}

TEST(StageRegistry, KeepsTheLibraryLoadedWhileAStageItMadeIsAlive) {
  std::unique_ptr<Stage> stage;
  std::shared_ptr<const LoadedPlugin> plugin;
  {
    StageRegistry registry;
    registry.addSearchPath(TEST_PLUGIN, SearchRank::kUser, "--plugin-path");
    const StageEntry* entry = registry.find("test/passthrough");
    ASSERT_NE(entry, nullptr);
    plugin = entry->plugin;
    testing::RecordingContext context;
    auto made = entry->info->make(nlohmann::json::object(), context);
    ASSERT_TRUE(made.ok());
    stage = std::move(made).value();
  }
  // The registry is gone; the stage's code must still be mapped because `plugin` holds it.
  Batch batch;
  testing::RecordingContext context;
  EXPECT_TRUE(stage->asRecords()->process(batch, context).isOk());
  stage.reset();  // destroyed before its library is released
}

}  // namespace
}  // namespace ajuste
