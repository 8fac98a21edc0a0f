#include "source_options.hpp"

#include <utility>

namespace ajuste::ingest_file {

std::string sourceSchema(const std::string& own_properties_json, const std::string& path_description) {
  nlohmann::json schema = {{"type", "object"}, {"additionalProperties", false}, {"required", {"path"}}};
  nlohmann::json properties = nlohmann::json::parse(own_properties_json);
  properties["path"] = {{"type", "string"}, {"minLength", 1}, {"description", path_description}};
  properties["mapping"] = ingest::Mapping::schema();
  properties["sample_records"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"default", 100},
      {"description",
       "Records read from the start of each input before the run to check that the mapping fits the data (a "
       "missing column is a config error then, not thousands of rejects later). 0 checks only CSV headers."}};
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

Result<CommonSourceOptions> commonOptions(const nlohmann::json& with) {
  CommonSourceOptions options;
  options.path = with.at("path").get<std::string>();
  options.sample_records = with.value("sample_records", std::size_t{100});
  if (const auto it = with.find("mapping"); it != with.end()) {
    auto mapping = ingest::Mapping::fromOptions(*it);
    if (!mapping.ok()) return mapping.error();
    options.mapping = std::move(mapping).value();
  }
  return options;
}

}  // namespace ajuste::ingest_file
