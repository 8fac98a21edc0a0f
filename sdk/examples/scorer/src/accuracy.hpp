#pragma once

#include <cstddef>
#include <string>

namespace example {

// One approach's answers: every request counts in `n`, a failed one as wrong (a production
// request that fails gives the user no answer either).
struct Tally {
  std::string model;
  std::size_t n = 0;
  std::size_t correct = 0;
  std::size_t errors = 0;  // requests without an answer (output null)

  [[nodiscard]] double accuracy() const { return n == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(n); }
};

struct Interval {
  double low = 0;
  double high = 1;
};

// The Wilson score interval at 95 %: unlike the normal approximation it stays inside [0, 1] and
// is honest at 0 or n successes, which small evaluation sets hit often. n = 0 gives [0, 1].
Interval wilson95(std::size_t successes, std::size_t n);

// One line that states the verdict and its reason, e.g. "use the fine-tuned model: it is 25.0
// points more accurate on keyword match (fine-tuned 75.0%, prompt 50.0%)". Within `tie_points` the prompt
// wins: it needs no training and no hosting.
std::string recommend(const Tally& base_prompt, const Tally& fine_tuned, double tie_points);

}  // namespace example
