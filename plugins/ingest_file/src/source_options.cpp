#include "source_options.hpp"

#include <utility>

namespace ajuste::ingest_file {

std::string sourceSchema(const std::string& own_properties_json, const std::string& path_description) {
  nlohmann::json schema = {{"type", "object"}, {"additionalProperties", false}, {"required", {"path"}}};
  nlohmann::json properties = nlohmann::json::parse(own_properties_json);
  properties.update(ingest::sourceProperties(path_description));
  properties["max_record_bytes"] = {
      {"type", "integer"},
      {"minimum", 1},
      {"default", 67108864},
      {"description",
       "Longest record accepted, in bytes; a longer one is rejected (kind record_too_long / row_too_long) without "
       "being held in memory. Default 64 MiB."}};
  schema["properties"] = std::move(properties);
  return schema.dump(2);
}

}  // namespace ajuste::ingest_file
