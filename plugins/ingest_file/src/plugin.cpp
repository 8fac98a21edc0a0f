// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "csv_source.hpp"
#include "json_source.hpp"

namespace ajuste::ingest_file {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-ingest-file", .version = "0.1.0", .stages = {CsvSource::info(), JsonSource::info()}};
  return kDescriptor;
}

}  // namespace ajuste::ingest_file

AJUSTE_EXPORT_PLUGIN(ajuste::ingest_file::describe)
