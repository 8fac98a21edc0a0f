#include "spill_file.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace ajuste::split_random {
namespace {

std::uint64_t allocatedBytes(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return static_cast<std::uint64_t>(info.st_blocks) * 512;
}

// The final pass reads the spill once; what it has read must not keep a second copy of the
// data on disk or in the page cache while the outputs are written from it.
TEST(SpillFile, ReadingBackGivesTheRegionsInOrderAndReleasesWhatWasRead) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "ajuste-spill-file-test.jsonl";
  SpillFile spill(path);
  const std::string first(3 << 20, 'a');
  const std::string second(2 << 20, 'b');
  const auto a = spill.append(first);
  const auto b = spill.append(second);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::uint64_t written = allocatedBytes(path);
  ASSERT_GE(written, first.size() + second.size());

  const std::vector<SpillRegion> regions = {*b, *a};  // input order need not be append order
  SpillFile::Reader reader(spill, regions);
  std::string back;
  std::vector<char> block(1 << 16);
  for (std::size_t n; (n = reader.read(block.data(), block.size())) != 0;) back.append(block.data(), n);
  ASSERT_TRUE(reader.status().isOk());
  EXPECT_EQ(back, second + first);
  // tmpfs, ext4, xfs and btrfs punch holes; elsewhere the pages go at remove().
  EXPECT_LT(allocatedBytes(path), written / 8) << "the spill still holds what was read";
  EXPECT_EQ(std::filesystem::file_size(path), first.size() + second.size());
}

}  // namespace
}  // namespace ajuste::split_random
