#include "nfc.hpp"

#include <array>
#include <bit>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <utf8proc.h>

#include "byte_scan/block_masks.hpp"
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
  using namespace byte_scan;
  for (; at + kBlockBytes <= text.size(); at += kBlockBytes) {
    const std::uint32_t high = bitmask(loadBlock(text.data() + at));
    if (high != 0) return at + static_cast<std::size_t>(std::countr_zero(high));
  }
  while (at < text.size() && static_cast<unsigned char>(text[at]) < 0x80) ++at;
  return at;
}

// One bit per code point of the Basic Multilingual Plane: set for the starters whose quick
// check is Yes. Such a code point is a normalization boundary and composes with nothing before
// it. They are nearly all of the plane (CJK, kana, Hangul syllables, precomposed Latin), so
// the scans below step over them with a bit test each instead of a decode and a table lookup
// per code point: on Japanese or Chinese text that was most of toNfc's time. Built once per
// process from utf8proc's own tables, like factsOf, so it cannot disagree with utf8proc.
using BoundaryBits = std::array<std::uint64_t, 0x10000 / 64>;

const BoundaryBits& bmpBoundaries() {
  static const BoundaryBits bits = [] {
    BoundaryBits table{};
    for (char32_t c = 0x80; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;  // not code points of valid UTF-8
      const Facts facts = factsOf(c);
      if (facts.combining_class == 0 && facts.check == QuickCheck::kYes) table[c / 64] |= std::uint64_t{1} << (c % 64);
    }
    return table;
  }();
  return bits;
}

bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// A run of code points that are each a boundary composing with nothing before it: ASCII and
// the bmpBoundaries. Only its last code point can compose with what follows ("e" + U+0301).
struct BoundaryRun {
  std::size_t end;   // `at` when the code point at `at` is not one
  std::size_t last;  // where the run's last code point starts
};

BoundaryRun boundaryRun(std::string_view text, std::size_t at) {
  const BoundaryBits& boundaries = bmpBoundaries();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t last = at;
  while (at < text.size()) {
    const unsigned lead = bytes[at];
    if (lead < 0x80) {
      at = asciiRunEnd(text, at + 1);
      last = at - 1;
      continue;
    }
    // Two- and three-byte sequences decoded here, checked as decodeAt checks them; anything
    // else (four bytes, ill-formed) ends the run and is left to the code point loop. Not
    // decodeAt itself: its general loop, even inlined, made this scan a third slower.
    char32_t c = 0;
    std::size_t length = 0;
    if (lead >= 0xC2 && lead < 0xE0 && at + 1 < text.size() && isContinuation(bytes[at + 1])) {
      c = ((lead & 0x1Fu) << 6) | (bytes[at + 1] & 0x3Fu);
      length = 2;
    } else if (lead >= 0xE0 && lead < 0xF0 && at + 2 < text.size() && isContinuation(bytes[at + 1]) &&
               isContinuation(bytes[at + 2])) {
      c = ((lead & 0x0Fu) << 12) | ((bytes[at + 1] & 0x3Fu) << 6) | (bytes[at + 2] & 0x3Fu);
      length = 3;
      if (c < 0x800) break;  // overlong; a surrogate's bit is never set
    } else {
      break;
    }
    if (((boundaries[c / 64] >> (c % 64)) & 1) == 0) break;
    last = at;
    at += length;
  }
  return {at, last};
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
    if (const BoundaryRun run = boundaryRun(text, at); run.end != at) {
      // Every code point of the run is a boundary; only the last one can compose with what
      // follows, so the segment that may need work starts there.
      if (!boundaryAt(at)) return NfcOutcome::kInvalidUtf8;
      at = run.end;
      segment_start = run.last;
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
    // A boundary run is NFC: starters with quick check Yes.
    if (const BoundaryRun run = boundaryRun(text, at); run.end != at) {
      last_class = 0;
      at = run.end;
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
