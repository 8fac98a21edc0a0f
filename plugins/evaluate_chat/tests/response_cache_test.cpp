#include "response_cache.hpp"

#include <gtest/gtest.h>

#include "test_files.hpp"

namespace ajuste::evaluate_chat {
namespace {

using nlohmann::json;
using provider::testing::readFile;
using provider::testing::TempFiles;

TEST(ResponseCache, WhatIsStoredIsFoundAfterReopening) {
  TempFiles files;
  const auto path = files.dir() / "eval.chat-cache.jsonl";
  {
    auto cache = ResponseCache::open(path);
    ASSERT_TRUE(cache.ok()) << cache.error().toString();
    ASSERT_TRUE((*cache)->store("k1", {.status = 200, .body = {{"id", "a"}}, .simulated = true}).isOk());
    ASSERT_TRUE((*cache)->store("k2", {.status = 404, .body = {{"id", "b"}}, .simulated = false}).isOk());
    // Flushed per response: the file already holds both lines while the cache is open.
    EXPECT_EQ(readFile(path), "{\"body\":{\"id\":\"a\"},\"key\":\"k1\",\"simulated\":true,\"status\":200}\n"
                              "{\"body\":{\"id\":\"b\"},\"key\":\"k2\",\"simulated\":false,\"status\":404}\n");
  }
  auto reopened = ResponseCache::open(path);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->size(), 2U);
  const auto hit = (*reopened)->find("k1");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->status, 200);
  EXPECT_EQ(hit->body, json({{"id", "a"}}));
  EXPECT_TRUE(hit->simulated);
  EXPECT_FALSE((*reopened)->find("k3"));
}

TEST(ResponseCache, ATornLastLineIsIgnoredAndTheNextEntryStartsOnItsOwnLine) {
  TempFiles files;
  const auto path = files.write("eval.chat-cache.jsonl",
                                "{\"body\":{},\"key\":\"k1\",\"simulated\":false,\"status\":200}\n{\"body\":{\"id\"");
  {
    auto cache = ResponseCache::open(path);
    ASSERT_TRUE(cache.ok());
    EXPECT_EQ((*cache)->size(), 1U);
    ASSERT_TRUE((*cache)->store("k2", {.status = 200, .body = json::object(), .simulated = false}).isOk());
  }
  auto reopened = ResponseCache::open(path);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->size(), 2U);
  EXPECT_TRUE((*reopened)->find("k2"));
}

}  // namespace
}  // namespace ajuste::evaluate_chat
