#include "plugin/stage_registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>
#include <unistd.h>

#include "common/logger.hpp"

namespace ajuste {

void StageRegistry::addSearchPath(const std::filesystem::path& path, SearchRank rank, const std::string& given_by) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    problems_.push_back("plugin path '" + path.string() + "' (from " + given_by +
                        ") does not exist; fix the path or remove it");
    return;
  }
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  if (std::find(searched_.begin(), searched_.end(), canonical) != searched_.end()) return;
  searched_.push_back(canonical);

  if (!std::filesystem::is_directory(status)) {
    auto loaded = loadPlugin(path);
    if (!loaded.ok()) {
      problems_.push_back(loaded.error().message());
      return;
    }
    addPlugin(std::move(loaded).value(), rank);
    return;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    if (entry.path().extension() == ".so" && entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) {
    problems_.push_back("cannot list plugin folder '" + path.string() + "': " + ec.message());
    return;
  }
  std::sort(files.begin(), files.end());  // load order must not depend on the file system
  for (const auto& file : files) {
    auto loaded = loadPlugin(file);
    if (!loaded.ok()) {
      if (isNotAPluginError(loaded.error())) {
        Logger::instance().log(LogLevel::kDebug, "plugins", "skipped " + loaded.error().message());
      } else {
        problems_.push_back(loaded.error().message());
      }
      continue;
    }
    addPlugin(std::move(loaded).value(), rank);
  }
}

void StageRegistry::addPlugin(LoadedPlugin plugin, SearchRank rank) {
  auto shared = std::make_shared<const LoadedPlugin>(std::move(plugin));
  for (const StageInfo& info : shared->descriptor->stages) {
    auto schema = JsonSchema::parse(info.options_schema.empty() ? std::string_view("{}") : info.options_schema);
    // loadPlugin already refused invalid schemas.
    addStage(StageEntry{&info, shared, shared->path.string(), shared->descriptor->name, shared->descriptor->version,
                        std::move(schema).value(), rank});
  }
}

void StageRegistry::addInProcess(const StageInfo& info, std::string plugin_name) {
  auto schema = JsonSchema::parse(info.options_schema.empty() ? std::string_view("{}") : info.options_schema);
  if (!schema.ok()) {
    problems_.push_back("<in-process>: stage '" + info.name + "' has an invalid options schema: " +
                        schema.error().message());
    return;
  }
  addStage(StageEntry{&info, nullptr, "<in-process>", std::move(plugin_name), "0", std::move(schema).value(),
                      SearchRank::kUser});
}

void StageRegistry::addStage(StageEntry entry) {
  const std::string name = entry.info->name;
  const auto it = stages_.find(name);
  if (it == stages_.end()) {
    stages_.emplace(name, std::move(entry));
    return;
  }
  StageEntry& existing = it->second;
  if (existing.origin == entry.origin) return;
  if (existing.rank == SearchRank::kUser && entry.rank == SearchRank::kBuiltin) {
    warnings_.push_back("stage '" + name + "' from " + existing.origin + " overrides the built-in one in " +
                        entry.origin);
    return;
  }
  if (existing.rank == SearchRank::kBuiltin && entry.rank == SearchRank::kUser) {
    warnings_.push_back("stage '" + name + "' from " + entry.origin + " overrides the built-in one in " +
                        existing.origin);
    existing = std::move(entry);
    return;
  }
  problems_.push_back("stage '" + name + "' is provided by two plugins: " + existing.origin + " and " + entry.origin +
                      "; remove one of them from the plugin path");
}

const StageEntry* StageRegistry::find(std::string_view stage_name) const {
  const auto it = stages_.find(stage_name);
  return it == stages_.end() ? nullptr : &it->second;
}

std::vector<const StageEntry*> StageRegistry::entries() const {
  std::vector<const StageEntry*> out;
  for (const auto& [name, entry] : stages_) out.push_back(&entry);
  return out;
}

std::vector<std::string> StageRegistry::stageNames() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : stages_) out.push_back(name);
  return out;
}

std::vector<std::string> StageRegistry::producersOf(std::string_view artifact) const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : stages_) {
    const auto& produces = entry.info->produces;
    if (std::find(produces.begin(), produces.end(), artifact) != produces.end()) out.push_back(name);
  }
  return out;
}

std::vector<std::filesystem::path> builtinPluginFolders() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto bin = exe.parent_path();
  // build/bin/ajuste -> build/plugins; <prefix>/bin/ajuste -> <prefix>/lib/ajuste/plugins
  std::vector<std::filesystem::path> out;
  for (const auto& candidate : {bin.parent_path() / "plugins", bin.parent_path() / "lib" / "ajuste" / "plugins"}) {
    if (std::filesystem::is_directory(candidate, ec)) out.push_back(candidate);
  }
  return out;
}

void populateRegistry(StageRegistry& registry, const PluginSearch& search) {
  for (const auto& path : search.command_line) registry.addSearchPath(path, SearchRank::kUser, "--plugin-path");
  if (const char* env = std::getenv("AJUSTE_PLUGIN_PATH"); env != nullptr) {
    std::string_view rest(env);
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      const std::string_view item = rest.substr(0, colon);
      if (!item.empty()) registry.addSearchPath(std::string(item), SearchRank::kUser, "AJUSTE_PLUGIN_PATH");
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  for (const auto& path : search.pipeline) registry.addSearchPath(path, SearchRank::kUser, "the pipeline's plugins.paths");
  if (search.include_builtin) {
    for (const auto& folder : builtinPluginFolders()) registry.addSearchPath(folder, SearchRank::kBuiltin, "built-in");
  }
}

}  // namespace ajuste
