// A well-formed plugin whose stages misbehave on purpose, to test the runner's firewall.
#include <memory>
#include <stdexcept>

#include "ajuste/export.hpp"

namespace test_plugin {

class Passthrough final : public ajuste::RecordStage {
 public:
  ajuste::Status process(ajuste::Batch& /*batch*/, ajuste::Context& /*ctx*/) override { return ajuste::Status::ok(); }
};

class Throws final : public ajuste::RecordStage {
 public:
  ajuste::Status process(ajuste::Batch& /*batch*/, ajuste::Context& /*ctx*/) override {
    throw std::runtime_error("boom in process");
  }
};

// Live objects from this library: the registry must keep it loaded while they exist.
ajuste::Result<std::unique_ptr<ajuste::Stage>> makePassthrough(const nlohmann::json& /*with*/, ajuste::Context& /*ctx*/) {
  return std::unique_ptr<ajuste::Stage>(std::make_unique<Passthrough>());
}
ajuste::Result<std::unique_ptr<ajuste::Stage>> makeThrows(const nlohmann::json& /*with*/, ajuste::Context& /*ctx*/) {
  return std::unique_ptr<ajuste::Stage>(std::make_unique<Throws>());
}
ajuste::Result<std::unique_ptr<ajuste::Stage>> makeRefuses(const nlohmann::json& with, ajuste::Context& /*ctx*/) {
  if (with.value("limit", 0) > 10) return ajuste::Status::configError("/limit", "must be <= 10 here, got " + with["limit"].dump());
  return std::unique_ptr<ajuste::Stage>(std::make_unique<Passthrough>());
}
ajuste::Result<std::unique_ptr<ajuste::Stage>> makeFactoryThrows(const nlohmann::json& /*with*/, ajuste::Context& /*ctx*/) {
  throw std::logic_error("factory exploded");
}

const ajuste::PluginDescriptor& describe() {
  static const ajuste::PluginDescriptor descriptor{
      .name = "test-plugin",
      .version = "1.2.3",
      .stages = {
          {.name = "test/passthrough", .kind = ajuste::StageKind::kRecords, .summary = "Keeps every record.",
           .options_schema = R"({"type":"object","additionalProperties":false})", .consumes = {}, .produces = {},
           .parallel = true, .make = makePassthrough},
          {.name = "test/throws", .kind = ajuste::StageKind::kRecords, .summary = "Throws.",
           .options_schema = R"({"type":"object"})", .consumes = {}, .produces = {}, .parallel = false,
           .make = makeThrows},
          {.name = "test/refuses", .kind = ajuste::StageKind::kRecords, .summary = "Refuses a large limit.",
           .options_schema = R"({"type":"object","properties":{"limit":{"type":"integer"}}})", .consumes = {},
           .produces = {}, .parallel = false, .make = makeRefuses},
          {.name = "test/factory_throws", .kind = ajuste::StageKind::kRecords, .summary = "Throws in its factory.",
           .options_schema = "{}", .consumes = {}, .produces = {}, .parallel = false, .make = makeFactoryThrows},
      }};
  return descriptor;
}

}  // namespace test_plugin

AJUSTE_EXPORT_PLUGIN(test_plugin::describe)
