#pragma once

#include <string>
#include <string_view>

namespace ajuste::clean_text {

enum class NfcOutcome { kUnchanged, kChanged, kInvalidUtf8 };

// Puts `text` in Unicode Normalization Form C, exactly as utf8proc_map(STABLE | COMPOSE) would,
// but only where it can change anything: the text is cut at normalization boundaries (before a
// starter whose quick check is Yes), and only the pieces that fail the quick check go through
// utf8proc. A message with one decomposed "é" costs one short call, not a pass over all of it.
// Invalid UTF-8 anywhere leaves `text` untouched and returns kInvalidUtf8.
NfcOutcome toNfc(std::string& text);

// True when `text` is certainly already in NFC, so the full normalization (decompose, reorder,
// recompose: most of clean/normalize's time on non-English text) can be skipped. This is the
// quick check of Unicode UAX #15 (section 9): every code point has NFC_Quick_Check = Yes and the
// combining classes of the marks between starters never decrease. The property is derived from
// utf8proc's own tables, so the answer never disagrees with the normalization that follows.
// False means "unknown" (Maybe or No), and the caller then normalizes for real. Invalid UTF-8
// gives false.
bool isKnownNfc(std::string_view text);

}  // namespace ajuste::clean_text
