#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ajuste {

// Remembers secret values (API keys, tokens) and blanks them out of any text before it is
// logged, printed or written to a report or state file. One per process: secrets come from
// several places (pipeline interpolation, Context::secret) and every output path must see them.
class Redactor {
 public:
  static Redactor& instance();

  // Values shorter than 4 characters are not registered: blanking every "a" would destroy
  // messages while protecting nothing.
  void add(std::string_view secret);
  [[nodiscard]] std::string redact(std::string_view text) const;
  void clearForTesting();

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
};

inline constexpr std::string_view kRedacted = "***";

}  // namespace ajuste
