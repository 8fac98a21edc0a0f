#pragma once

#include <filesystem>
#include <memory>

#include "ajuste/plugin.hpp"
#include "ajuste/status.hpp"

namespace boost::dll {
class shared_library;
}

namespace ajuste {

// A plugin library, loaded and checked. `library` keeps the code mapped: every object made by
// the plugin must hold a copy of it (declared before the object, so it is released last).
struct LoadedPlugin {
  std::shared_ptr<const boost::dll::shared_library> library;
  const PluginDescriptor* descriptor = nullptr;
  std::filesystem::path path;
};

// Loads `path` with RTLD_NOW (missing symbols fail here, not mid-run), checks the ABI stamp
// before touching anything else, then reads and checks the descriptor. Every error names the
// file, what is wrong and what to do.
Result<LoadedPlugin> loadPlugin(const std::filesystem::path& path);

// True when the error from loadPlugin means "this file is not an ajuste plugin at all" (a
// helper library next to a plugin): directory scans skip those quietly.
bool isNotAPluginError(const Status& status);

}  // namespace ajuste
