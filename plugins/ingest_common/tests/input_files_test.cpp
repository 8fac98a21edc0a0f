#include "ingest_common/input_files.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/recording_context.hpp"
#include "scratch_dir.hpp"

namespace ajuste::ingest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const DirectoryFilter kCsv{{".csv", ".tsv"}};

std::vector<std::string> displays(const std::vector<InputFile>& files) {
  std::vector<std::string> out;
  for (const auto& file : files) out.push_back(file.display);
  return out;
}

class InputFilesTest : public ::testing::Test {
 protected:
  InputFilesTest() { ctx_.setBaseDir(dir_.path()); }
  testing::ScratchDir dir_{"ingest-inputs"};
  ajuste::testing::RecordingContext ctx_{"ingest/csv"};
};

TEST_F(InputFilesTest, AFileIsItselfWhateverItsName) {
  dir_.write("data/reviews.export", "a\n1\n");
  const auto files = expandInputs("data/reviews.export", ctx_, kCsv);
  ASSERT_TRUE(files.ok()) << files.error().toString();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].display, "data/reviews.export");
  EXPECT_EQ((*files)[0].resolved, dir_.path() / "data/reviews.export");
  EXPECT_EQ((*files)[0].size, 4u);
}

TEST_F(InputFilesTest, ADirectoryGivesItsMatchingFilesSortedByteWise) {
  for (const char* name : {"b.csv", "a10.csv", "a2.csv", "B.tsv", "c.csv.gz", "d.tsv.zst", "notes.txt", ".hidden.csv",
                           "sub/e.csv"}) {
    dir_.write(std::string("in/") + name, "x\n");
  }
  const auto files = expandInputs("in", ctx_, kCsv);
  ASSERT_TRUE(files.ok()) << files.error().toString();
  EXPECT_THAT(displays(*files),
              ElementsAre("in/B.tsv", "in/a10.csv", "in/a2.csv", "in/b.csv", "in/c.csv.gz", "in/d.tsv.zst"));
  const auto with_slash = expandInputs("in/", ctx_, kCsv);
  ASSERT_TRUE(with_slash.ok());
  EXPECT_EQ((*with_slash)[0].display, "in/B.tsv");
}

TEST_F(InputFilesTest, ADirectoryWithoutMatchingFilesIsAConfigErrorListingWhatIsThere) {
  dir_.write("in/notes.txt", "x");
  dir_.write("in/data.json", "[]");
  const auto files = expandInputs("in", ctx_, kCsv);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().code(), StatusCode::kConfigError);
  EXPECT_EQ(files.error().pointer(), "/path");
  EXPECT_THAT(files.error().message(), HasSubstr("holds no .csv or .tsv file"));
  EXPECT_THAT(files.error().message(), HasSubstr("it holds: data.json, notes.txt"));
}

TEST_F(InputFilesTest, AGlobMatchesFilesSortedByPathAndKeepsTheUsersSpelling) {
  for (const char* name : {"2024/b.csv", "2024/a.csv", "2023/z.csv", "2023/skip.json"}) dir_.write(std::string("dumps/") + name, "x\n");
  std::filesystem::create_directories(dir_.path() / "dumps/2025/folder.csv");
  const auto files = expandInputs("dumps/*/*.csv", ctx_, kCsv);
  ASSERT_TRUE(files.ok()) << files.error().toString();
  EXPECT_THAT(displays(*files), ElementsAre("dumps/2023/z.csv", "dumps/2024/a.csv", "dumps/2024/b.csv"));
  EXPECT_EQ((*files)[0].resolved, dir_.path() / "dumps/2023/z.csv");
}

TEST_F(InputFilesTest, AGlobInTheCurrentFolderAndAnAbsoluteGlob) {
  dir_.write("b.csv", "x");
  dir_.write("a.csv", "x");
  const auto relative = expandInputs("*.csv", ctx_, kCsv);
  ASSERT_TRUE(relative.ok());
  EXPECT_THAT(displays(*relative), ElementsAre("a.csv", "b.csv"));
  const std::string absolute_pattern = (dir_.path() / "?.csv").string();
  const auto absolute = expandInputs(absolute_pattern, ctx_, kCsv);
  ASSERT_TRUE(absolute.ok());
  EXPECT_THAT(displays(*absolute), ElementsAre((dir_.path() / "a.csv").string(), (dir_.path() / "b.csv").string()));
}

TEST_F(InputFilesTest, AGlobMatchingNothingIsAConfigError) {
  const auto files = expandInputs("data/*.csv", ctx_, kCsv, "/input");
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().pointer(), "/input");
  EXPECT_THAT(files.error().message(), HasSubstr("no file matches the glob 'data/*.csv'"));
}

TEST_F(InputFilesTest, AMissingPathIsAConfigErrorThatSaysWhereItLooked) {
  const auto files = expandInputs("nope.csv", ctx_, kCsv);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().code(), StatusCode::kConfigError);
  EXPECT_THAT(files.error().message(), HasSubstr("'nope.csv' (resolved to '" + (dir_.path() / "nope.csv").string() +
                                                 "') does not exist"));
  // The example of a glob is in the source's own format.
  EXPECT_THAT(files.error().message(), HasSubstr("a glob ('data/*.csv') names several files"));
  const auto json = expandInputs("nope.json", ctx_, DirectoryFilter{{".json"}});
  ASSERT_FALSE(json.ok());
  EXPECT_THAT(json.error().message(), HasSubstr("a glob ('data/*.json') names several files"));
}

TEST_F(InputFilesTest, AFileWhoseNameLooksLikeAGlobIsTakenLiterally) {
  dir_.write("data[1].csv", "x");
  dir_.write("data1.csv", "x");
  const auto files = expandInputs("data[1].csv", ctx_, kCsv);
  ASSERT_TRUE(files.ok());
  EXPECT_THAT(displays(*files), ElementsAre("data[1].csv"));
}

}  // namespace
}  // namespace ajuste::ingest
