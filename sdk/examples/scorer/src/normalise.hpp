#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace example {

// How a reply and an expected answer are reduced to words before they are compared.
struct Normalisation {
  bool case_fold = true;           // ASCII A-Z compare as a-z; other bytes are kept as written
  bool strip_punctuation = true;   // ASCII punctuation separates words instead of belonging to them
  std::vector<std::string> ignore_words;  // already normalised, one word each: dropped from both sides
};

// The words of `text`: split at ASCII whitespace (and punctuation when stripped), folded, with
// the ignored words removed. UTF-8 sequences pass through untouched, so "Avaliação" stays one word.
std::vector<std::string> normalisedWords(std::string_view text, const Normalisation& normalisation);

// True when `needle` (not empty) occurs in `haystack` as consecutive whole words: "4" is in
// "rate it 4 out of 5" but not in "rate it 14".
bool containsWords(const std::vector<std::string>& haystack, const std::vector<std::string>& needle);

}  // namespace example
