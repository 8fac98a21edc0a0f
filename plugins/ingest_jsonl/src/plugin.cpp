// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "jsonl_source.hpp"

namespace ajuste::ingest_jsonl {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-ingest-jsonl", .version = "0.2.0", .stages = {JsonlSource::info()}};
  return kDescriptor;
}

}  // namespace ajuste::ingest_jsonl

AJUSTE_EXPORT_PLUGIN(ajuste::ingest_jsonl::describe)
