#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ajuste {

// Optimal-string-alignment (restricted Damerau-Levenshtein) distance: insertions, deletions,
// substitutions and swaps of two adjacent characters each cost 1. Counts Unicode code points, so
// "niño" vs "nino" is 1, not 2. Case-sensitive; `nearestName` folds ASCII case before calling it.
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate a user most likely meant by `word`, for "did you mean ...?" hints.
// Compares case-insensitively (ASCII). A candidate qualifies when its distance is at most
// max(1, length(word) / 3), or when one name is a prefix of the other and the shorter one has at
// least 3 characters ("rat" -> "ratio"). Among qualifying candidates the smallest distance wins;
// ties go to the earlier candidate, so callers control preference by order.
// Returns nullopt for an empty `word` (nothing to correct) and never suggests an empty candidate.
std::optional<std::string> nearestName(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ajuste
