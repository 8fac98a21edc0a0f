// Token ids that tiktoken@1.0.22 itself produced (tools/make_test_vectors.mjs) for the cases the
// notes call out: cookbook vectors, contractions, digit groups, whitespace rules, marks, emoji,
// Unicode 16 code points and pieces long enough for the O(n log n) merge path.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "ajuste/tokenizer/encoding.hpp"

namespace ajuste {
namespace {

struct Vector {
  std::string_view name;
  std::string_view encoding;
  std::string_view text;
  std::vector<std::uint32_t> ids;
};

const std::vector<Vector>& vectors() {
  static const std::vector<Vector> all = {
#include "tiktoken_vectors.inc"
  };
  return all;
}

class TiktokenVector : public ::testing::TestWithParam<std::size_t> {};

TEST_P(TiktokenVector, EncodeMatchesTiktoken) {
  const Vector& v = vectors()[GetParam()];
  const Encoding& encoding = Encoding::get(*Encoding::parseName(v.encoding));
  EXPECT_EQ(encoding.encodeOrdinary(v.text), v.ids);
  EXPECT_EQ(encoding.countOrdinary(v.text), v.ids.size());
  EXPECT_EQ(encoding.decode(v.ids), v.text);
}

INSTANTIATE_TEST_SUITE_P(Tiktoken, TiktokenVector, ::testing::Range<std::size_t>(0, vectors().size()),
                         [](const ::testing::TestParamInfo<std::size_t>& param) {
                           const Vector& v = vectors()[param.param];
                           return std::string(v.name) + "_" + std::string(v.encoding);
                         });

TEST(TiktokenVectors, CoverBothEncodings) {
  std::size_t o200k = 0;
  std::size_t cl100k = 0;
  for (const Vector& v : vectors()) (v.encoding == "o200k_base" ? o200k : cl100k)++;
  EXPECT_GT(o200k, 50u);
  EXPECT_EQ(o200k, cl100k);
}

}  // namespace
}  // namespace ajuste
