#include "normalize.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "byte_scan/block_masks.hpp"

namespace ajuste::clean_dedupe {
namespace {

// What a byte can be the start of: most bytes of a text are kOrdinary, and the loop below
// copies those with one table lookup each. This key is built for every record (by clean/dedupe
// and again by split/random's leakage check), so its cost is a visible share of a pass.
enum ByteClass : std::uint8_t { kOrdinary, kAsciiSpace, kMaybeSpace };

constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> table{};
  table[' '] = kAsciiSpace;
  for (unsigned b = 0x09; b <= 0x0D; ++b) table[b] = kAsciiSpace;
  for (const unsigned b : {0xC2u, 0xE1u, 0xE2u, 0xE3u}) table[b] = kMaybeSpace;
  return table;
}();

// Length in bytes of the Unicode whitespace character starting at `at` (a kMaybeSpace byte), or 0.
std::size_t unicodeSpaceAt(const unsigned char* at, const unsigned char* end) {
  const auto byte = [&](std::size_t k) { return at + k < end ? unsigned{at[k]} : 0u; };
  const unsigned b0 = byte(0);
  if (b0 == 0xC2) return byte(1) == 0x85 || byte(1) == 0xA0 ? 2 : 0;  // NEL, NO-BREAK SPACE
  if (b0 == 0xE1) return byte(1) == 0x9A && byte(2) == 0x80 ? 3 : 0;  // OGHAM SPACE MARK
  if (b0 == 0xE3) return byte(1) == 0x80 && byte(2) == 0x80 ? 3 : 0;  // IDEOGRAPHIC SPACE
  if (byte(1) == 0x80) {
    const unsigned b2 = byte(2);
    // U+2000..U+200A spaces, U+2028/U+2029 separators, U+202F narrow no-break space.
    return (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0;
  }
  return byte(1) == 0x81 && byte(2) == 0x9F ? 3 : 0;  // MEDIUM MATHEMATICAL SPACE
}

// The bytes of the block at `at` that the copy loop must look at one by one, as a bitmask (bit
// i: the byte at `at + i`): controls (some are whitespace), a space next to other whitespace (a
// run to collapse), and the lead bytes of the Unicode spaces (C2, E1, E2, E3) followed by a
// byte that can continue one (C2 85/A0, E1 9A, E2 80/81, E3 80). A single space between two
// other bytes is kept as it is, so words of ordinary text, letters and single spaces, are
// copied whole. `next` is the block one byte further on: its byte i is the byte after byte i
// of `block`. Needs 17 readable bytes.
[[gnu::always_inline]] inline std::uint32_t specialBytes(const unsigned char* at) {
  using namespace byte_scan;
  const Block block = loadBlock(at);
  const Block next = loadBlock(at + 1);
  const Block after80 = equalTo(next, 0x80);
  const Block next_leads = equalTo(next, 0xC2) | equalTo(next, 0xE1) | equalTo(next, 0xE2) | equalTo(next, 0xE3);
  const Block special =
      lessThan(block, 0x20) | (equalTo(block, ' ') & (lessThan(next, 0x21) | next_leads)) |
      (equalTo(block, 0xC2) & (equalTo(next, 0x85) | equalTo(next, 0xA0))) | (equalTo(block, 0xE1) & equalTo(next, 0x9A)) |
      (equalTo(block, 0xE2) & (after80 | equalTo(next, 0x81))) | (equalTo(block, 0xE3) & after80);
  return bitmask(special);
}

// Length in bytes of the whitespace character at `at`, or 0.
std::size_t spaceAt(const unsigned char* at, const unsigned char* end) {
  const std::uint8_t cls = kByteClass[*at];
  return cls == kAsciiSpace ? 1 : cls == kMaybeSpace ? unicodeSpaceAt(at, end) : 0;
}

template <bool kIgnoreCase>
char folded(unsigned char b) {
  if constexpr (kIgnoreCase) {
    if (b >= 'A' && b <= 'Z') return static_cast<char>(b - 'A' + 'a');
  }
  return static_cast<char>(b);
}

template <bool kIgnoreCase>
void appendFolded(std::string_view text, std::string& out) {
  const std::size_t from = out.size();
  out.resize(from + text.size());
  char* write = out.data() + from;
  for (const char c : text) *write++ = folded<kIgnoreCase>(static_cast<unsigned char>(c));
}

// The result is never longer than the text (a whitespace run becomes at most one space), so it
// is written straight into `out`, sized up front with a block of slack and cut to length at the
// end. Runs of ordinary bytes are copied a block at a time: a whole block is stored and only the
// bytes before its first special byte are kept. Every whitespace run is consumed whole by the
// byte loop, so the block loop only ever meets single spaces with a non-space on both sides.
template <bool kIgnoreCase>
void appendCollapsed(std::string_view text, std::string& out) {
  using namespace byte_scan;
  const std::size_t from = out.size();
  out.resize(from + text.size() + kBlockBytes);
  char* const first = out.data() + from;
  char* write = first;
  const auto* at = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = at + text.size();
  for (std::size_t width = 0; at < end && (width = spaceAt(at, end)) != 0;) at += width;  // leading
  bool pending_space = false;  // whitespace since the last byte written
  while (at < end) {
    if (static_cast<std::size_t>(end - at) > kBlockBytes) {
      const std::uint32_t special = specialBytes(at);
      const std::size_t run = special == 0 ? kBlockBytes : static_cast<std::size_t>(std::countr_zero(special));
      if (run != 0) {
        if (pending_space) {
          *write++ = ' ';
          pending_space = false;
        }
        Block block = loadBlock(at);
        if constexpr (kIgnoreCase) block = asciiLowered(block);
        storeBlock(write, block);
        write += run;
        at += run;
        continue;
      }
    }
    // A special byte, or one of the text's last few bytes.
    if (std::size_t width = spaceAt(at, end); width != 0) {
      do {
        at += width;
      } while (at < end && (width = spaceAt(at, end)) != 0);
      pending_space = true;
      continue;
    }
    if (pending_space) {
      *write++ = ' ';
      pending_space = false;
    }
    *write++ = folded<kIgnoreCase>(*at++);
  }
  out.resize(static_cast<std::size_t>(write - out.data()));  // trailing whitespace is dropped
}

}  // namespace

void appendNormalized(std::string_view text, const NormalizeOptions& options, std::string& out) {
  if (options.collapse_whitespace) {
    options.ignore_case ? appendCollapsed<true>(text, out) : appendCollapsed<false>(text, out);
  } else {
    options.ignore_case ? appendFolded<true>(text, out) : appendFolded<false>(text, out);
  }
}

}  // namespace ajuste::clean_dedupe
