#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/source_location.hpp"
#include "config/yaml_document.hpp"

namespace ajuste {

// One entry of `stages:`.
struct StageSpec {
  std::string id;        // unique in the pipeline; defaults to the family of `uses` ("split")
  std::string uses;      // "split/random"
  nlohmann::json with;   // options as written (after interpolation), before schema defaults
  std::string pointer;   // "/stages/2" in the document, to locate errors
  SourceLocation location;       // the stage item
  SourceLocation uses_location;  // its `uses:` value
};

struct RunSettings {
  std::optional<std::string> dir;  // run folder; default runs/<pipeline name>
  unsigned threads = 0;            // 0 = all cores
  std::size_t batch_size = 1024;   // records per batch
  std::size_t queue_batches = 0;   // batches in flight between two steps; 0 = 2 per thread
  std::optional<double> max_reject_ratio;  // gate: fail (exit 1) above this share of rejects
  std::optional<std::uint64_t> max_rejects;
};

// A pipeline file, read and structurally checked (not yet checked against the plugins).
struct Pipeline {
  std::filesystem::path file;
  std::string name;
  std::vector<std::string> plugin_paths;  // resolved against the pipeline file's folder
  RunSettings run;
  std::vector<StageSpec> stages;
  YamlDocument document;

  // file:line:column of a stage's option given by a JSON pointer inside its `with:`.
  [[nodiscard]] SourceLocation locateOption(const StageSpec& stage, std::string_view option_pointer,
                                            bool prefer_key = false) const;
};

// Reads `file`, interpolates the environment, checks the structure. Every problem found is
// appended to `errors` (all of them, not only the first).
std::optional<Pipeline> loadPipeline(const std::filesystem::path& file, const EnvLookup& env,
                                     std::vector<Diagnostic>& errors);
std::optional<Pipeline> parsePipeline(std::string_view text, const std::string& display_name,
                                      const std::filesystem::path& base_dir, const EnvLookup& env,
                                      std::vector<Diagnostic>& errors);

// `--set split.valid_ratio=0.2` / `--set run.threads=4`: the value is read as a YAML scalar.
// Unknown stage ids are errors that list the ids there are.
void applyOverride(Pipeline& pipeline, const std::string& assignment, std::vector<Diagnostic>& errors);

// The JSON Schema of a pipeline file itself (shown by `ajuste validate --schema`).
const std::string& pipelineSchemaText();

}  // namespace ajuste
