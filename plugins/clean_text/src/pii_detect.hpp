#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ajuste/status.hpp"

#include "regex_common/pcre2_regex.hpp"

namespace ajuste::clean_text {

using regex_common::Regex;

// The kinds of personal data and secrets clean/pii knows, in the order they claim text: an
// earlier kind wins where two overlap (an e-mail's digits are not a phone number).
enum class PiiKind { kSecret, kEmail, kCard, kIpv6, kIpv4, kPhone };
inline constexpr std::array<PiiKind, 6> kPiiKinds = {PiiKind::kSecret, PiiKind::kEmail, PiiKind::kCard,
                                                     PiiKind::kIpv6,   PiiKind::kIpv4,  PiiKind::kPhone};
std::string_view toString(PiiKind kind);  // "secret", "email", "card", "ipv6", "ipv4", "phone"

// One finding, in bytes of the text; `redact_begin/end` is the part to replace (for
// "Bearer <token>" only the token).
struct PiiSpan {
  PiiKind kind;
  std::size_t begin;
  std::size_t end;
  std::size_t redact_begin;
  std::size_t redact_end;
};

// True for a digit string passing the Luhn checksum (payment cards).
bool luhnValid(std::string_view digits);

// Finds PII in UTF-8 text: candidates by PCRE2 patterns, then checks a pattern cannot make
// (Luhn and issuer prefixes for cards, octet ranges for IPv4, inet_pton for IPv6, digit counts
// and separators for phones).
//
// Threads: owns its compiled patterns' scratch space, so one detector per stage instance.
class PiiDetector {
 public:
  static Result<std::unique_ptr<PiiDetector>> make();

  // Non-overlapping findings ordered by position. `limit_hit` is set when a pattern gave up on
  // the text (the caller rejects rather than let PII through).
  [[nodiscard]] std::vector<PiiSpan> find(std::string_view text, bool& limit_hit) const;

 private:
  struct Detector {
    PiiKind kind;
    std::vector<std::unique_ptr<Regex>> patterns;
  };
  explicit PiiDetector(std::vector<Detector> detectors) : detectors_(std::move(detectors)) {}
  std::vector<Detector> detectors_;
};

}  // namespace ajuste::clean_text
