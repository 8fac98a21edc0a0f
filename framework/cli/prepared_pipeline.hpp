#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "config/pipeline.hpp"
#include "engine/checked_pipeline.hpp"
#include "plugin/stage_registry.hpp"

namespace ajuste {

// A pipeline read and checked against the plugins: what `run`, `validate` and `check` share.
// Not movable: `checked` points into `pipeline` and `registry`.
struct PreparedPipeline {
  PreparedPipeline() = default;
  PreparedPipeline(const PreparedPipeline&) = delete;
  PreparedPipeline& operator=(const PreparedPipeline&) = delete;

  std::optional<Pipeline> pipeline;
  StageRegistry registry;
  std::optional<CheckedPipeline> checked;
  int exit_code = 0;  // kExitOk, or why preparing failed
};

void printDiagnostics(const std::vector<Diagnostic>& diagnostics, std::ostream& err);

// Loads plugins (command line, environment, the pipeline's paths, built-in folders) and checks
// `prepared.pipeline` against them; prints every problem and sets `exit_code` on failure.
void checkAgainstPlugins(PreparedPipeline& prepared, const std::vector<std::string>& plugin_paths, std::ostream& err);

}  // namespace ajuste
