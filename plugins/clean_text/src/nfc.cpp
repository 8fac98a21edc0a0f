#include "nfc.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <utf8proc.h>

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

// The answer for the Basic Multilingual Plane is remembered: a precomposed letter (é, が) is
// decomposed and recomposed once per process, not once per occurrence. Racing threads compute
// the same value, so relaxed atomics suffice.
QuickCheck quickCheck(char32_t c, const utf8proc_property_t& property) {
  static std::array<std::atomic<QuickCheck>, 0x10000> bmp{};
  if (c >= bmp.size()) return computeQuickCheck(c, property);
  QuickCheck known = bmp[c].load(std::memory_order_relaxed);
  if (known == QuickCheck::kUnknown) {
    known = computeQuickCheck(c, property);
    bmp[c].store(known, std::memory_order_relaxed);
  }
  return known;
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
      if (!boundaryAt(at)) return NfcOutcome::kInvalidUtf8;
      ++at;
      continue;
    }
    const CodePoint cp = decodeAt(text, at);
    if (!cp.valid) return NfcOutcome::kInvalidUtf8;
    const utf8proc_property_t& property = *utf8proc_get_property(static_cast<utf8proc_int32_t>(cp.value));
    const utf8proc_propval_t combining_class = property.combining_class;
    const QuickCheck check = quickCheck(cp.value, property);
    if (combining_class == 0 && check == QuickCheck::kYes) {
      if (!boundaryAt(at)) return NfcOutcome::kInvalidUtf8;
    } else {
      if (check != QuickCheck::kYes || (combining_class != 0 && last_class > combining_class)) {
        segment_needs_work = true;
      }
      last_class = combining_class;
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
      ++at;
      continue;
    }
    const CodePoint cp = decodeAt(text, at);
    if (!cp.valid) return false;
    at += cp.length;
    const utf8proc_property_t& property = *utf8proc_get_property(static_cast<utf8proc_int32_t>(cp.value));
    const utf8proc_propval_t combining_class = property.combining_class;
    if (combining_class != 0 && last_class > combining_class) return false;
    if (quickCheck(cp.value, property) != QuickCheck::kYes) return false;
    last_class = combining_class;
  }
  return true;
}

}  // namespace ajuste::clean_text
