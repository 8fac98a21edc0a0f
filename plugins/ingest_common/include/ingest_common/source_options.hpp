#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ajuste/status.hpp"
#include "ingest_common/mapping.hpp"

namespace ajuste::ingest {

// Options every ingest source takes, with the same meaning (README.md of ingest_common).
struct SourceOptions {
  std::string path;
  std::optional<Mapping> mapping;
  std::size_t sample_records = 100;
};

// The JSON Schema properties `path`, `mapping` and `sample_records`, so that every source
// documents the shared options in the same words; a source adds its own properties to them.
[[nodiscard]] nlohmann::json sourceProperties(const std::string& path_description);

// From the schema-checked options; config errors point inside "/mapping".
[[nodiscard]] Result<SourceOptions> sourceOptions(const nlohmann::json& with);

}  // namespace ajuste::ingest
