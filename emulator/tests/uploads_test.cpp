// The Uploads API: parts, completion in order, byte checks, cancel.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using nlohmann::json;

json uploadRequest(const std::string& data) {
  return {{"filename", "big.jsonl"}, {"purpose", "fine-tune"}, {"bytes", data.size()}, {"mime_type", "text/jsonl"}};
}

TEST(Uploads, PartsAreJoinedInTheOrderOfPartIds) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string data = reviewsJsonl(30);
  const std::size_t third = data.size() / 3;
  const std::vector<std::string> pieces = {data.substr(0, third), data.substr(third, third), data.substr(2 * third)};

  const Response created = api.post("/uploads", uploadRequest(data));
  ASSERT_EQ(created.status, 200) << created.text;
  EXPECT_EQ(created.body["object"], "upload");
  EXPECT_EQ(created.body["status"], "pending");
  EXPECT_TRUE(created.body["file"].is_null());
  EXPECT_EQ(created.body["expires_at"].get<std::int64_t>() - created.body["created_at"].get<std::int64_t>(), 3600);
  const std::string upload = created.body["id"];
  EXPECT_THAT(upload, StartsWith("upload_"));

  // Sent out of order, as parallel clients do; the order that counts is part_ids'.
  std::vector<std::string> part_ids(3);
  for (const std::size_t i : {2U, 0U, 1U}) {
    const Response part = api.addPart(upload, pieces[i]);
    ASSERT_EQ(part.status, 200) << part.text;
    EXPECT_EQ(part.body["object"], "upload.part");
    EXPECT_EQ(part.body["upload_id"], upload);
    part_ids[i] = part.body["id"];
  }

  const Response short_list = api.post("/uploads/" + upload + "/complete", {{"part_ids", {part_ids[0], part_ids[1]}}});
  EXPECT_EQ(short_list.status, 400);
  EXPECT_EQ(short_list.body["error"]["message"],
            "The number of bytes uploaded (" + std::to_string(pieces[0].size() + pieces[1].size()) +
                ") does not match the number of bytes declared when the upload was created (" +
                std::to_string(data.size()) + ").");
  EXPECT_EQ(api.post("/uploads/" + upload + "/complete", {{"part_ids", {"part_nope"}}}).status, 400);

  const Response completed = api.post("/uploads/" + upload + "/complete", {{"part_ids", part_ids}});
  ASSERT_EQ(completed.status, 200) << completed.text;
  EXPECT_EQ(completed.body["status"], "completed");
  const json& file = completed.body["file"];
  EXPECT_EQ(file["object"], "file");
  EXPECT_EQ(file["bytes"], data.size());
  EXPECT_EQ(file["filename"], "big.jsonl");
  EXPECT_EQ(api.get("/files/" + file["id"].get<std::string>() + "/content").text, data);
  advance(emulator, 60);
  EXPECT_EQ(api.get("/files/" + file["id"].get<std::string>()).body["status"], "processed");

  EXPECT_EQ(api.addPart(upload, "more").status, 400);
  const json counters = emulator.world().counters();
  EXPECT_EQ(counters["uploads_created"], 1);
  EXPECT_EQ(counters["upload_parts_created"], 3);
  EXPECT_EQ(counters["uploads_completed"], 1);
  EXPECT_EQ(counters["files_created"], 1);
}

TEST(Uploads, PartSizeIsLimited) {
  Options options = testOptions();
  options.max_part_bytes = 100;
  Emulator emulator(options);
  Api api(emulator);
  const std::string upload = api.post("/uploads", uploadRequest(std::string(150, 'x'))).body["id"];
  const Response big = api.addPart(upload, std::string(101, 'x'));
  EXPECT_EQ(big.status, 400);
  EXPECT_THAT(big.body["error"]["message"].get<std::string>(), HasSubstr("at most 100 bytes"));
  EXPECT_EQ(api.addPart(upload, std::string(100, 'x')).status, 200);
}

TEST(Uploads, CancelledUploadTakesNoParts) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string upload = api.post("/uploads", uploadRequest("abc")).body["id"];
  const Response cancelled = api.postEmpty("/uploads/" + upload + "/cancel");
  ASSERT_EQ(cancelled.status, 200);
  EXPECT_EQ(cancelled.body["status"], "cancelled");
  EXPECT_EQ(api.addPart(upload, "abc").status, 400);
  EXPECT_EQ(api.postEmpty("/uploads/" + upload + "/cancel").status, 400);
}

TEST(Uploads, ExpireAfterAnHour) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string upload = api.post("/uploads", uploadRequest("abc")).body["id"];
  advance(emulator, 3601);
  const Response late = api.addPart(upload, "abc");
  EXPECT_EQ(late.status, 400);
  EXPECT_THAT(late.body["error"]["message"].get<std::string>(), HasSubstr("expired"));
}

TEST(Uploads, RequestIsChecked) {
  Emulator emulator(testOptions());
  Api api(emulator);
  EXPECT_EQ(api.post("/uploads", {{"filename", "a.jsonl"}, {"purpose", "fine-tune"}, {"bytes", 3}}).body["error"]["param"],
            "mime_type");
  EXPECT_EQ(api.post("/uploads", {{"filename", "a.csv"}, {"purpose", "fine-tune"}, {"bytes", 3}, {"mime_type", "text/csv"}})
                .status,
            400);
  EXPECT_EQ(api.post("/uploads/upload_nope/complete", {{"part_ids", json::array()}}).status, 404);
}

}  // namespace
}  // namespace ajuste::emulator::testing
