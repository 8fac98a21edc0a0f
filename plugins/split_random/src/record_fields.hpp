#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ajuste/record.hpp"

namespace ajuste::split_random {

// What the split reads from a record: a stratum label or a group key.

// FNV-1a, 64 bits: a stable hash (same value on every platform and run) for seeds and keys.
[[nodiscard]] std::uint64_t fnv1a64(std::string_view bytes);

// The record's final answer: the last assistant message of `preferred_output` (preference
// data), else of `messages` (chat), else the legacy `completion`. nullopt when there is none.
[[nodiscard]] std::optional<nlohmann::json> answerOf(const nlohmann::json& value);

// The value at a JSON pointer into record.value, else into record.meta["fields"] (where an
// earlier stage may have kept extracted fields). nullopt when absent or null.
[[nodiscard]] std::optional<nlohmann::json> fieldAt(const Record& record, const nlohmann::json::json_pointer& pointer);

// A field as a label: strings as they are, anything else as its compact JSON (5 -> "5").
[[nodiscard]] std::string labelText(const nlohmann::json& field);

}  // namespace ajuste::split_random
