#pragma once

#include <string>
#include <string_view>

namespace ajuste::clean_dedupe {

struct NormalizeOptions {
  bool collapse_whitespace = true;  // runs of whitespace become one space; ends are trimmed
  bool ignore_case = false;         // ASCII letters only: no Unicode tables, same result everywhere
};

// Appends the normalized form of `text` to `out`. Whitespace is ASCII whitespace plus the
// Unicode space separators, NEL and the line/paragraph separators, recognised on their UTF-8
// bytes: no locale and no Unicode library, so the key is the same on every machine. Invalid
// UTF-8 passes through byte for byte.
void appendNormalized(std::string_view text, const NormalizeOptions& options, std::string& out);

[[nodiscard]] inline std::string normalized(std::string_view text, const NormalizeOptions& options) {
  std::string out;
  appendNormalized(text, options, out);
  return out;
}

}  // namespace ajuste::clean_dedupe
