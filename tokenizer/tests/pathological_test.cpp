// Inputs that make naive implementations quadratic (one huge piece for BPE, long runs for the
// matchers). There is no timing assertion: ctest's TIMEOUT on this test is the bound.
#include <string>

#include <gtest/gtest.h>

#include "ajuste/tokenizer/encoding.hpp"

namespace ajuste {
namespace {

constexpr std::size_t kMillion = 1000000;

// countOrdinary shares the code path and is compared with encodeOrdinary in the unit tests;
// skipping it here halves the run time under sanitizers.
void encodeAndRoundTrip(const std::string& text) {
  for (const EncodingName name : {EncodingName::kO200kBase, EncodingName::kCl100kBase}) {
    const Encoding& e = Encoding::get(name);
    const auto ids = e.encodeOrdinary(text);
    EXPECT_FALSE(ids.empty());
    EXPECT_LT(ids.size(), text.size() + 1);
    EXPECT_EQ(e.decode(ids), text) << e.name();
  }
}

TEST(Pathological, MillionLetters) { encodeAndRoundTrip(std::string(kMillion, 'a')); }
TEST(Pathological, MillionSpaces) { encodeAndRoundTrip(std::string(kMillion, ' ')); }
TEST(Pathological, MillionSpacesThenWord) { encodeAndRoundTrip(std::string(kMillion, ' ') + "x"); }
TEST(Pathological, MillionNewlines) { encodeAndRoundTrip(std::string(kMillion, '\n')); }
TEST(Pathological, MillionDigits) { encodeAndRoundTrip(std::string(kMillion, '7')); }
TEST(Pathological, MillionUppercase) { encodeAndRoundTrip(std::string(kMillion, 'A')); }
TEST(Pathological, MillionPunctuation) { encodeAndRoundTrip(std::string(kMillion, '!')); }
TEST(Pathological, MillionInvalidBytes) { encodeAndRoundTrip(std::string(kMillion, '\xff')); }

TEST(Pathological, LongMarkAndCjkRuns) {
  std::string marks;
  std::string cjk;
  for (std::size_t i = 0; i < kMillion / 4; ++i) {
    marks += "A\xcc\x81";       // Lu + combining acute: one long o200k word
    cjk += "\xe6\x97\xa5";      // U+65E5
  }
  encodeAndRoundTrip(marks);
  encodeAndRoundTrip(cjk);
}

TEST(Pathological, AlternatingCaseAndSpaces) {
  std::string text;
  for (std::size_t i = 0; i < kMillion / 8; ++i) text += "aB \t\u00a0 ";
  encodeAndRoundTrip(text);
}

}  // namespace
}  // namespace ajuste
