#include "report/html_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace ajuste::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";      // U+2026

bool isContinuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

// Length of the valid UTF-8 sequence starting at text[at], or 0 when it is not one
// (overlong forms, surrogates and code points above U+10FFFF are not valid).
std::size_t validSequenceLength(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const std::size_t left = text.size() - at;
  const unsigned char lead = byte(0);
  if (lead < 0x80U) return 1;
  std::size_t length = 0;
  unsigned char second_min = 0x80U;
  unsigned char second_max = 0xBFU;
  if (lead >= 0xC2U && lead <= 0xDFU) {
    length = 2;
  } else if (lead >= 0xE0U && lead <= 0xEFU) {
    length = 3;
    if (lead == 0xE0U) second_min = 0xA0U;
    if (lead == 0xEDU) second_max = 0x9FU;
  } else if (lead >= 0xF0U && lead <= 0xF4U) {
    length = 4;
    if (lead == 0xF0U) second_min = 0x90U;
    if (lead == 0xF4U) second_max = 0x8FU;
  } else {
    return 0;
  }
  if (left < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (!isContinuation(byte(i))) return 0;
  }
  return length;
}

// Inserts "," between groups of three digits in the integer part of a plain decimal string.
std::string groupThousands(std::string text) {
  const std::size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  std::size_t end = text.find('.');
  if (end == std::string::npos) end = text.size();
  for (std::size_t at = end; at > start + 3; at -= 3) text.insert(at - 3, 1, ',');
  return text;
}

std::string trimZeros(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

}  // namespace

std::string escapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = validSequenceLength(text, at);
    if (length == 0) {
      out += kReplacement;
      ++at;
      continue;
    }
    if (length > 1) {
      out.append(text.substr(at, length));
      at += length;
      continue;
    }
    const char c = text[at];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case ':':
        if (text.substr(at, 3) == "://") {
          out += "&#58;";
        } else {
          out += c;
        }
        break;
      case '\t':
      case '\n':
      case '\r': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20U || c == 0x7F) {
          out += kReplacement;
        } else {
          out += c;
        }
    }
    ++at;
  }
  return out;
}

std::string formatInteger(std::uint64_t value) { return groupThousands(std::to_string(value)); }

std::string formatInteger(std::int64_t value) { return groupThousands(std::to_string(value)); }

std::string formatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  if (decimals < 0) decimals = 0;
  if (decimals > 20) decimals = 20;
  std::array<char, 400> buffer{};
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, decimals);
  if (error != std::errc()) return "n/a";
  std::string text(buffer.data(), end);
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string formatReadable(double value) {
  if (!std::isfinite(value)) return "n/a";
  const double magnitude = std::fabs(value);
  if (magnitude < 1e15 && value == std::trunc(value)) return formatInteger(static_cast<std::int64_t>(value));
  if (magnitude >= 100) return groupThousands(trimZeros(formatFixed(value, 1)));
  if (magnitude >= 1) return trimZeros(formatFixed(value, 2));
  if (magnitude >= 0.01) return trimZeros(formatFixed(value, 4));
  std::array<char, 64> buffer{};
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::general, 3);
  if (error != std::errc()) return "n/a";
  return {buffer.data(), end};
}

std::string formatJsonValue(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::number_unsigned: return formatInteger(value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_integer: return formatInteger(value.get<std::int64_t>());
    case nlohmann::json::value_t::number_float: return formatReadable(value.get<double>());
    case nlohmann::json::value_t::string: return value.get<std::string>();
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "yes" : "no";
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded: return {};
    default: return compactJson(value, 200);
  }
}

std::string formatCoordinate(double value) { return trimZeros(formatFixed(value, 2)); }

std::string formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "n/a";
  if (seconds < 10) return formatFixed(seconds, 2) + " s";
  if (seconds < 59.95) return formatFixed(seconds, 1) + " s";
  const auto total = static_cast<std::int64_t>(std::llround(seconds));
  const auto two = [](std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  if (total < 3600) return std::to_string(total / 60) + " min " + two(total % 60) + " s";
  return std::to_string(total / 3600) + " h " + two(total % 3600 / 60) + " min";
}

std::string formatUsd(double usd) {
  if (!std::isfinite(usd)) return "n/a";
  return "$" + groupThousands(formatFixed(usd, std::fabs(usd) < 1 ? 4 : 2));
}

std::string truncateText(std::string_view text, std::size_t max_chars) {
  std::size_t points = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (isContinuation(static_cast<unsigned char>(text[at]))) continue;
    if (points == max_chars) return std::string(text.substr(0, at)) + std::string(kEllipsis);
    ++points;
  }
  return std::string(text);
}

std::string compactJson(const nlohmann::json& value, std::size_t max_chars) {
  return truncateText(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), max_chars);
}

}  // namespace ajuste::report
