#include "metrics_csv.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace ajuste::provider {
namespace {

struct Column {
  const char* report_name;
  std::array<const char*, 4> headers;  // accepted header names, most common first; nullptr ends
};

constexpr std::array<Column, 5> kColumns = {{
    {"step", {"step", nullptr, nullptr, nullptr}},
    {"train_loss", {"train_loss", "training_loss", nullptr, nullptr}},
    {"valid_loss", {"valid_loss", "validation_loss", nullptr, nullptr}},
    {"train_accuracy", {"train_accuracy", "train_mean_token_accuracy", "training_accuracy", nullptr}},
    {"valid_accuracy",
     {"valid_mean_token_accuracy", "validation_mean_token_accuracy", "valid_accuracy", "validation_accuracy"}},
}};

std::vector<std::string> splitRow(std::string_view line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

nlohmann::json cellValue(const std::string& raw) {
  const std::string text = trimmed(raw);
  if (text.empty()) return nullptr;
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value)) return nullptr;
  if (value == std::floor(value) && std::fabs(value) < 9.0e15) return static_cast<std::int64_t>(value);
  return value;
}

}  // namespace

nlohmann::json emptyMetrics() {
  nlohmann::json out = nlohmann::json::object();
  for (const Column& column : kColumns) out[column.report_name] = nlohmann::json::array();
  return out;
}

nlohmann::json metricsFromCsv(std::string_view csv) {
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < csv.size();) {
    std::size_t end = csv.find('\n', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string line(csv.substr(start, end - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!trimmed(line).empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  nlohmann::json out = emptyMetrics();
  if (lines.empty()) return out;

  const std::vector<std::string> header = splitRow(lines.front());
  std::array<std::optional<std::size_t>, kColumns.size()> index{};
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    for (const char* name : kColumns[c].headers) {
      if (name == nullptr || index[c]) break;
      for (std::size_t h = 0; h < header.size(); ++h) {
        if (trimmed(header[h]) == name) {
          index[c] = h;
          break;
        }
      }
    }
  }
  for (std::size_t row = 1; row < lines.size(); ++row) {
    const std::vector<std::string> cells = splitRow(lines[row]);
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      const bool present = index[c] && *index[c] < cells.size();
      out[kColumns[c].report_name].push_back(present ? cellValue(cells[*index[c]]) : nlohmann::json(nullptr));
    }
  }
  return out;
}

}  // namespace ajuste::provider
