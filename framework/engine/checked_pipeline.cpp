#include "engine/checked_pipeline.hpp"

#include <algorithm>
#include <set>

#include "ajuste/suggest.hpp"
#include "common/redactor.hpp"

namespace ajuste {
namespace {

std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// "/provider/api_key" -> "provider.api_key"
std::string optionName(std::string_view pointer) {
  std::string out;
  for (std::size_t i = 0; i < pointer.size(); ++i) {
    if (pointer[i] == '/') {
      if (i != 0) out += '.';
    } else {
      out += pointer[i];
    }
  }
  return out;
}

// An unquoted YAML scalar such as `suffix: 2024` reads as a number; when the schema wants a
// string there, the user meant the text.
void coercePlainScalars(nlohmann::json& value, const std::string& pointer, const JsonSchema& schema,
                        const Pipeline& pipeline, const StageSpec& stage) {
  if (value.is_object()) {
    for (auto& [key, child] : value.items()) {
      coercePlainScalars(child, pointer + "/" + escapePointerToken(key), schema, pipeline, stage);
    }
    return;
  }
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      coercePlainScalars(value[i], pointer + "/" + std::to_string(i), schema, pipeline, stage);
    }
    return;
  }
  const NodePosition* position = pipeline.document.position(stage.pointer + "/with" + pointer);
  if (position == nullptr) return;
  const auto expected = schema.expectedTypes(pointer);
  const auto accepts = [&](std::string_view type) {
    return std::find(expected.begin(), expected.end(), type) != expected.end();
  };
  const auto typeOf = [](const nlohmann::json& v) -> std::string_view {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return "boolean";
    if (v.is_number_integer()) return "integer";
    if (v.is_number()) return "number";
    if (v.is_string()) return "string";
    return "other";
  };
  const auto fits = [&](const nlohmann::json& v) {
    return accepts(typeOf(v)) || (v.is_number_integer() && accepts("number"));
  };
  if (expected.empty() || fits(value)) return;
  if (value.is_string()) {
    if (!position->interpolated_text) return;
    nlohmann::json typed = typePlainScalar(*position->interpolated_text);
    if (fits(typed)) value = std::move(typed);
    return;
  }
  if (position->plain_text && accepts("string")) value = *position->plain_text;
}

void registerSecrets(const nlohmann::json& value, const std::string& pointer, const JsonSchema& schema) {
  if (schema.isSecret(pointer) && value.is_string()) Redactor::instance().add(value.get<std::string>());
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) registerSecrets(child, pointer + "/" + escapePointerToken(key), schema);
  }
}

}  // namespace

std::string ResolvedStage::label() const { return "stage '" + spec->id + "' (" + spec->uses + ")"; }

std::optional<CheckedPipeline> checkPipeline(const Pipeline& pipeline, const StageRegistry& registry,
                                             std::vector<Diagnostic>& errors, CheckFailure& failure) {
  const std::size_t errors_before = errors.size();
  failure = CheckFailure::kNone;
  for (const auto& problem : registry.problems()) {
    errors.push_back({SourceLocation{"plugins", 0, 0}, problem});
    failure = CheckFailure::kPlugins;
  }
  for (const auto& secret : pipeline.document.secrets()) Redactor::instance().add(secret);

  CheckedPipeline checked{&pipeline, {}};
  for (const StageSpec& spec : pipeline.stages) {
    const StageEntry* entry = registry.find(spec.uses);
    if (entry == nullptr) {
      std::string message = "unknown stage '" + spec.uses + "'";
      if (const auto close = nearestName(spec.uses, registry.stageNames())) message += "; did you mean '" + *close + "'?";
      const auto names = registry.stageNames();
      message += names.empty() ? " (no plugins were found: build them, or point --plugin-path at their folder)"
                               : " (available: " + joined(names) + "; `ajuste plugins list` shows where each comes from)";
      errors.push_back({spec.uses_location, message});
      if (failure == CheckFailure::kNone) failure = CheckFailure::kPipeline;
      continue;
    }
    ResolvedStage resolved{&spec, entry, spec.with};
    if (!resolved.options.is_object()) resolved.options = nlohmann::json::object();
    coercePlainScalars(resolved.options, "", entry->schema, pipeline, spec);
    const auto violations = entry->schema.validate(resolved.options);
    for (const SchemaViolation& violation : violations) {
      const bool about_key = violation.keyword == "additionalProperties";
      std::string where = resolved.label();
      if (!violation.pointer.empty() && !about_key) where += ", option " + optionName(violation.pointer);
      errors.push_back({pipeline.locateOption(spec, violation.pointer, about_key), where + ": " + violation.message});
    }
    if (!violations.empty()) {
      if (failure == CheckFailure::kNone) failure = CheckFailure::kPipeline;
      continue;
    }
    resolved.options = entry->schema.withDefaults(resolved.options);
    registerSecrets(resolved.options, "", entry->schema);
    checked.stages.push_back(std::move(resolved));
  }
  if (errors.size() != errors_before) return std::nullopt;

  // The chain: records flow source -> records stages -> sink, contiguously.
  enum class Flow { kNone, kFlowing, kConsumed } flow = Flow::kNone;
  const ResolvedStage* source = nullptr;
  const ResolvedStage* sink = nullptr;
  std::set<std::string> artifacts;
  for (const ResolvedStage& stage : checked.stages) {
    const SourceLocation& where = stage.spec->uses_location;
    switch (stage.kind()) {
      case StageKind::kSource:
        if (source != nullptr) {
          errors.push_back({where, stage.label() + ": a pipeline reads records from one source, and " +
                                       source->label() + " is already one; read several files with one ingest stage"});
        }
        source = &stage;
        flow = Flow::kFlowing;
        break;
      case StageKind::kRecords:
      case StageKind::kSink:
        if (flow == Flow::kNone) {
          errors.push_back({where, stage.label() + " needs records, but no earlier stage produces them; start the "
                                                   "pipeline with an ingest stage such as ingest/jsonl"});
        } else if (flow == Flow::kConsumed) {
          errors.push_back({where, stage.label() + " needs records, but " + sink->label() +
                                       " before it already wrote them out; move it before that stage"});
        }
        if (stage.kind() == StageKind::kSink) {
          sink = &stage;
          flow = Flow::kConsumed;
        }
        break;
      case StageKind::kArtifacts:
        if (flow == Flow::kFlowing) {
          errors.push_back({where, stage.label() + " works on artifacts, but records from " + source->label() +
                                       " are still flowing here; end the record stages with a sink such as "
                                       "split/random first"});
        }
        break;
    }
    for (const auto& needed : stage.entry->info->consumes) {
      if (artifacts.count(needed) != 0 || needed.ends_with('?')) continue;
      std::string message = stage.label() + " needs artifact '" + needed + "', which no earlier stage provides";
      const auto producers = registry.producersOf(needed);
      message += producers.empty() ? "" : "; add a stage that produces it before this one (" + joined(producers, " or ") + ")";
      errors.push_back({where, message});
    }
    for (const auto& produced : stage.entry->info->produces) artifacts.insert(produced);
  }
  if (flow == Flow::kFlowing) {
    errors.push_back({source->spec->uses_location,
                      "records from " + source->label() +
                          " are never written out: end the record stages with a sink such as split/random"});
  }
  if (errors.size() != errors_before) {
    if (failure == CheckFailure::kNone) failure = CheckFailure::kPipeline;
    return std::nullopt;
  }
  return checked;
}

}  // namespace ajuste
