#include "plugin/plugin_loader.hpp"

#include <regex>
#include <set>
#include <string>

#include <boost/dll/shared_library.hpp>  // BOOST_DLL_USE_STD_FS comes from the build

#include "ajuste/json_schema.hpp"
#include "plugin/plugin_call.hpp"

namespace ajuste {
namespace {

constexpr std::string_view kNotAPlugin = "not an ajuste plugin";

Status checkDescriptor(const PluginDescriptor& descriptor, const std::string& file) {
  const std::string who = file + ": plugin '" + descriptor.name + "'";
  if (descriptor.name.empty()) return Status::pluginBug(file + ": the plugin descriptor has an empty name");
  if (descriptor.stages.empty()) return Status::pluginBug(who + " declares no stages");
  static const std::regex kStageName("[a-z0-9_]+/[a-z0-9_.-]+");
  std::set<std::string> seen;
  for (const StageInfo& stage : descriptor.stages) {
    if (!std::regex_match(stage.name, kStageName)) {
      return Status::pluginBug(who + ": stage name '" + stage.name +
                               "' is not of the form family/variant in lowercase (e.g. clean/min_length)");
    }
    if (!seen.insert(stage.name).second) return Status::pluginBug(who + " declares stage '" + stage.name + "' twice");
    if (stage.make == nullptr) return Status::pluginBug(who + ": stage '" + stage.name + "' has no factory");
    auto schema = JsonSchema::parse(stage.options_schema.empty() ? std::string_view("{}") : stage.options_schema);
    if (!schema.ok()) {
      return Status::pluginBug(who + ": stage '" + stage.name + "' has an invalid options schema: " +
                               schema.error().message());
    }
  }
  return Status::ok();
}

// Boost.DLL wraps dlerror() as "...load() failed (dlerror system message: PATH: WHAT): Bad
// file descriptor"; the user needs only WHAT (the path is already in our message).
std::string dlerrorText(std::string_view what, const std::string& file) {
  constexpr std::string_view kMarker = "(dlerror system message: ";
  const std::size_t start = what.find(kMarker);
  const std::size_t end = what.rfind("): ");
  if (start == std::string_view::npos || end == std::string_view::npos || end < start) return std::string(what);
  std::string_view inner = what.substr(start + kMarker.size(), end - start - kMarker.size());
  if (inner.rfind(file + ": ", 0) == 0) inner.remove_prefix(file.size() + 2);
  return std::string(inner);
}

}  // namespace

bool isNotAPluginError(const Status& status) {
  return status.message().find(kNotAPlugin) != std::string::npos;
}

Result<LoadedPlugin> loadPlugin(const std::filesystem::path& path) {
  namespace dll = boost::dll;
  const std::string file = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::ioError(file + ": plugin file not found");
  }
  std::shared_ptr<const dll::shared_library> library;
  try {
    // The throwing constructor keeps dlerror()'s text ("undefined symbol: ..."); the
    // error_code overload reduces it to "Bad file descriptor" (Boost.DLL issue #38).
    library = std::make_shared<const dll::shared_library>(path, dll::load_mode::rtld_local | dll::load_mode::rtld_now);
  } catch (const std::exception& e) {
    return Status::pluginBug(file + ": cannot load plugin: " + dlerrorText(e.what(), file) +
                             " (is it a shared library built for this machine, with all its dependencies installed?)");
  }
  if (!library->has("ajuste_abi_v1")) {
    return Status::pluginBug(file + ": " + std::string(kNotAPlugin) +
                             " (no ajuste_abi_v1 symbol); export it with AJUSTE_EXPORT_PLUGIN from <ajuste/export.hpp>");
  }
  const auto abi = callPlugin(file, "its ABI stamp", [&]() -> Result<AbiStamp> {
    return library->get_alias<AbiStamp()>("ajuste_abi_v1")();
  });
  if (!abi.ok()) return abi.error();
  if (*abi != kAbiStamp) {
    return Status::pluginBug(file + ": built for SDK ABI " + toString(*abi) + ", but this runner needs SDK ABI " +
                             toString(kAbiStamp) + "; rebuild the plugin against the installed SDK");
  }
  if (!library->has("ajuste_plugin_v1")) {
    return Status::pluginBug(file + ": has an ABI stamp but no ajuste_plugin_v1 descriptor; export the plugin with "
                                    "AJUSTE_EXPORT_PLUGIN instead of defining the symbols by hand");
  }
  const auto descriptor = callPlugin(file, "its descriptor", [&]() -> Result<const PluginDescriptor*> {
    return &library->get_alias<const PluginDescriptor&()>("ajuste_plugin_v1")();
  });
  if (!descriptor.ok()) return descriptor.error();
  if (Status checked = checkDescriptor(**descriptor, file); !checked.isOk()) return checked;
  return LoadedPlugin{std::move(library), *descriptor, path};
}

}  // namespace ajuste
