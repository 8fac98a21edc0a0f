#include "config/pipeline.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "ajuste/json_schema.hpp"
#include "ajuste/suggest.hpp"

namespace ajuste {
namespace {

const char* const kPipelineSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["stages"],
  "properties": {
    "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$",
             "description": "Names the default run folder (runs/<name>); default: the file name without .yaml"},
    "description": {"type": "string"},
    "plugins": {
      "type": "object", "additionalProperties": false,
      "properties": {"paths": {"type": "array", "items": {"type": "string", "minLength": 1},
                               "description": "Folders or .so files searched for plugins, relative to this file"}}
    },
    "run": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "dir": {"type": "string", "minLength": 1, "description": "Run folder for outputs, rejects, state and summary"},
        "threads": {"type": "integer", "minimum": 0, "maximum": 1024, "description": "Worker threads; 0 = all cores"},
        "batch_size": {"type": "integer", "minimum": 1, "maximum": 1048576, "description": "Records per batch"},
        "queue_batches": {"type": "integer", "minimum": 0, "maximum": 4096,
                          "description": "Batches in flight between two steps; 0 = two per thread"},
        "max_reject_ratio": {"type": "number", "minimum": 0, "maximum": 1,
                             "description": "Fail the run (exit 1) when more than this share of records is rejected"},
        "max_rejects": {"type": "integer", "minimum": 0,
                        "description": "Fail the run (exit 1) when more records than this are rejected"}
      }
    },
    "stages": {
      "type": "array", "minItems": 1,
      "items": {
        "type": "object", "additionalProperties": false, "required": ["uses"],
        "properties": {
          "uses": {"type": "string", "pattern": "^[a-z0-9_]+/[a-z0-9_.-]+$",
                   "description": "The stage type, family/variant, e.g. ingest/jsonl"},
          "id": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]*$",
                 "description": "Unique name of this stage in the pipeline (for --set and messages)"},
          "with": {"type": "object", "description": "The stage's options, checked against its schema"},
          "description": {"type": "string"}
        }
      }
    }
  }
})json";

// "/stages/2/uses" -> "stages[2].uses": the way users think of their YAML.
std::string dottedPath(std::string_view pointer) {
  std::string out;
  std::size_t i = 0;
  while (i < pointer.size()) {
    const std::size_t next = pointer.find('/', i + 1);
    const std::string_view token = pointer.substr(i + 1, (next == std::string_view::npos ? pointer.size() : next) - i - 1);
    if (!token.empty() && token.find_first_not_of("0123456789") == std::string_view::npos) {
      out += "[" + std::string(token) + "]";
    } else {
      if (!out.empty()) out += ".";
      out += token;
    }
    if (next == std::string_view::npos) break;
    i = next;
  }
  return out;
}

const JsonSchema& pipelineSchema() {
  static const JsonSchema schema = [] {
    auto parsed = JsonSchema::parse(kPipelineSchema);
    if (!parsed.ok()) throw std::logic_error("the built-in pipeline schema is invalid: " + parsed.error().message());
    return std::move(parsed).value();
  }();
  return schema;
}

std::string defaultStageId(const std::string& uses) { return uses.substr(0, uses.find('/')); }

}  // namespace

const std::string& pipelineSchemaText() {
  static const std::string text = kPipelineSchema;
  return text;
}

SourceLocation Pipeline::locateOption(const StageSpec& stage, std::string_view option_pointer, bool prefer_key) const {
  std::string pointer = stage.pointer + "/with" + std::string(option_pointer);
  if (document.position(stage.pointer + "/with") == nullptr) return stage.location;
  return document.locate(pointer, prefer_key);
}

