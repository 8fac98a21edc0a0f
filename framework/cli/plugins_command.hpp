#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace ajuste {

struct PluginsCommandOptions {
  std::vector<std::string> plugin_paths;  // --plugin-path
  bool json = false;
  std::string stage;                      // for describe
};

// `ajuste plugins list [--json]`: every stage found, its kind, plugin file and version.
int runPluginsList(const PluginsCommandOptions& options, std::ostream& out, std::ostream& err);
// `ajuste plugins describe NAME [--json]`: summary, artifacts and an options table from the schema.
int runPluginsDescribe(const PluginsCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ajuste
