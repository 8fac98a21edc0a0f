// Authentication and the headers every response carries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support.hpp"

namespace ajuste::emulator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(Auth, MissingKeyIsA401InOpenAisShape) {
  Emulator emulator(testOptions());
  Api api(emulator);
  api.headers().clear();
  const Response response = api.get("/files");
  EXPECT_EQ(response.status, 401);
  EXPECT_THAT(response.body["error"]["message"].get<std::string>(), StartsWith("You didn't provide an API key."));
  EXPECT_EQ(response.body["error"]["type"], "invalid_request_error");
  EXPECT_TRUE(response.body["error"]["param"].is_null());
  EXPECT_TRUE(response.body["error"]["code"].is_null());
}

TEST(Auth, AzureStyleHeaderIsNotAnOpenAiKey) {
  Emulator emulator(testOptions());
  Api api(emulator);
  api.headers().clear();
  api.headers().emplace("api-key", "test-key");
  EXPECT_EQ(api.get("/models").status, 401);
}

TEST(Auth, ARequiredKeyRejectsOthersWithoutEchoingThem) {
  Options options = testOptions();
  options.api_key = "sk-right";
  Emulator emulator(options);
  Api api(emulator);
  api.headers().clear();
  api.headers().emplace("Authorization", "Bearer sk-wrong-secret");
  const Response wrong = api.get("/models");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body["error"]["code"], "invalid_api_key");
  EXPECT_THAT(wrong.text, ::testing::Not(HasSubstr("sk-wrong-secret")));
  api.headers().clear();
  api.headers().emplace("Authorization", "Bearer sk-right");
  EXPECT_EQ(api.get("/models").status, 200);
}

TEST(Auth, EveryResponseIsLabelledAndTraceable) {
  Emulator emulator(testOptions());
  Api api(emulator);
  for (const Response& response : {api.get("/models"), api.get("/files/file-missing"), api.get("/nope")}) {
    EXPECT_EQ(response.header("x-ajuste-emulator"), "simulated");
    EXPECT_THAT(response.header("x-request-id"), StartsWith("req_"));
    EXPECT_FALSE(response.header("openai-processing-ms").empty());
    EXPECT_FALSE(response.header("x-ratelimit-remaining-requests").empty());
  }
  const Response unknown = api.get("/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["message"], "Invalid URL (GET /v1/nope)");
}

TEST(Auth, ControlEndpointsNeedNoKey) {
  Emulator emulator(testOptions());
  httplib::Client client(emulator.baseUrl());
  const auto health = client.Get("/_emulator/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body)["simulated"], true);
  EXPECT_EQ(health->get_header_value("x-ajuste-emulator"), "simulated");
}

}  // namespace
}  // namespace ajuste::emulator::testing
