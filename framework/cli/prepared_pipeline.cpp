#include "cli/prepared_pipeline.hpp"

#include <ostream>

#include "cli/exit_codes.hpp"
#include "common/redactor.hpp"

namespace ajuste {

void printDiagnostics(const std::vector<Diagnostic>& diagnostics, std::ostream& err) {
  for (const auto& diagnostic : diagnostics) err << Redactor::instance().redact(diagnostic.toString()) << '\n';
}

void checkAgainstPlugins(PreparedPipeline& prepared, const std::vector<std::string>& plugin_paths, std::ostream& err) {
  populateRegistry(prepared.registry, PluginSearch{plugin_paths, prepared.pipeline->plugin_paths, true});
  for (const auto& warning : prepared.registry.warnings()) err << "warning: " << warning << '\n';
  std::vector<Diagnostic> errors;
  CheckFailure failure = CheckFailure::kNone;
  prepared.checked = checkPipeline(*prepared.pipeline, prepared.registry, errors, failure);
  if (!prepared.checked) {
    printDiagnostics(errors, err);
    prepared.exit_code = failure == CheckFailure::kPlugins ? kExitPlugin : kExitUsage;
  }
}

}  // namespace ajuste
