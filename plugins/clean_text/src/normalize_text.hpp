#pragma once

#include <cstddef>
#include <string>

namespace ajuste::clean_text {

struct NormalizeOptions {
  bool nfc = true;              // Unicode canonical composition (NFC)
  bool remove_controls = true;  // C0/C1 controls and DEL; "\r\n" and "\r" become "\n"
  bool keep_tabs = true;        // with remove_controls: keep "\t" (false: a tab becomes a space)
  bool collapse_spaces = true;  // runs of spaces/tabs inside a line become one space
  bool trim = true;             // no whitespace at either end, nor at line ends
  int max_blank_lines = 1;      // longer runs of blank lines are cut to this many; < 0: no limit
};

// What normalizeText changed, for the stage's counters.
struct NormalizeEffects {
  bool nfc_changed = false;
  std::size_t controls_removed = 0;  // characters removed (a "\r\n" counts one)
  bool whitespace_tidied = false;
  bool invalid_utf8 = false;  // NFC was skipped because the text is not valid UTF-8

  [[nodiscard]] bool changed() const { return nfc_changed || controls_removed > 0 || whitespace_tidied; }
};

// Normalizes `text` in place, in the order controls, NFC, whitespace. Idempotent: running it on
// its own output changes nothing. Ill-formed UTF-8 is never dropped or rewritten, only passed on.
NormalizeEffects normalizeText(std::string& text, const NormalizeOptions& options);

}  // namespace ajuste::clean_text
