#include <ajuste/export.hpp>

#include "jsonl_writer.hpp"

namespace ajuste::write_jsonl {

const PluginDescriptor& describe() {
  static const PluginDescriptor descriptor{
      .name = "builtin-write-jsonl", .version = "0.1.0", .stages = {JsonlWriter::info()}};
  return descriptor;
}

}  // namespace ajuste::write_jsonl

AJUSTE_EXPORT_PLUGIN(ajuste::write_jsonl::describe)
