#include "ingest_common/text_input.hpp"

#include <string>

#include <gtest/gtest.h>

namespace ajuste::ingest {
namespace {

std::string readAll(TextInput& input) {
  std::string out;
  for (int c = input.get(); c != TextInput::kEnd; c = input.get()) out += static_cast<char>(c);
  return out;
}

class FailingStream final : public ByteStream {
 public:
  Result<std::size_t> read(char* out, std::size_t capacity) override {
    if (calls_++ == 0 && capacity > 0) {
      out[0] = 'x';
      return std::size_t{1};
    }
    return Status::ioError("disk on fire");
  }
  std::uint64_t consumed() const override { return 1; }

 private:
  int calls_ = 0;
};

TEST(TextInput, SkipsABomButCountsItInOffsetsWhateverTheChunking) {
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{64}}) {
    TextInput input(std::make_unique<MemoryStream>("\xEF\xBB\xBF" "ab", chunk), 4);
    EXPECT_EQ(input.peek(), 'a');
    EXPECT_TRUE(input.hadBom());
    EXPECT_EQ(input.offset(), 3u);
    EXPECT_EQ(readAll(input), "ab");
    EXPECT_EQ(input.offset(), 5u);
    EXPECT_TRUE(input.status().isOk());
  }
}

TEST(TextInput, KeepsTextWithoutABomAndPartialBoms) {
  TextInput plain(std::make_unique<MemoryStream>("hello world", 3), 4);
  EXPECT_EQ(readAll(plain), "hello world");
  EXPECT_FALSE(plain.hadBom());
  TextInput partial(std::make_unique<MemoryStream>("\xEF\xBB", 1), 4);
  EXPECT_EQ(readAll(partial), "\xEF\xBB");
  TextInput only_bom(std::make_unique<MemoryStream>("\xEF\xBB\xBF", 1), 4);
  EXPECT_EQ(readAll(only_bom), "");
  EXPECT_EQ(only_bom.offset(), 3u);
  TextInput empty(std::make_unique<MemoryStream>(""), 4);
  EXPECT_EQ(empty.peek(), TextInput::kEnd);
  EXPECT_EQ(empty.offset(), 0u);
}

TEST(TextInput, AnInputErrorEndsTheInputAndIsKept) {
  TextInput input(std::make_unique<FailingStream>(), 4);
  EXPECT_EQ(readAll(input), "x");
  EXPECT_EQ(input.status().code(), StatusCode::kIoError);
  EXPECT_EQ(input.get(), TextInput::kEnd);
}

}  // namespace
}  // namespace ajuste::ingest