std::optional<Pipeline> parsePipeline(std::string_view text, const std::string& display_name,
                                      const std::filesystem::path& base_dir, const EnvLookup& env,
                                      std::vector<Diagnostic>& errors) {
  auto document = YamlDocument::parse(text, display_name, env, errors);
  if (!document) return std::nullopt;
  const nlohmann::json& root = document->root();
  if (!root.is_object()) {
    errors.push_back({document->locate(""), "a pipeline must be a mapping with a 'stages:' list (see pipelines/quickstart.yaml)"});
    return std::nullopt;
  }
  const std::size_t errors_before = errors.size();
  for (const SchemaViolation& violation : pipelineSchema().validate(root)) {
    const bool about_key = violation.keyword == "additionalProperties";
    const std::string where = dottedPath(violation.pointer);
    errors.push_back({document->locate(violation.pointer, about_key),
                      (where.empty() || about_key ? "" : where + ": ") + violation.message});
  }
  if (errors.size() != errors_before) return std::nullopt;

  Pipeline pipeline{.file = display_name, .name = {}, .plugin_paths = {}, .run = {}, .stages = {},
                    .document = std::move(*document)};
  const nlohmann::json& doc = pipeline.document.root();
  pipeline.name = doc.value("name", std::filesystem::path(display_name).stem().string());
  if (doc.contains("plugins") && doc["plugins"].contains("paths")) {
    for (const auto& path : doc["plugins"]["paths"]) {
      const std::filesystem::path p = path.get<std::string>();
      pipeline.plugin_paths.push_back(p.is_absolute() ? p.string() : (base_dir / p).lexically_normal().string());
    }
  }
  if (doc.contains("run")) {
    const auto& run = doc["run"];
    if (run.contains("dir")) pipeline.run.dir = run["dir"].get<std::string>();
    pipeline.run.threads = run.value("threads", 0u);
    pipeline.run.batch_size = run.value("batch_size", std::size_t{1024});
    pipeline.run.queue_batches = run.value("queue_batches", std::size_t{0});
    if (run.contains("max_reject_ratio")) pipeline.run.max_reject_ratio = run["max_reject_ratio"].get<double>();
    if (run.contains("max_rejects")) pipeline.run.max_rejects = run["max_rejects"].get<std::uint64_t>();
  }

  std::map<std::string, std::size_t> used_ids;
  std::set<std::string> explicit_ids;
  for (const auto& stage : doc["stages"]) {
    if (stage.contains("id")) explicit_ids.insert(stage["id"].get<std::string>());
  }
  std::size_t index = 0;
  for (const auto& stage : doc["stages"]) {
    StageSpec spec;
    spec.pointer = "/stages/" + std::to_string(index);
    spec.uses = stage["uses"].get<std::string>();
    spec.with = stage.contains("with") ? stage["with"] : nlohmann::json::object();
    spec.location = pipeline.document.locate(spec.pointer);
    spec.uses_location = pipeline.document.locate(spec.pointer + "/uses");
    if (stage.contains("id")) {
      spec.id = stage["id"].get<std::string>();
      if (used_ids.count(spec.id) != 0) {
        errors.push_back({pipeline.document.locate(spec.pointer + "/id"),
                          "stage id '" + spec.id + "' is used twice; give each stage its own id"});
      }
    } else {
      // Default ids are the family ("clean"); repeats get a number ("clean_2"), skipping
      // anything the user named explicitly.
      const std::string family = defaultStageId(spec.uses);
      spec.id = family;
      for (std::size_t n = 2; used_ids.count(spec.id) != 0 || explicit_ids.count(spec.id) != 0; ++n) {
        spec.id = family + "_" + std::to_string(n);
      }
    }
    used_ids[spec.id] = index;
    pipeline.stages.push_back(std::move(spec));
    ++index;
  }
  if (errors.size() != errors_before) return std::nullopt;
  return pipeline;
}

std::optional<Pipeline> loadPipeline(const std::filesystem::path& file, const EnvLookup& env,
                                     std::vector<Diagnostic>& errors) {
  auto text = readPipelineText(file, errors);
  if (!text) return std::nullopt;
  return parsePipeline(*text, file.string(), file.parent_path(), env, errors);
}

void applyOverride(Pipeline& pipeline, const std::string& assignment, std::vector<Diagnostic>& errors) {
  const SourceLocation where{"--set " + assignment, 0, 0};
  const std::size_t equals = assignment.find('=');
  const std::size_t dot = assignment.find('.');
  if (equals == std::string::npos || dot == std::string::npos || dot > equals || dot == 0 || dot + 1 == equals) {
    errors.push_back({where, "expected STAGE.OPTION=VALUE (e.g. --set split.valid_ratio=0.2 or --set run.threads=4)"});
    return;
  }
  const std::string target = assignment.substr(0, dot);
  const std::string path = assignment.substr(dot + 1, equals - dot - 1);
  const std::string text = assignment.substr(equals + 1);
  nlohmann::json value = typePlainScalar(text);

  std::string pointer;
  for (std::size_t start = 0; start <= path.size();) {
    const std::size_t next = std::min(path.find('.', start), path.size());
    pointer += "/" + escapePointerToken(path.substr(start, next - start));
    start = next + 1;
  }

  if (target == "run" && std::none_of(pipeline.stages.begin(), pipeline.stages.end(),
                                      [](const StageSpec& s) { return s.id == "run"; })) {
    nlohmann::json doc = pipeline.document.root();
    doc["run"][nlohmann::json::json_pointer(pointer)] = value;
    for (const SchemaViolation& violation : pipelineSchema().validate(doc)) {
      errors.push_back({where, dottedPath(violation.pointer) + ": " + violation.message});
    }
    if (!errors.empty()) return;
    const auto& run = doc["run"];
    if (run.contains("dir")) pipeline.run.dir = run["dir"].get<std::string>();
    pipeline.run.threads = run.value("threads", pipeline.run.threads);
    pipeline.run.batch_size = run.value("batch_size", pipeline.run.batch_size);
    pipeline.run.queue_batches = run.value("queue_batches", pipeline.run.queue_batches);
    if (run.contains("max_reject_ratio")) pipeline.run.max_reject_ratio = run["max_reject_ratio"].get<double>();
    if (run.contains("max_rejects")) pipeline.run.max_rejects = run["max_rejects"].get<std::uint64_t>();
    pipeline.document.root() = std::move(doc);
    return;
  }
  for (StageSpec& stage : pipeline.stages) {
    if (stage.id != target) continue;
    stage.with[nlohmann::json::json_pointer(pointer)] = value;
    pipeline.document.setPosition(stage.pointer + "/with" + pointer,
                                  NodePosition{where, where, value.is_string() ? std::nullopt : std::optional(text), std::nullopt, true});
    return;
  }
  std::vector<std::string> ids;
  for (const StageSpec& stage : pipeline.stages) ids.push_back(stage.id);
  std::string message = "no stage has the id '" + target + "'";
  if (const auto close = nearestName(target, ids)) message += "; did you mean '" + *close + "'?";
  std::string list;
  for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
  errors.push_back({where, message + " (stage ids: " + list + ", and 'run' for run settings)"});
}

}  // namespace ajuste
