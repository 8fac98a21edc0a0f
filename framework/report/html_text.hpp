#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// Text helpers for the HTML report. Every function is locale-independent (std::to_chars, no
// iostreams, no printf) so the same summary always gives a byte-identical page.
namespace ajuste::report {

// Escapes `text` for HTML text and for attribute values in double or single quotes.
// Bytes that are not valid UTF-8, and control characters other than tab, newline and carriage
// return, become U+FFFD: the summary holds user data and the page declares UTF-8.
// "://" is written "&#58;//": a URL in user text reads the same, but the page source holds no
// "http://" or "https://" at all, which makes "no external reference" checkable with grep.
[[nodiscard]] std::string escapeHtml(std::string_view text);

// 54702 -> "54,702".
[[nodiscard]] std::string formatInteger(std::int64_t value);
[[nodiscard]] std::string formatInteger(std::uint64_t value);

// Fixed notation with exactly `decimals` digits after the point; "-0.0" is written "0.0";
// NaN and infinities are written "n/a".
[[nodiscard]] std::string formatFixed(double value, int decimals);

// For people: integers grouped ("1,234"); other values with a precision that suits their
// size (123.4, 1.23, 0.1641) and trailing zeros dropped.
[[nodiscard]] std::string formatReadable(double value);

// A JSON scalar for people: numbers as formatReadable, strings as they are, booleans yes/no,
// null as an empty string; arrays and objects as compact JSON.
[[nodiscard]] std::string formatJsonValue(const nlohmann::json& value);

// For SVG coordinates: at most two decimals, trailing zeros dropped ("12.5", "40", "7.25").
[[nodiscard]] std::string formatCoordinate(double value);

// "0.25 s", "12.3 s", "4 min 05 s", "2 h 03 min".
[[nodiscard]] std::string formatDuration(double seconds);

// US dollars: "$1.37", or "$0.1641" under one dollar so small estimates stay visible.
[[nodiscard]] std::string formatUsd(double usd);

// Compact JSON (invalid UTF-8 replaced, never throws on it), cut after `max_chars` code points
// with "…" appended when longer.
[[nodiscard]] std::string compactJson(const nlohmann::json& value, std::size_t max_chars);

// The first `max_chars` code points of valid UTF-8 `text`, with "…" appended when it was longer.
[[nodiscard]] std::string truncateText(std::string_view text, std::size_t max_chars);

}  // namespace ajuste::report
