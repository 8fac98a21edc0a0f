#include "normalize_text.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string_view>

#include "byte_scan/block_masks.hpp"
#include "nfc.hpp"
#include "text_scan.hpp"
#include "utf8.hpp"

namespace ajuste::clean_text {
namespace {

// The first byte at or after `at` that can start a control: C0 (below 0x20, newline and tab
// included), DEL, or 0xC2, the lead byte of the C1 controls U+0080..U+009F. None of them is a
// UTF-8 continuation byte, so a byte scan finds exactly the code points a decoder would.
std::size_t nextControlCandidate(std::string_view text, std::size_t at) {
  using namespace byte_scan;
  for (; at + kBlockBytes <= text.size(); at += kBlockBytes) {
    const Block block = loadBlock(text.data() + at);
    const std::uint32_t mask = bitmask(lessThan(block, 0x20) | equalTo(block, 0x7F) | equalTo(block, 0xC2));
    if (mask != 0) return at + static_cast<std::size_t>(std::countr_zero(mask));
  }
  for (; at < text.size(); ++at) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x20 || byte == 0x7F || byte == 0xC2) return at;
  }
  return text.size();
}

// Removes C0/C1 controls and DEL except newlines (and tabs when kept); "\r\n" and a lone "\r"
// become "\n". Copies the runs between controls whole.
std::size_t removeControls(std::string& text, bool keep_tabs) {
  if (!hasControls(text, keep_tabs)) return 0;
  std::string out;
  out.reserve(text.size());
  std::size_t removed = 0;
  std::size_t copied = 0;  // text[0, copied) is in `out` already
  const auto drop = [&](std::size_t at, std::size_t length, std::string_view replacement) {
    out.append(text, copied, at - copied);
    out += replacement;
    copied = at + length;
    ++removed;
  };
  for (std::size_t at = nextControlCandidate(text, 0); at < text.size(); at = nextControlCandidate(text, at)) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte == '\n' || (byte == '\t' && keep_tabs)) {
      ++at;
    } else if (byte == '\t') {
      drop(at, 1, " ");
      ++at;
    } else if (byte == '\r') {
      // A lone "\r" is an old Mac line break; in "\r\n" the "\n" follows and is kept.
      drop(at, 1, at + 1 < text.size() && text[at + 1] == '\n' ? "" : "\n");
      ++at;
    } else if (byte == 0xC2) {
      const bool c1 = at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) >= 0x80 &&
                      static_cast<unsigned char>(text[at + 1]) <= 0x9F;
      if (c1) drop(at, 2, "");
      at += c1 ? 2 : 1;
    } else {
      drop(at, 1, "");
      ++at;
    }
  }
  out.append(text, copied);
  text = std::move(out);
  return removed;
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// Where in [at, end) the first two blanks in a row start, or `end`: words and the single
// blanks between them are copied as they are, so only these runs need looking at.
std::size_t nextBlankPair(std::string_view line, std::size_t at, std::size_t end) {
  using namespace byte_scan;
  const auto blanks = [](Block block) { return equalTo(block, ' ') | equalTo(block, '\t'); };
  for (; at + kBlockBytes + 1 <= end; at += kBlockBytes) {
    const std::uint32_t pairs = bitmask(blanks(loadBlock(line.data() + at)) & blanks(loadBlock(line.data() + at + 1)));
    if (pairs != 0) return at + static_cast<std::size_t>(std::countr_zero(pairs));
  }
  for (; at + 1 < end; ++at) {
    if (isBlank(line[at]) && isBlank(line[at + 1])) return at;
  }
  return end;
}

// Appends `line` (no newline in it) tidied: its indentation as it is (it carries meaning in
// code and lists), then its words with the blank runs between them collapsed to one space
// (a single blank stays as it is), and, with trim, no blanks at its end.
void appendTidyLine(std::string_view line, const NormalizeOptions& options, bool drop_indent, std::string& out) {
  std::size_t i = 0;
  while (i < line.size() && isBlank(line[i])) ++i;
  if (!drop_indent) out.append(line.substr(0, i));
  std::size_t end = line.size();
  if (options.trim) {
    while (end > i && isBlank(line[end - 1])) --end;
  }
  if (!options.collapse_spaces) {
    out.append(line.substr(i, end - i));
    return;
  }
  while (i < end) {
    const std::size_t pair = nextBlankPair(line, i, end);
    out.append(line.substr(i, pair - i));
    if (pair == end) break;
    i = pair;
    while (i < end && isBlank(line[i])) ++i;
    out += ' ';
  }
}

bool isBlankLine(std::string_view line) {
  for (const char c : line) {
    if (!isBlank(c)) return false;
  }
  return true;
}

// One pass over the lines. A blank line is emitted at once without trim (as it is: it is all
// indentation); with trim, blank lines at either end go, and a run between two lines of text
// is emitted, shortened to max_blank_lines, when the next line of text arrives.
bool tidyWhitespace(std::string& text, const NormalizeOptions& options) {
  if (!options.collapse_spaces && !options.trim && options.max_blank_lines < 0) return false;
  if (isTidy(text)) return false;
  const auto limited = [&](std::size_t run) {
    return options.max_blank_lines < 0 ? run : std::min(run, static_cast<std::size_t>(options.max_blank_lines));
  };
  std::string out;
  out.reserve(text.size());
  bool any = false;              // a line has been emitted
  std::size_t blank_run = 0;     // blank lines since the last line of text
  const auto newLine = [&] {
    if (any) out += '\n';
    any = true;
  };
  const std::string_view all = text;
  for (std::size_t start = 0;;) {
    const std::size_t newline = all.find('\n', start);
    const std::string_view line = all.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start);
    if (isBlankLine(line)) {
      ++blank_run;
      if (!options.trim && limited(blank_run) == blank_run) {
        newLine();
        out.append(line);
      }
    } else {
      if (options.trim && any) {
        for (std::size_t k = limited(blank_run); k > 0; --k) newLine();
      }
      blank_run = 0;
      const bool first = !any;
      newLine();
      appendTidyLine(line, options, options.trim && first, out);
    }
    if (newline == std::string_view::npos) break;
    start = newline + 1;
  }
  if (out == text) return false;
  text = std::move(out);
  return true;
}

}  // namespace

NormalizeEffects normalizeText(std::string& text, const NormalizeOptions& options) {
  NormalizeEffects effects;
  // Controls go first: removing one can bring a base letter and a combining mark together,
  // which NFC must then see for the result to be idempotent.
  if (options.remove_controls) effects.controls_removed = removeControls(text, options.keep_tabs);
  if (options.nfc) {
    const NfcOutcome outcome = toNfc(text);
    effects.nfc_changed = outcome == NfcOutcome::kChanged;
    effects.invalid_utf8 = outcome == NfcOutcome::kInvalidUtf8;
  }
  effects.whitespace_tidied = tidyWhitespace(text, options);
  return effects;
}

}  // namespace ajuste::clean_text
