#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ajuste/status.hpp"
#include "regex_common/pcre2_regex.hpp"

namespace ajuste::evaluate_common {

// Pulls the answer out of a model reply with a PCRE2 pattern: capture group 1 when the pattern
// has one and it took part, else the whole match, trimmed of surrounding whitespace. A reply the
// pattern does not match (or that hits PCRE2's match limit) is unparsed: nullopt.
// Threads: not shareable (the regex owns match scratch space).
class AnswerExtractor {
 public:
  // A pattern that does not compile is a config error at `pointer`.
  static Result<AnswerExtractor> make(std::string_view pattern, const std::string& pointer);
  [[nodiscard]] std::optional<std::string> extract(std::string_view reply) const;

 private:
  explicit AnswerExtractor(std::unique_ptr<regex_common::Regex> regex) : regex_(std::move(regex)) {}
  std::unique_ptr<regex_common::Regex> regex_;
};

// One scored request: the expected label and the extracted prediction (nullopt: unparsed, or
// the request failed).
struct Scored {
  std::string expected;
  std::optional<std::string> predicted;
};

struct Interval {
  double low = 0;
  double high = 0;
};

// Wilson score interval for `successes` out of `n` (z = 1.96: 95 %). Unlike the normal
// approximation it stays inside [0, 1] and is honest for small n and accuracies near 1.
// n == 0 gives [0, 1].
Interval wilsonInterval(std::size_t successes, std::size_t n, double z = 1.959963984540054);

struct LabelMetrics {
  std::string label;
  std::size_t support = 0;    // requests whose expected label is this one
  std::size_t predicted = 0;  // requests predicted as this label
  double precision = 0;       // 0 when nothing was predicted as the label (no division by zero)
  double recall = 0;          // 0 when the label never occurs
  double f1 = 0;              // 0 when precision + recall is 0
};

// Rows: expected label, in `labels` order. Columns: predicted label in the same order, then
// one last "unparsed" column.
struct ConfusionMatrix {
  std::vector<std::string> labels;
  std::vector<std::vector<std::size_t>> counts;
};

struct Evaluation {
  std::size_t n = 0;
  std::size_t correct = 0;   // exact match of extracted answer and expected label
  std::size_t unparsed = 0;  // no answer extracted, failed request, or outside the declared labels
  double accuracy = 0;       // correct / n (0 when n == 0)
  Interval interval;         // Wilson 95 % interval of the accuracy
  ConfusionMatrix confusion;
  std::vector<LabelMetrics> per_label;
  // Mean |predicted - expected| over parsed predictions, when every label is a number or the
  // labels are declared ordinal (then a label's value is its position in the list).
  std::optional<double> mean_absolute_error;
};

// Scores `items`. `labels` empty: the label set is every expected and predicted answer, sorted.
// Given: a prediction outside the list counts as unparsed, and an expected label outside it is
// added at the end (the data decides what the truth is).
Evaluation evaluate(const std::vector<Scored>& items, std::vector<std::string> labels, bool ordinal);

}  // namespace ajuste::evaluate_common
