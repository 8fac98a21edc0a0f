#include "common/redactor.hpp"

#include <algorithm>

namespace ajuste {

Redactor& Redactor::instance() {
  static Redactor redactor;
  return redactor;
}

void Redactor::add(std::string_view secret) {
  if (secret.size() < 4) return;
  const std::lock_guard lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  secrets_.emplace_back(secret);
  // Longest first, so a secret that contains another is blanked whole.
  std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string Redactor::redact(std::string_view text) const {
  std::string out(text);
  const std::lock_guard lock(mutex_);
  for (const auto& secret : secrets_) {
    for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kRedacted.size())) {
      out.replace(at, secret.size(), kRedacted);
    }
  }
  return out;
}

void Redactor::clearForTesting() {
  const std::lock_guard lock(mutex_);
  secrets_.clear();
}

}  // namespace ajuste
