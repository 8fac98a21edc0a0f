#include "ajuste/suggest.hpp"

#include <algorithm>
#include <cstdint>

namespace ajuste {
namespace {

// Decodes UTF-8 leniently: a malformed byte becomes one unit of its own, so distances stay defined
// for any input (names come from user files and may be in any encoding).
std::vector<std::uint32_t> codePoints(std::string_view text, bool fold_case) {
  std::vector<std::uint32_t> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    std::uint32_t value = lead;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      value = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      value = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      value = lead & 0x07u;
    }
    bool well_formed = i + length <= text.size();
    for (std::size_t k = 1; well_formed && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0u) != 0x80u) {
        well_formed = false;
      } else {
        value = (value << 6) | (next & 0x3Fu);
      }
    }
    if (!well_formed) {
      length = 1;
      value = lead;
    }
    if (fold_case && value >= 'A' && value <= 'Z') value += 'a' - 'A';
    out.push_back(value);
    i += length;
  }
  return out;
}

std::size_t osaDistance(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  // Three rolling rows are enough: a transposition looks back two rows.
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> before_previous(width), previous(width), current(width);
  for (std::size_t j = 0; j < width; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

bool startsWith(const std::vector<std::uint32_t>& text, const std::vector<std::uint32_t>& prefix) {
  return prefix.size() <= text.size() && std::equal(prefix.begin(), prefix.end(), text.begin());
}

}  // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
  return osaDistance(codePoints(a, false), codePoints(b, false));
}

std::optional<std::string> nearestName(std::string_view word, const std::vector<std::string>& candidates) {
  const auto folded_word = codePoints(word, true);
  if (folded_word.empty()) return std::nullopt;
  const std::size_t limit = std::max<std::size_t>(1, folded_word.size() / 3);
  constexpr std::size_t kMinPrefix = 3;

  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const auto folded = codePoints(candidate, true);
    if (folded.empty()) continue;
    const std::size_t distance = osaDistance(folded_word, folded);
    const bool prefix_match = std::min(folded.size(), folded_word.size()) >= kMinPrefix &&
                              (startsWith(folded, folded_word) || startsWith(folded_word, folded));
    if (distance > limit && !prefix_match) continue;
    if (best == nullptr || distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace ajuste
