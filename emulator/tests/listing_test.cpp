// List endpoints: order, cursors, limits and filters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using nlohmann::json;

std::vector<std::string> ids(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list["data"]) out.push_back(item["id"]);
  return out;
}

TEST(Listing, FilesNewestFirstWithPurposeOrderAndCursor) {
  Emulator emulator(testOptions());
  Api api(emulator);
  std::vector<std::string> created;
  for (int i = 0; i < 4; ++i) created.push_back(api.uploadFile("f" + std::to_string(i) + ".jsonl", reviewsJsonl(10)).body["id"]);
  api.uploadFile("notes.txt", "hello", "user_data");
  EXPECT_EQ(ids(api.get("/files?purpose=fine-tune").body), (std::vector<std::string>{created[3], created[2], created[1], created[0]}));
  const json page = api.get("/files?purpose=fine-tune&limit=2&order=asc").body;
  EXPECT_EQ(ids(page), (std::vector<std::string>{created[0], created[1]}));
  EXPECT_TRUE(page["has_more"]);
  EXPECT_EQ(page["first_id"], created[0]);
  EXPECT_EQ(page["last_id"], created[1]);
  const json next = api.get("/files?purpose=fine-tune&limit=2&order=asc&after=" + created[1]).body;
  EXPECT_EQ(ids(next), (std::vector<std::string>{created[2], created[3]}));
  EXPECT_FALSE(next["has_more"]);
  EXPECT_EQ(api.get("/files").body["data"].size(), 5U);
}

TEST(Listing, JobsPageByCursorAndFilterByMetadata) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string file = api.processedFile(reviewsJsonl(10));
  std::vector<std::string> jobs;
  for (int i = 0; i < 5; ++i) {
    const json metadata = {{"ajuste_run", i == 3 ? "wanted" : "other"}, {"dataset", "reviews"}};
    jobs.push_back(api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}, {"metadata", metadata}})
                       .body["id"]);
  }
  api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}});
  const json first = api.get("/fine_tuning/jobs?limit=2").body;
  EXPECT_EQ(first["object"], "list");
  EXPECT_EQ(first["data"].size(), 2U);
  EXPECT_TRUE(first["has_more"]);
  const std::string last = first["data"][1]["id"];
  EXPECT_EQ(last, jobs[4]);
  const json second = api.get("/fine_tuning/jobs?limit=2&after=" + last).body;
  EXPECT_EQ(ids(second), (std::vector<std::string>{jobs[3], jobs[2]}));

  EXPECT_EQ(ids(api.get("/fine_tuning/jobs?metadata%5Bajuste_run%5D=wanted").body), std::vector<std::string>{jobs[3]});
  EXPECT_EQ(ids(api.get("/fine_tuning/jobs?metadata[ajuste_run]=wanted&metadata[dataset]=reviews").body),
            std::vector<std::string>{jobs[3]});
  EXPECT_TRUE(api.get("/fine_tuning/jobs?metadata[ajuste_run]=none").body["data"].empty());
  EXPECT_EQ(api.get("/fine_tuning/jobs?metadata=null").body["data"].size(), 1U);
  EXPECT_EQ(api.get("/fine_tuning/jobs").body["data"].size(), 6U);
}

TEST(Listing, EventsPageNewestFirst) {
  Emulator emulator(testOptions());
  Api api(emulator);
  const std::string file = api.processedFile(reviewsJsonl(10));
  const std::string job = api.post("/fine_tuning/jobs", {{"model", "gpt-4o-mini"}, {"training_file", file}}).body["id"];
  runJobToEnd(emulator, api, job);
  const json all = api.get("/fine_tuning/jobs/" + job + "/events?limit=1000").body;
  const json page = api.get("/fine_tuning/jobs/" + job + "/events").body;
  EXPECT_EQ(page["data"].size(), 20U);
  EXPECT_TRUE(page["has_more"]);
  const json next = api.get("/fine_tuning/jobs/" + job + "/events?limit=3&after=" + page["data"][19]["id"].get<std::string>()).body;
  ASSERT_EQ(next["data"].size(), 3U);
  EXPECT_EQ(next["data"][0], all["data"][20]);
  for (std::size_t i = 1; i < all["data"].size(); ++i)
    EXPECT_GE(all["data"][i - 1]["created_at"].get<std::int64_t>(), all["data"][i]["created_at"].get<std::int64_t>());
}

TEST(Listing, BadLimitIsA400) {
  Emulator emulator(testOptions());
  Api api(emulator);
  for (const char* query : {"?limit=0", "?limit=abc", "?limit=101"}) {
    const Response response = api.get(std::string("/fine_tuning/jobs") + query);
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_EQ(response.body["error"]["param"], "limit");
  }
}

}  // namespace
}  // namespace ajuste::emulator::testing
