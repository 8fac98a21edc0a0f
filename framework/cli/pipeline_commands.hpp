#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace ajuste {

struct PipelineCommandOptions {
  std::string pipeline;                   // path of the YAML file
  std::vector<std::string> overrides;     // --set STAGE.OPTION=VALUE
  std::vector<std::string> plugin_paths;  // --plugin-path
  std::string run_dir;                    // --run-dir (empty: the pipeline's, or runs/<name>)
  int threads = -1;                       // --threads (-1: the pipeline's; 0: all cores)
  std::string progress = "auto";          // auto | live | lines | off
  bool json = false;                      // print the summary as JSON on stdout
  bool resume = false;                    // --resume: continue the run in run_dir
};

// `ajuste validate`: everything a run checks before it starts, and nothing else.
int runValidateCommand(const PipelineCommandOptions& options, std::ostream& out, std::ostream& err);
// `ajuste run`.
int runRunCommand(const PipelineCommandOptions& options, std::ostream& out, std::ostream& err,
                  const std::atomic<bool>& interrupted);

}  // namespace ajuste
