#pragma once

// The slow, obvious definition of normalizeText's control removal and whitespace tidying, as
// they were first written (code point by code point, line by line): the fast versions in
// src/normalize_text.cpp must give the same text on every input
// (NormalizeText.MatchesTheSlowDefinitionOnRandomTexts).

#include <string>
#include <string_view>
#include <vector>

#include "normalize_text.hpp"
#include "utf8.hpp"

namespace ajuste::clean_text::reference {

inline bool isControl(char32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

inline std::size_t removeControls(std::string& text, bool keep_tabs) {
  std::string out;
  out.reserve(text.size());
  std::size_t removed = 0;
  for (std::size_t at = 0; at < text.size();) {
    const CodePoint cp = decodeAt(text, at);
    const std::string_view bytes(text.data() + at, cp.length);
    at += cp.length;
    if (!cp.valid || !isControl(cp.value) || cp.value == '\n') {
      out += bytes;
    } else if (cp.value == '\t') {
      out += keep_tabs ? '\t' : ' ';
      removed += keep_tabs ? 0 : 1;
    } else if (cp.value == '\r') {
      // A lone "\r" is an old Mac line break; in "\r\n" the "\n" follows and is kept.
      if (at >= text.size() || text[at] != '\n') out += '\n';
      ++removed;
    } else {
      ++removed;
    }
  }
  if (removed > 0) text = std::move(out);
  return removed;
}

inline bool isBlank(char c) { return c == ' ' || c == '\t'; }

inline std::string tidyLine(std::string_view line, const NormalizeOptions& options) {
  std::size_t indent = 0;
  while (indent < line.size() && isBlank(line[indent])) ++indent;
  std::string out(line.substr(0, indent));  // indentation carries meaning (code, lists): kept
  out.reserve(line.size());
  for (std::size_t i = indent; i < line.size();) {
    std::size_t end = i;
    while (end < line.size() && !isBlank(line[end])) ++end;
    out += line.substr(i, end - i);
    if (end == line.size()) break;
    std::size_t blanks_end = end;
    while (blanks_end < line.size() && isBlank(line[blanks_end])) ++blanks_end;
    if (options.collapse_spaces) {
      out += blanks_end - end == 1 ? line[end] : ' ';
    } else {
      out += line.substr(end, blanks_end - end);
    }
    i = blanks_end;
  }
  if (options.trim) {
    while (!out.empty() && isBlank(out.back())) out.pop_back();
  }
  return out;
}

inline bool tidyWhitespace(std::string& text, const NormalizeOptions& options) {
  if (!options.collapse_spaces && !options.trim && options.max_blank_lines < 0) return false;
  std::vector<std::string> lines;
  for (std::size_t start = 0;;) {
    const std::size_t newline = text.find('\n', start);
    const std::string_view line = std::string_view(text).substr(start, newline - start);
    lines.push_back(tidyLine(line, options));
    if (newline == std::string::npos) break;
    start = newline + 1;
  }
  const auto isBlankLine = [](const std::string& line) {
    for (const char c : line) {
      if (!isBlank(c)) return false;
    }
    return true;
  };
  std::size_t first = 0;
  std::size_t last = lines.size();
  if (options.trim) {
    while (first < last && isBlankLine(lines[first])) ++first;
    while (last > first && isBlankLine(lines[last - 1])) --last;
  }
  std::string out;
  out.reserve(text.size());
  int blank_run = 0;
  bool any = false;
  for (std::size_t i = first; i < last; ++i) {
    if (isBlankLine(lines[i])) {
      ++blank_run;
      if (options.max_blank_lines >= 0 && blank_run > options.max_blank_lines) continue;
    } else {
      blank_run = 0;
    }
    if (any) out += '\n';
    out += lines[i];
    any = true;
  }
  if (options.trim) {
    std::size_t lead = 0;
    while (lead < out.size() && isBlank(out[lead])) ++lead;
    out.erase(0, lead);
  }
  if (out == text) return false;
  text = std::move(out);
  return true;
}

}  // namespace ajuste::clean_text::reference
