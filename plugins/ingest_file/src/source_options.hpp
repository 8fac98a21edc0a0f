#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"
#include "ingest_common/mapping.hpp"

namespace ajuste::ingest_file {

// Options both ingest/csv and ingest/json take, with the same meaning.
struct CommonSourceOptions {
  std::string path;
  std::optional<ingest::Mapping> mapping;
  std::size_t sample_records = 100;
};

// The stage's JSON Schema: `own` (its own properties) plus path, mapping, sample_records and
// max_record_bytes, so both stages document the shared options in the same words.
[[nodiscard]] std::string sourceSchema(const std::string& own_properties_json, const std::string& path_description);

[[nodiscard]] Result<CommonSourceOptions> commonOptions(const nlohmann::json& with);

}  // namespace ajuste::ingest_file
