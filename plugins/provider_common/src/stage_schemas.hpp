#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace ajuste::provider {

// The options of the provider stages that do not depend on the provider, as JSON Schema
// "properties" blocks. A provider plugin adds its connection options (base_url, endpoint, ...)
// with composeSchema. Every option has a description: `ajuste plugins describe` shows them.
extern const std::string_view kUploadProperties;
extern const std::string_view kFinetuneProperties;
extern const std::string_view kMonitorProperties;

// {"type": "object", "additionalProperties": false, "properties": <all blocks merged>} plus the
// keywords in `extra` (a JSON object text: "required", "not", ...). Throws on malformed blocks:
// the blocks are constants of the plugin, so that is a bug caught by its tests.
std::string composeSchema(std::initializer_list<std::string_view> property_blocks, std::string_view extra = "{}");

}  // namespace ajuste::provider
