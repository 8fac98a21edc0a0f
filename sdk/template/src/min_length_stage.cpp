#include "min_length_stage.hpp"

namespace example {
namespace {

std::size_t codePoints(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u ? 1 : 0;
  return count;
}

}  // namespace

const ajuste::StageInfo& MinLengthStage::info() {
  static const ajuste::StageInfo info{
      .name = "example/min_length",
      .kind = ajuste::StageKind::kRecords,
      .summary = "Rejects records whose text field is shorter than min_chars characters. A template to start "
                 "your own stage from.",
      .options_schema = R"json({
        "type": "object", "additionalProperties": false, "required": ["min_chars"],
        "properties": {
          "field": {"type": "string", "default": "text", "description": "Top-level field holding the text"},
          "min_chars": {"type": "integer", "minimum": 1, "description": "Shortest text kept, in characters"}
        }})json",
      .consumes = {},
      .produces = {},
      .parallel = true,  // keeps no state between batches: the runner may use one per core
      .make = &MinLengthStage::make,
  };
  return info;
}

// The runner has already checked `with` against the schema and filled in defaults.
ajuste::Result<std::unique_ptr<ajuste::Stage>> MinLengthStage::make(const nlohmann::json& with, ajuste::Context&) {
  MinLengthOptions options{.field = with.at("field").get<std::string>(),
                           .min_chars = with.at("min_chars").get<std::size_t>()};
  return std::unique_ptr<ajuste::Stage>(std::make_unique<MinLengthStage>(std::move(options)));
}

ajuste::Status MinLengthStage::process(ajuste::Batch& batch, ajuste::Context&) {
  for (ajuste::Record& record : batch) {
    const auto it = record.value.find(options_.field);
    if (it == record.value.end() || !it->is_string()) {
      batch.reject(record, "field '" + options_.field + "' is missing or not a string", "missing_field");
    } else if (codePoints(it->get_ref<const std::string&>()) < options_.min_chars) {
      batch.reject(record, "text shorter than min_chars=" + std::to_string(options_.min_chars), "too_short");
    }
  }
  return ajuste::Status::ok();
}

}  // namespace example
