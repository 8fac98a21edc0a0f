#include "normalise.hpp"

#include <algorithm>

namespace example {
namespace {

bool isAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The C locale's ispunct, spelt out so the result never depends on the process locale.
bool isAsciiPunctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

}  // namespace

std::vector<std::string> normalisedWords(std::string_view text, const Normalisation& normalisation) {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && std::find(normalisation.ignore_words.begin(), normalisation.ignore_words.end(), word) ==
                             normalisation.ignore_words.end()) {
      words.push_back(word);
    }
    word.clear();
  };
  for (const char c : text) {
    if (isAsciiSpace(c) || (normalisation.strip_punctuation && isAsciiPunctuation(c))) {
      flush();
    } else if (normalisation.case_fold && c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else {
      word += c;
    }
  }
  flush();
  return words;
}

bool containsWords(const std::vector<std::string>& haystack, const std::vector<std::string>& needle) {
  if (needle.empty()) return false;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace example
