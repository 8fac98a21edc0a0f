#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"
#include "ingest_common/source_options.hpp"

namespace ajuste::ingest_file {

// Options both ingest/csv and ingest/json take, with the same meaning (shared with ingest/jsonl).
using CommonSourceOptions = ingest::SourceOptions;

// The stage's JSON Schema: `own` (its own properties) plus path, mapping, sample_records and
// max_record_bytes, so both stages document the shared options in the same words.
[[nodiscard]] std::string sourceSchema(const std::string& own_properties_json, const std::string& path_description);

[[nodiscard]] inline Result<CommonSourceOptions> commonOptions(const nlohmann::json& with) {
  return ingest::sourceOptions(with);
}

}  // namespace ajuste::ingest_file
