#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/json_schema.hpp"
#include "ajuste/plugin.hpp"
#include "config/source_location.hpp"
#include "plugin/plugin_loader.hpp"

namespace ajuste {

// Where a plugin was found. The user's own places come first and may shadow a built-in stage
// (with a warning); two plugins of the same rank claiming one stage name is an error.
enum class SearchRank { kUser, kBuiltin };

struct StageEntry {
  const StageInfo* info = nullptr;
  std::shared_ptr<const LoadedPlugin> plugin;  // null for stages registered in-process
  std::string origin;                          // the plugin file, or "<in-process>"
  std::string plugin_name;
  std::string plugin_version;
  JsonSchema schema;
  SearchRank rank = SearchRank::kBuiltin;
};

// The stages this runner knows, found by scanning search paths. An object, not a global:
// tests build their own with in-process stages.
class StageRegistry {
 public:
  // Loads every plugin in `path` (a folder's *.so files, or one file). A folder's files that
  // are not ajuste plugins are skipped; a missing path or a broken plugin is a problem.
  void addSearchPath(const std::filesystem::path& path, SearchRank rank, const std::string& given_by);
  void addPlugin(LoadedPlugin plugin, SearchRank rank);
  // For tests and for stages compiled into the runner.
  void addInProcess(const StageInfo& info, std::string plugin_name = "in-process");

  [[nodiscard]] const StageEntry* find(std::string_view stage_name) const;
  [[nodiscard]] std::vector<const StageEntry*> entries() const;
  [[nodiscard]] std::vector<std::string> stageNames() const;
  // Stages that produce an artifact, for "which stage provides X" hints.
  [[nodiscard]] std::vector<std::string> producersOf(std::string_view artifact) const;

  // Load failures and conflicts: each makes plugin-dependent commands fail with exit code 3.
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }
  [[nodiscard]] const std::vector<std::filesystem::path>& searched() const { return searched_; }

 private:
  void addStage(StageEntry entry);

  std::map<std::string, StageEntry, std::less<>> stages_;
  std::vector<std::string> problems_;
  std::vector<std::string> warnings_;
  std::vector<std::filesystem::path> searched_;
};

// The search path in precedence order: --plugin-path, AJUSTE_PLUGIN_PATH, the pipeline's
// plugins.paths, then the folders next to the executable (build tree and install tree).
struct PluginSearch {
  std::vector<std::string> command_line;
  std::vector<std::string> pipeline;
  bool include_builtin = true;
};
void populateRegistry(StageRegistry& registry, const PluginSearch& search);
std::vector<std::filesystem::path> builtinPluginFolders();

}  // namespace ajuste
