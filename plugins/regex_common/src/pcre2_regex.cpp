#include "regex_common/pcre2_regex.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace ajuste::regex_common {
namespace {

// PCRE2 reports the error offset in bytes; people count characters. PCRE2_UTF refuses an
// ill-formed pattern, so counting the bytes that start a UTF-8 sequence is exact here.
std::size_t countCodePoints(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

Regex::Regex(std::string pattern, pcre2_code* code)
    : pattern_(std::move(pattern)), code_(code), match_data_(pcre2_match_data_create_from_pattern(code, nullptr)) {}

Result<std::unique_ptr<Regex>> Regex::compile(std::string_view pattern, const std::string& pointer, bool caseless) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  // MATCH_INVALID_UTF: a stray ill-formed byte in a record is skipped over, not an error.
  const std::uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | (caseless ? PCRE2_CASELESS : 0u);
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error,
                                   &offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    const std::size_t column = countCodePoints(pattern.substr(0, std::min<std::size_t>(offset, pattern.size()))) + 1;
    return Status::configError(pointer, "invalid regular expression at column " + std::to_string(column) + ": " +
                                            reinterpret_cast<const char*>(message) + " (pattern " +
                                            std::string(pattern) + ")");
  }
  // JIT is an optimisation only: without it (unsupported CPU, no executable memory) the
  // interpreter gives the same matches.
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return std::unique_ptr<Regex>(new Regex(std::string(pattern), code));
}

std::optional<Match> Regex::find(std::string_view subject, std::size_t from, bool& limit_hit) const {
  if (from > subject.size()) return std::nullopt;
  const int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), from, 0,
                             match_data_.get(), nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) return std::nullopt;
  if (rc < 0) {
    limit_hit = true;
    return std::nullopt;
  }
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data_.get());
  Match match{.begin = ovector[0], .end = ovector[1], .group_begin = ovector[0], .group_end = ovector[1]};
  if (rc >= 2 && ovector[2] != PCRE2_UNSET) {
    match.group_begin = ovector[2];
    match.group_end = ovector[3];
  }
  return match;
}

}  // namespace ajuste::regex_common
