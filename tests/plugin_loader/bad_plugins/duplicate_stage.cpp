// Claims `test/passthrough`, which test_plugin already provides.
#include <memory>

#include "ajuste/export.hpp"

namespace duplicate_stage {
class Keep final : public ajuste::RecordStage {
 public:
  ajuste::Status process(ajuste::Batch& /*batch*/, ajuste::Context& /*ctx*/) override { return ajuste::Status::ok(); }
};
ajuste::Result<std::unique_ptr<ajuste::Stage>> make(const nlohmann::json& /*with*/, ajuste::Context& /*ctx*/) {
  return std::unique_ptr<ajuste::Stage>(std::make_unique<Keep>());
}
const ajuste::PluginDescriptor& describe() {
  static const ajuste::PluginDescriptor descriptor{
      .name = "duplicate", .version = "0.0.1",
      .stages = {{.name = "test/passthrough", .kind = ajuste::StageKind::kRecords, .summary = "A second claim.",
                  .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = false, .make = make}}};
  return descriptor;
}
}  // namespace duplicate_stage

AJUSTE_EXPORT_PLUGIN(duplicate_stage::describe)
