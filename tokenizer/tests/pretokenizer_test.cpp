// Piece boundaries of the hand-written matchers, on cases whose split follows directly from the
// regex semantics (the ids of the same texts are checked against tiktoken elsewhere).
#include "pretokenizer.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "unicode_class.hpp"

namespace ajuste::tokenizer_detail {
namespace {

using Pieces = std::vector<std::string>;

Pieces split(PieceEndFn fn, std::string_view text) {
  Pieces out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = fn(text, pos);
    EXPECT_GT(end, pos);
    EXPECT_LE(end, text.size());
    if (end <= pos || end > text.size()) break;
    out.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}
Pieces cl(std::string_view t) { return split(&cl100kPieceEnd, t); }
Pieces o2(std::string_view t) { return split(&o200kPieceEnd, t); }

TEST(Cl100kPieces, WhitespaceBeforeWordsDigitsAndPunctuation) {
  EXPECT_EQ(cl("a   b"), (Pieces{"a", "  ", " b"}));
  EXPECT_EQ(cl("x   1"), (Pieces{"x", "  ", " ", "1"}));
  EXPECT_EQ(cl("x   !"), (Pieces{"x", "  ", " !"}));
  EXPECT_EQ(cl("a  "), (Pieces{"a", "  "}));
  EXPECT_EQ(cl("\n\n  x"), (Pieces{"\n\n", " ", " x"}));
  EXPECT_EQ(cl("abc \n "), (Pieces{"abc", " \n "}));  // \s++$ comes before \s*[\r\n]
  EXPECT_EQ(cl("a \n b"), (Pieces{"a", " \n", " b"}));
  EXPECT_EQ(cl("\t!"), (Pieces{"\t", "!"}));
  EXPECT_EQ(cl("a\xc2\x85" "b"), (Pieces{"a", "\xc2\x85" "b"}));  // U+0085 is \s but not CR/LF
}

TEST(Cl100kPieces, ContractionsWordsNumbers) {
  EXPECT_EQ(cl("don't"), (Pieces{"don", "'t"}));
  EXPECT_EQ(cl("'RE"), (Pieces{"'RE"}));
  EXPECT_EQ(cl("it'\xc5\xbf"), (Pieces{"it", "'\xc5\xbf"}));  // (?i) s matches U+017F
  EXPECT_EQ(cl("'sa 'lx"), (Pieces{"'s", "a", " '", "lx"}));
  EXPECT_EQ(cl("HelloWorld ABCdef"), (Pieces{"HelloWorld", " ABCdef"}));
  EXPECT_EQ(cl("12345"), (Pieces{"123", "45"}));
  EXPECT_EQ(cl(" 12"), (Pieces{" ", "12"}));
  EXPECT_EQ(cl("e\xcc\x81t"), (Pieces{"e", "\xcc\x81t"}));  // a mark is not a letter in cl100k
  EXPECT_EQ(cl("ok!!!\r\n\r\nnext"), (Pieces{"ok", "!!!\r\n\r\n", "next"}));
}

TEST(O200kPieces, CaseSplitWordsAndContractions) {
  EXPECT_EQ(o2("HelloWorld"), (Pieces{"Hello", "World"}));
  EXPECT_EQ(o2("ABCdef"), (Pieces{"ABCdef"}));
  EXPECT_EQ(o2("getHTTPResponse"), (Pieces{"get", "HTTPResponse"}));
  EXPECT_EQ(o2("don't DON'T"), (Pieces{"don't", " DON'T"}));
  EXPECT_EQ(o2("it'\xc5\xbf"), (Pieces{"it'\xc5\xbf"}));
  EXPECT_EQ(o2("e\xcc\x81te\xcc\x81"), (Pieces{"e\xcc\x81te\xcc\x81"}));  // marks belong to words
  EXPECT_EQ(o2("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), (Pieces{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"}));
  EXPECT_EQ(o2("12345"), (Pieces{"123", "45"}));
}

TEST(O200kPieces, WhitespaceAndPunctuation) {
  EXPECT_EQ(o2("a   b"), (Pieces{"a", "  ", " b"}));
  EXPECT_EQ(o2("abc \n "), (Pieces{"abc", " \n", " "}));  // no $ alternative in o200k
  EXPECT_EQ(o2("a/b //c\n/d"), (Pieces{"a", "/b", " //", "c", "\n", "/d"}));
  EXPECT_EQ(o2("!/\n/!"), (Pieces{"!/\n/", "!"}));
  EXPECT_EQ(o2("\n\n  x"), (Pieces{"\n\n", " ", " x"}));
}

TEST(Utf8, MaximalSubpartsBecomeOneReplacementEach) {
  auto sizes = [](std::string_view s) {
    std::vector<int> out;
    for (std::size_t p = 0; p < s.size();) {
      const DecodedChar c = decodeChar(s, p);
      out.push_back(c.cp == kReplacementChar ? -c.size : c.size);
      p += c.size;
    }
    return out;
  };
  EXPECT_EQ(sizes("a\xc3\xa9"), (std::vector<int>{1, 2}));
  EXPECT_EQ(sizes("\xe2\x82" "a"), (std::vector<int>{-2, 1}));
  EXPECT_EQ(sizes("\xf0\x9f\x98"), (std::vector<int>{-3}));
  EXPECT_EQ(sizes("\xed\xa0\x80"), (std::vector<int>{-1, -1, -1}));  // surrogates are ill-formed
  EXPECT_EQ(sizes("\xc0\xaf"), (std::vector<int>{-1, -1}));          // overlong lead byte
  EXPECT_EQ(sizes("\xf4\x90\x80\x80"), (std::vector<int>{-1, -1, -1, -1}));
  EXPECT_EQ(sizes("\xf0\x9f\x98\x80"), (std::vector<int>{4}));
  EXPECT_EQ(unicodeFlags(kReplacementChar), 0);  // U+FFFD is So: neither letter, number nor space
}

TEST(UnicodeTables, Unicode16Classes) {
  EXPECT_EQ(unicodeFlags(0x0085), kSpace);
  EXPECT_EQ(unicodeFlags(0x3000), kSpace);
  EXPECT_EQ(unicodeFlags(0x200B), 0);  // ZWSP is Cf, not White_Space
  EXPECT_EQ(unicodeFlags(0x1C89), kLetter | kUpperish);          // new Lu in Unicode 16
  EXPECT_EQ(unicodeFlags(0x16D70), kNumber);                     // Kirat Rai digit, new in 16
  EXPECT_EQ(unicodeFlags(0x0301), kMark | kUpperish | kLowerish);
  EXPECT_EQ(unicodeFlags(0x01C5), kLetter | kUpperish);          // Lt
  EXPECT_EQ(unicodeFlags(0x02B0), kLetter | kUpperish | kLowerish);  // Lm
  EXPECT_EQ(unicodeFlags(0x00B2), kNumber);                      // No
  for (char32_t c = 0; c < 128; ++c) EXPECT_EQ(unicodeFlags(c) & ~kCrLf, kAsciiFlags[c] & ~kCrLf) << static_cast<unsigned>(c);
  EXPECT_EQ(foldedContractionLetter(0x017F), 's');
  EXPECT_EQ(foldedContractionLetter('S'), 's');
  EXPECT_EQ(foldedContractionLetter('L'), 'l');
  EXPECT_EQ(foldedContractionLetter('k'), 0);
  EXPECT_EQ(foldedContractionLetter(0x212A), 0);  // KELVIN SIGN folds to k, not a contraction letter
}

}  // namespace
}  // namespace ajuste::tokenizer_detail
