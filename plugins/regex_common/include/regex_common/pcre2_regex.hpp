#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ajuste/status.hpp"

// PCRE2 is used rather than std::regex: it is linear-ish on ordinary patterns, JIT-compiled,
// understands UTF-8, and has match limits instead of blowing the stack on long inputs.
#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

namespace ajuste::regex_common {

// Where a pattern matched, in bytes of the subject.
struct Match {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t group_begin = 0;  // capture group 1 when the pattern has one and it took part,
  std::size_t group_end = 0;    // otherwise the whole match
};

// A compiled UTF-8 pattern (Unicode properties on, JIT when the platform has it).
//
// Threads: not shareable: it owns match scratch space. Each stage instance owns its regexes,
// and the runner calls one instance from one thread at a time.
class Regex {
 public:
  // A pattern that does not compile gives a config error at `pointer` naming the 1-based
  // character column of the problem, e.g. "invalid regular expression at column 4: missing )".
  static Result<std::unique_ptr<Regex>> compile(std::string_view pattern, const std::string& pointer,
                                                bool caseless = false);
  ~Regex() = default;
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // The first match at or after byte `from`; nullopt when there is none. A subject that hits
  // PCRE2's match limit is reported as `limit_hit` (callers reject the record rather than guess).
  std::optional<Match> find(std::string_view subject, std::size_t from, bool& limit_hit) const;
  [[nodiscard]] const std::string& pattern() const { return pattern_; }

 private:
  struct CodeFree {
    void operator()(pcre2_code* code) const { pcre2_code_free(code); }
  };
  struct MatchDataFree {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
  };
  Regex(std::string pattern, pcre2_code* code);

  std::string pattern_;
  std::unique_ptr<pcre2_code, CodeFree> code_;
  std::unique_ptr<pcre2_match_data, MatchDataFree> match_data_;
};

}  // namespace ajuste::regex_common
