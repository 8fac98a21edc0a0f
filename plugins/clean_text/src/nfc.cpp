#include "nfc.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <utf8proc.h>

#include "byte_scan/word_masks.hpp"
#include "utf8.hpp"

namespace ajuste::clean_text {
namespace {

enum class QuickCheck : std::uint8_t { kUnknown, kYes, kMaybe, kNo };

// The same options as the normalization in normalize_text.cpp: STABLE is what makes utf8proc
// honour the composition exclusions.
constexpr auto kNfc = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);

bool composesToItself(char32_t c) {
  utf8proc_int32_t out[8];
  const utf8proc_ssize_t length = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), out, 8, kNfc, nullptr);
  if (length <= 0 || length > 8) return false;
  const utf8proc_ssize_t composed = utf8proc_normalize_utf32(out, length, kNfc);
  return composed == 1 && static_cast<char32_t>(out[0]) == c;
}

// NFC_Quick_Check of one code point. No: NFC never keeps it (singletons such as U+212B,
// exclusions such as U+0958). Maybe: it can compose with the character before it (U+0301, the
// Hangul vowel and trailing jamo, which utf8proc composes without its tables).
QuickCheck computeQuickCheck(char32_t c, const utf8proc_property_t& property) {
  if ((c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2)) return QuickCheck::kMaybe;
  if (property.comb_index != UINT16_MAX && property.comb_index >= 0x8000) return QuickCheck::kMaybe;
  const bool decomposes = property.decomp_seqindex != UINT16_MAX && property.decomp_type == 0;
  if (!decomposes) return QuickCheck::kYes;
  return composesToItself(c) ? QuickCheck::kYes : QuickCheck::kNo;
}

// What the scans need to know of a code point: its NFC quick check and canonical combining class.
struct Facts {
  QuickCheck check;
  utf8proc_propval_t combining_class;
};

Facts computeFacts(char32_t c) {
  const utf8proc_property_t& property = *utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
  return {computeQuickCheck(c, property), property.combining_class};
}

// The facts of the Basic Multilingual Plane are remembered, packed as (class << 8) | check
// (0: not known yet): a precomposed letter (é, が) is decomposed and recomposed once per
// process, not once per occurrence, and a known code point costs one load, not a call into
// utf8proc. Racing threads compute the same value, so relaxed atomics suffice.
Facts factsOf(char32_t c) {
  static std::array<std::atomic<std::uint16_t>, 0x10000> bmp{};
  if (c >= bmp.size()) return computeFacts(c);
  std::uint16_t known = bmp[c].load(std::memory_order_relaxed);
  if (known == 0) {
    const Facts facts = computeFacts(c);
    known = static_cast<std::uint16_t>((static_cast<unsigned>(facts.combining_class) << 8) |
                                       static_cast<unsigned>(facts.check));
    bmp[c].store(known, std::memory_order_relaxed);
  }
  return {static_cast<QuickCheck>(known & 0xFF), static_cast<utf8proc_propval_t>(known >> 8)};
}

// The end of the run of ASCII bytes starting at `at`.
std::size_t asciiRunEnd(std::string_view text, std::size_t at) {
  using byte_scan::kHighBits;
  for (; at + byte_scan::kWordBytes <= text.size(); at += byte_scan::kWordBytes) {
    const std::uint64_t high = byte_scan::loadWord(text.data() + at) & kHighBits;
    if (high != 0) return at + byte_scan::firstByte(high);
  }
  while (at < text.size() && static_cast<unsigned char>(text[at]) < 0x80) ++at;
  return at;
}

std::optional<std::string> nfcByUtf8proc(std::string_view text) {
  utf8proc_uint8_t* composed = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                               static_cast<utf8proc_ssize_t>(text.size()), &composed, kNfc);
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(composed, &std::free);
  if (length < 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(composed), static_cast<std::size_t>(length));
}

}  // namespace

NfcOutcome toNfc(std::string& text) {
  std::string out;
  std::size_t copied = 0;         // text[0, copied) is in `out` already
  std::size_t segment_start = 0;  // the last normalization boundary
  bool segment_needs_work = false;
  utf8proc_propval_t last_class = 0;
  const auto normalizeSegment = [&](std::size_t end) {
    out.append(text, copied, segment_start - copied);
    auto normalized = nfcByUtf8proc(std::string_view(text).substr(segment_start, end - segment_start));
    if (!normalized) return false;
    out += *normalized;
    copied = end;
    return true;
  };
  const auto boundaryAt = [&](std::size_t at) {
    if (segment_needs_work && !normalizeSegment(at)) return false;
    segment_needs_work = false;
    segment_start = at;
    last_class = 0;
    return true;
  };
  for (std::size_t at = 0; at < text.size();) {
    if (static_cast<unsigned char>(text[at]) < 0x80) {
      // Every ASCII byte is a starter that composes with nothing before it: a boundary. Only
      // the run's last byte can compose with what follows ("e" + U+0301), so the segment
      // that may need work starts there.
      if (!boundaryAt(at)) return NfcOutcome::kInvalidUtf8;
      at = asciiRunEnd(text, at + 1);
      segment_start = at - 1;
      continue;
    }
    const CodePoint cp = decodeAt(text, at);
    if (!cp.valid) return NfcOutcome::kInvalidUtf8;
    const Facts facts = factsOf(cp.value);
    if (facts.combining_class == 0 && facts.check == QuickCheck::kYes) {
      if (!boundaryAt(at)) return NfcOutcome::kInvalidUtf8;
    } else {
      if (facts.check != QuickCheck::kYes || (facts.combining_class != 0 && last_class > facts.combining_class)) {
        segment_needs_work = true;
      }
      last_class = facts.combining_class;
    }
    at += cp.length;
  }
  if (segment_needs_work && !normalizeSegment(text.size())) return NfcOutcome::kInvalidUtf8;
  if (copied == 0) return NfcOutcome::kUnchanged;
  out.append(text, copied);
  if (out == text) return NfcOutcome::kUnchanged;
  text = std::move(out);
  return NfcOutcome::kChanged;
}

bool isKnownNfc(std::string_view text) {
  utf8proc_propval_t last_class = 0;
  for (std::size_t at = 0; at < text.size();) {
    // ASCII is NFC, a starter and composes with nothing before it.
    if (static_cast<unsigned char>(text[at]) < 0x80) {
      last_class = 0;
      at = asciiRunEnd(text, at + 1);
      continue;
    }
    const CodePoint cp = decodeAt(text, at);
    if (!cp.valid) return false;
    at += cp.length;
    const Facts facts = factsOf(cp.value);
    if (facts.combining_class != 0 && last_class > facts.combining_class) return false;
    if (facts.check != QuickCheck::kYes) return false;
    last_class = facts.combining_class;
  }
  return true;
}

}  // namespace ajuste::clean_text
