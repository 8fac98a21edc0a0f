#include "ingest_common/source_options.hpp"

#include <utility>

namespace ajuste::ingest {

nlohmann::json sourceProperties(const std::string& path_description) {
  nlohmann::json properties = nlohmann::json::object();
  properties["path"] = {{"type", "string"}, {"minLength", 1}, {"description", path_description}};
  properties["mapping"] = Mapping::schema();
  properties["sample_records"] = {
      {"type", "integer"},
      {"minimum", 0},
      {"default", 100},
      {"description",
       "Records read from the start of each input before the run to check that the mapping fits the data (a "
       "missing column is a config error then, not thousands of rejects later). 0 checks only CSV headers."}};
  return properties;
}

Result<SourceOptions> sourceOptions(const nlohmann::json& with) {
  SourceOptions options;
  options.path = with.at("path").get<std::string>();
  options.sample_records = with.value("sample_records", std::size_t{100});
  if (const auto it = with.find("mapping"); it != with.end()) {
    auto mapping = Mapping::fromOptions(*it);
    if (!mapping.ok()) return mapping.error();
    options.mapping = std::move(mapping).value();
  }
  return options;
}

}  // namespace ajuste::ingest
