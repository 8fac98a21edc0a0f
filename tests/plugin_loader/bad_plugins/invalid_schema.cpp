// A stage whose options schema uses a type that JSON Schema does not have.
#include <memory>

#include "ajuste/export.hpp"

namespace invalid_schema {
ajuste::Result<std::unique_ptr<ajuste::Stage>> make(const nlohmann::json& /*with*/, ajuste::Context& /*ctx*/) {
  return ajuste::Status::internal("never called");
}
const ajuste::PluginDescriptor& describe() {
  static const ajuste::PluginDescriptor descriptor{
      .name = "invalid-schema", .version = "0.0.1",
      .stages = {{.name = "test/invalid_schema", .kind = ajuste::StageKind::kRecords, .summary = "Bad schema.",
                  .options_schema = R"({"type": "integr"})", .consumes = {}, .produces = {}, .parallel = false,
                  .make = make}}};
  return descriptor;
}
}  // namespace invalid_schema

AJUSTE_EXPORT_PLUGIN(invalid_schema::describe)
