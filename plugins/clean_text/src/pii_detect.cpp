#include "pii_detect.hpp"

#include <algorithm>
#include <utility>

#include <arpa/inet.h>

namespace ajuste::clean_text {
namespace {

// Candidate patterns; what a regex cannot check is done in `accept` below. Lookarounds keep
// matches from starting or ending inside a longer word or number.
struct PatternText {
  PiiKind kind;
  const char* pattern;
};
constexpr PatternText kPatterns[] = {
    // OpenAI (sk-, sk-proj-, sk-svcacct-), Anthropic, Stripe-style keys.
    {PiiKind::kSecret, R"((?<![\w-])sk-(?:proj-|svcacct-|ant-|live_|test_)?[A-Za-z0-9_-]{20,})"},
    {PiiKind::kSecret, R"((?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9]))"},
    {PiiKind::kSecret, R"((?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}))"},
    {PiiKind::kSecret, R"((?<![A-Za-z0-9_])xox[abprs]-[A-Za-z0-9-]{10,})"},
    {PiiKind::kSecret, R"((?<![A-Za-z0-9_])AIza[0-9A-Za-z_-]{35})"},
    // Only the token is redacted: "Authorization: Bearer [SECRET]" still reads well.
    {PiiKind::kSecret, R"(\bBearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*))"},
    {PiiKind::kEmail,
     R"((?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]))"},
    {PiiKind::kCard, R"((?<![\d.,-])\d(?:[ -]?\d){12,18}(?![\d]|[.,-]\d))"},
    {PiiKind::kIpv6, R"((?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|:)(?::|[0-9A-Fa-f]{1,4}:){1,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:]))"},
    {PiiKind::kIpv4, R"((?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d))"},
    // International (+CC ...) or national (area code, groups); digit counts are checked below.
    {PiiKind::kPhone,
     R"((?<![\w+.,/-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,5}){1,4}(?![\w]|[.,/-]\d))"},
};

std::string digitsOf(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits;
}

int prefix(std::string_view digits, std::size_t length) { return std::stoi(std::string(digits.substr(0, length))); }

// Issuer prefixes of the major networks (ISO/IEC 7812): keeps ISBNs (978/979...), order
// numbers and other Luhn-valid-by-chance digit strings out.
bool knownIssuer(std::string_view d) {
  const std::size_t n = d.size();
  if (d[0] == '4') return n == 13 || n == 16 || n == 19;                                      // Visa
  if (const int p2 = prefix(d, 2); (p2 >= 51 && p2 <= 55) && n == 16) return true;            // Mastercard
  if (const int p4 = prefix(d, 4); p4 >= 2221 && p4 <= 2720 && n == 16) return true;          // Mastercard 2-series
  if (const int p2 = prefix(d, 2); (p2 == 34 || p2 == 37) && n == 15) return true;            // Amex
  if (const int p2 = prefix(d, 2); (p2 == 36 || p2 == 38 || p2 == 30) && n >= 14) return true;  // Diners
  if (d.starts_with("6011") || d.starts_with("65") || (prefix(d, 3) >= 644 && prefix(d, 3) <= 649)) return n >= 16;
  if (const int p4 = prefix(d, 4); p4 >= 3528 && p4 <= 3589) return n >= 16;                  // JCB
  if (d.starts_with("62")) return n >= 16;                                                    // UnionPay
  return false;
}

bool acceptCard(std::string_view match) {
  const std::string digits = digitsOf(match);
  return digits.size() >= 13 && digits.size() <= 19 && knownIssuer(digits) && luhnValid(digits);
}

bool acceptIpv4(std::string_view match) {
  std::size_t start = 0;
  for (int octet = 0; octet < 4; ++octet) {
    const std::size_t dot = match.find('.', start);
    const std::string_view part = match.substr(start, dot == std::string_view::npos ? match.size() - start : dot - start);
    if (part.empty() || (part.size() > 1 && part[0] == '0') || std::stoi(std::string(part)) > 255) return false;
    start = dot + 1;
  }
  // 0.x.x.x and a bare "1.0.0.0"-like version are not addresses people leak.
  return !match.starts_with("0.");
}

bool acceptIpv6(std::string_view match) {
  in6_addr address{};
  // inet_pton refuses times ("12:30:45"); the digit rule keeps C++ scopes ("a::b") out.
  const bool has_digit = match.find_first_of("0123456789") != std::string_view::npos;
  return has_digit && inet_pton(AF_INET6, std::string(match).c_str(), &address) == 1;
}

bool acceptPhone(std::string_view match) {
  const std::string digits = digitsOf(match);
  if (match.front() == '+') return digits.size() >= 8 && digits.size() <= 15;
  if (digits.starts_with("00")) return digits.size() >= 10 && digits.size() <= 15;  // 00 44 20 ...: dialled abroad
  // National numbers: 10 or 11 digits written in groups ("(555) 123-4567", "020 7946 0958",
  // "(11) 98765-4321"). A bare run of digits is more likely an id, a date or a count.
  const bool grouped = match.find_first_of(" .-(") != std::string_view::npos;
  return grouped && digits.size() >= 10 && digits.size() <= 11;
}

bool accept(PiiKind kind, std::string_view match) {
  switch (kind) {
    case PiiKind::kCard: return acceptCard(match);
    case PiiKind::kIpv4: return acceptIpv4(match);
    case PiiKind::kIpv6: return acceptIpv6(match);
    case PiiKind::kPhone: return acceptPhone(match);
    case PiiKind::kSecret:
    case PiiKind::kEmail: return true;
  }
  return false;
}

bool overlaps(const std::vector<PiiSpan>& spans, std::size_t begin, std::size_t end) {
  return std::any_of(spans.begin(), spans.end(), [&](const PiiSpan& s) { return begin < s.end && s.begin < end; });
}

}  // namespace

std::string_view toString(PiiKind kind) {
  switch (kind) {
    case PiiKind::kSecret: return "secret";
    case PiiKind::kEmail: return "email";
    case PiiKind::kCard: return "card";
    case PiiKind::kIpv6: return "ipv6";
    case PiiKind::kIpv4: return "ipv4";
    case PiiKind::kPhone: return "phone";
  }
  return "unknown";
}

bool luhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

Result<std::unique_ptr<PiiDetector>> PiiDetector::make() {
  std::vector<Detector> detectors;
  for (const PiiKind kind : kPiiKinds) {
    Detector detector{kind, {}};
    for (const PatternText& text : kPatterns) {
      if (text.kind != kind) continue;
      auto regex = Regex::compile(text.pattern, "");
      if (!regex.ok()) return Status::pluginBug("clean/pii: built-in pattern does not compile: " + regex.error().message());
      detector.patterns.push_back(std::move(regex.value()));
    }
    detectors.push_back(std::move(detector));
  }
  return std::unique_ptr<PiiDetector>(new PiiDetector(std::move(detectors)));
}

std::vector<PiiSpan> PiiDetector::find(std::string_view text, bool& limit_hit) const {
  std::vector<PiiSpan> spans;
  for (const Detector& detector : detectors_) {
    for (const auto& regex : detector.patterns) {
      for (std::size_t from = 0; from < text.size();) {
        const auto match = regex->find(text, from, limit_hit);
        if (!match) break;
        from = std::max(match->end, match->begin + 1);
        const std::string_view matched = text.substr(match->begin, match->end - match->begin);
        if (matched.empty() || overlaps(spans, match->begin, match->end) || !accept(detector.kind, matched)) continue;
        spans.push_back({detector.kind, match->begin, match->end, match->group_begin, match->group_end});
      }
    }
  }
  std::sort(spans.begin(), spans.end(), [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
  return spans;
}

}  // namespace ajuste::clean_text
