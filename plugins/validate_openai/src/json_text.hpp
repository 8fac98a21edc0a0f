#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ajuste::validate_openai {

// Values quoted in reasons are cut to this many bytes, so a reason stays one readable line.
inline constexpr std::size_t kQuoteBytes = 60;

// Compact JSON text of `value`, cut at a character boundary after kQuoteBytes bytes ("...").
std::string quote(const nlohmann::json& value);

// "a number (42)", "an object ({\"text\":\"hi\"})", "null", "a boolean (true)": what a reason
// says it found.
std::string found(const nlohmann::json& value);

// OpenAI's name rule for message names and function names: ^[a-zA-Z0-9_-]{1,64}$.
bool isValidName(std::string_view name);

// `text` cut to at most `bytes` bytes at a UTF-8 character boundary, with "..." when cut.
std::string shorten(std::string_view text, std::size_t bytes);

}  // namespace ajuste::validate_openai
