#pragma once

#include <string_view>

namespace ajuste::clean_text {

// The quick "nothing to do here" tests clean/normalize runs on every text before it decides to
// rewrite it. Both read sixteen bytes at a time (most texts have nothing to fix, so the scans are
// most of the work), and give exactly the answer of the byte-by-byte definition.

// True when `text` holds a byte removeControls would touch: a C0 control other than "\n" (and
// "\t" when `keep_tabs`), DEL, or a C1 control (U+0080..U+009F, encoded 0xC2 0x80..0x9F).
[[nodiscard]] bool hasControls(std::string_view text, bool keep_tabs);

// True when no option of the whitespace tidy can change `text`: no two blanks (space, tab) in a
// row, no blank at the start or before a line end, no blank line, no line end at either end.
// A sufficient test, not an exact one: when it fails, the full tidy decides.
[[nodiscard]] bool isTidy(std::string_view text);

}  // namespace ajuste::clean_text
