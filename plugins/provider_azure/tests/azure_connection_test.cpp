#include "azure_connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "ajuste/testing/stage_harness.hpp"
#include "azure_stages.hpp"

namespace ajuste::provider::azure {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST(AzureConnection, DefaultsToTheDatedApiWithAnApiKey) {
  auto endpoint = resolveEndpoint({{"endpoint", "https://res.openai.azure.com/openai/"}}, nullptr);
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().toString();
  EXPECT_EQ(endpoint->base_url, "https://res.openai.azure.com");
  EXPECT_EQ(endpoint->url("/files"), "https://res.openai.azure.com/openai/files?api-version=2024-10-21");
  EXPECT_EQ(endpoint->authHeader("k").name, "api-key");
  EXPECT_EQ(endpoint->credential_env, "AZURE_OPENAI_API_KEY");
}

TEST(AzureConnection, V1SelectsTheOpenAiCompatiblePaths) {
  auto endpoint =
      resolveEndpoint({{"endpoint", "https://res.openai.azure.com/openai/v1"}, {"api_version", "v1"}}, nullptr);
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->flavour, Flavour::kAzureV1);
  EXPECT_EQ(endpoint->url("/files", "limit=1"), "https://res.openai.azure.com/openai/v1/files?limit=1");
}

TEST(AzureConnection, AnEntraTokenGoesAsBearer) {
  auto endpoint = resolveEndpoint(
      {{"endpoint", "https://res.openai.azure.com"}, {"bearer_token_env", "AZURE_OPENAI_AD_TOKEN"}}, nullptr);
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ(endpoint->auth, AuthScheme::kBearer);
  EXPECT_EQ(endpoint->credential_env, "AZURE_OPENAI_AD_TOKEN");
  EXPECT_EQ(endpoint->authHeader("t").value, "Bearer t");
  EXPECT_EQ(endpoint->toArtifact()["auth"], "bearer");
}

TEST(AzureConnection, TheEndpointComesFromTheEnvironmentOrIsAConfigError) {
  ::unsetenv("AZURE_OPENAI_ENDPOINT");
  auto missing = resolveEndpoint(json::object(), nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kConfigError);
  EXPECT_EQ(missing.error().pointer(), "/endpoint");
  EXPECT_THAT(missing.error().message(), HasSubstr("AZURE_OPENAI_ENDPOINT"));
  ::setenv("AZURE_OPENAI_ENDPOINT", "https://env.openai.azure.com/", 1);
  auto from_env = resolveEndpoint(json::object(), nullptr);
  ::unsetenv("AZURE_OPENAI_ENDPOINT");
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->base_url, "https://env.openai.azure.com");
}

TEST(AzureConnection, TheArtifactSuppliesWhatTheOptionsDoNotSay) {
  const json artifact = {{"provider", "azure"},
                         {"endpoint", "https://res.openai.azure.com"},
                         {"api_version", "2024-10-21"},
                         {"auth", "api-key"},
                         {"credential_env", "MY_KEY"}};
  auto same = resolveEndpoint(json::object(), &artifact);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->credential_env, "MY_KEY");
  auto overridden = resolveEndpoint({{"api_version", "2025-04-01-preview"}, {"bearer_token_env", "TOKEN"}}, &artifact);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->api_version, "2025-04-01-preview");
  EXPECT_EQ(overridden->auth, AuthScheme::kBearer);
  const json openai = {{"provider", "openai"}, {"base_url", "https://api.openai.com/v1"}, {"credential_env", "K"}};
  auto wrong = resolveEndpoint(json::object(), &openai);
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.error().message(), HasSubstr("use the openai stages throughout"));
}

TEST(AzureConnection, TheSchemaRefusesAKeyAndATokenTogetherAndBadVersions) {
  EXPECT_FALSE(
      ajuste::testing::checkOptions(
          uploadInfo(), {{"endpoint", "https://r.openai.azure.com"}, {"api_key_env", "A"}, {"bearer_token_env", "B"}})
          .ok());
  EXPECT_FALSE(ajuste::testing::checkOptions(uploadInfo(), {{"api_version", "latest"}}).ok());
  EXPECT_TRUE(ajuste::testing::checkOptions(uploadInfo(), {{"api_version", "2025-04-01-preview"}}).ok());
  EXPECT_FALSE(resolveEndpoint({{"endpoint", "r.openai.azure.com"}}, nullptr).ok());
}

}  // namespace
}  // namespace ajuste::provider::azure
