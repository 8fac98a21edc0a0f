#include "evaluate_common/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace ajuste::evaluate_common {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::optional<double> asNumber(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// The value MAE compares: the number a label spells, or its position when declared ordinal.
std::optional<std::vector<double>> ordinalValues(const std::vector<std::string>& labels, bool ordinal) {
  std::vector<double> values;
  for (const std::string& label : labels) {
    const auto number = asNumber(label);
    if (!number) break;
    values.push_back(*number);
  }
  if (values.size() == labels.size() && !labels.empty()) return values;
  if (!ordinal) return std::nullopt;
  values.clear();
  for (std::size_t i = 0; i < labels.size(); ++i) values.push_back(static_cast<double>(i));
  return values;
}

}  // namespace

Result<AnswerExtractor> AnswerExtractor::make(std::string_view pattern, const std::string& pointer) {
  auto regex = regex_common::Regex::compile(pattern, pointer);
  if (!regex.ok()) return regex.error();
  return AnswerExtractor(std::move(regex).value());
}

std::optional<std::string> AnswerExtractor::extract(std::string_view reply) const {
  bool limit_hit = false;
  const auto match = regex_->find(reply, 0, limit_hit);
  if (!match) return std::nullopt;
  return std::string(trim(reply.substr(match->group_begin, match->group_end - match->group_begin)));
}

Interval wilsonInterval(std::size_t successes, std::size_t n, double z) {
  if (n == 0) return {0, 1};
  const double total = static_cast<double>(n);
  const double p = static_cast<double>(successes) / total;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const double half = z / (1 + z2 / total) * std::sqrt(p * (1 - p) / total + z2 / (4 * total * total));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Evaluation evaluate(const std::vector<Scored>& items, std::vector<std::string> labels, bool ordinal) {
  const bool declared = !labels.empty();
  if (!declared) {
    std::set<std::string> seen;
    for (const Scored& item : items) {
      seen.insert(item.expected);
      if (item.predicted) seen.insert(*item.predicted);
    }
    labels.assign(seen.begin(), seen.end());
  } else {
    for (const Scored& item : items) {
      if (std::find(labels.begin(), labels.end(), item.expected) == labels.end()) labels.push_back(item.expected);
    }
  }
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < labels.size(); ++i) index.emplace(labels[i], i);

  Evaluation result;
  result.n = items.size();
  const std::size_t unparsed_column = labels.size();
  result.confusion.labels = labels;
  result.confusion.counts.assign(labels.size(), std::vector<std::size_t>(labels.size() + 1, 0));
  const auto values = ordinalValues(labels, ordinal);
  double absolute_error = 0;
  std::size_t compared = 0;
  for (const Scored& item : items) {
    const std::size_t row = index.at(item.expected);
    std::size_t column = unparsed_column;
    if (item.predicted) {
      if (const auto it = index.find(*item.predicted); it != index.end()) column = it->second;
    }
    ++result.confusion.counts[row][column];
    if (column == unparsed_column) {
      ++result.unparsed;
      continue;
    }
    if (column == row) ++result.correct;
    if (values) {
      absolute_error += std::abs((*values)[column] - (*values)[row]);
      ++compared;
    }
  }
  result.accuracy = result.n == 0 ? 0 : static_cast<double>(result.correct) / static_cast<double>(result.n);
  result.interval = wilsonInterval(result.correct, result.n);
  if (values && compared > 0) result.mean_absolute_error = absolute_error / static_cast<double>(compared);

  for (std::size_t i = 0; i < labels.size(); ++i) {
    LabelMetrics metrics{.label = labels[i]};
    for (std::size_t j = 0; j <= labels.size(); ++j) metrics.support += result.confusion.counts[i][j];
    for (std::size_t r = 0; r < labels.size(); ++r) metrics.predicted += result.confusion.counts[r][i];
    const double hits = static_cast<double>(result.confusion.counts[i][i]);
    if (metrics.predicted > 0) metrics.precision = hits / static_cast<double>(metrics.predicted);
    if (metrics.support > 0) metrics.recall = hits / static_cast<double>(metrics.support);
    if (metrics.precision + metrics.recall > 0) {
      metrics.f1 = 2 * metrics.precision * metrics.recall / (metrics.precision + metrics.recall);
    }
    result.per_label.push_back(std::move(metrics));
  }
  return result;
}

}  // namespace ajuste::evaluate_common
