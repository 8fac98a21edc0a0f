#include "endpoint.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste::provider {
namespace {

using ::testing::HasSubstr;

Endpoint azure(std::string version) {
  Endpoint endpoint;
  endpoint.provider = "azure";
  endpoint.flavour = version == "v1" ? Flavour::kAzureV1 : Flavour::kAzureDated;
  endpoint.base_url = "https://res.openai.azure.com";
  endpoint.api_version = std::move(version);
  endpoint.auth = AuthScheme::kApiKey;
  endpoint.credential_env = "AZURE_OPENAI_API_KEY";
  return endpoint;
}

TEST(Endpoint, BuildsTheUrlOfEachFlavour) {
  Endpoint openai{"openai", Flavour::kOpenAi, "https://api.openai.com/v1", "", AuthScheme::kBearer, "OPENAI_API_KEY"};
  EXPECT_EQ(openai.url("/files"), "https://api.openai.com/v1/files");
  EXPECT_EQ(openai.url("/files", "purpose=fine-tune"), "https://api.openai.com/v1/files?purpose=fine-tune");
  EXPECT_EQ(azure("2024-10-21").url("/fine_tuning/jobs", "limit=100"),
            "https://res.openai.azure.com/openai/fine_tuning/jobs?api-version=2024-10-21&limit=100");
  EXPECT_EQ(azure("v1").url("/files"), "https://res.openai.azure.com/openai/v1/files");
}

TEST(Endpoint, AuthHeaderFollowsTheScheme) {
  Endpoint endpoint = azure("2024-10-21");
  EXPECT_EQ(endpoint.authHeader("k").name, "api-key");
  EXPECT_EQ(endpoint.authHeader("k").value, "k");
  endpoint.auth = AuthScheme::kBearer;
  EXPECT_EQ(endpoint.authHeader("t").name, "Authorization");
  EXPECT_EQ(endpoint.authHeader("t").value, "Bearer t");
}

TEST(Endpoint, ArtifactRoundTripsWithoutSecrets) {
  const Endpoint endpoint = azure("2024-10-21");
  const auto artifact = endpoint.toArtifact();
  EXPECT_EQ(artifact, (nlohmann::json{{"provider", "azure"},
                                      {"endpoint", "https://res.openai.azure.com"},
                                      {"api_version", "2024-10-21"},
                                      {"auth", "api-key"},
                                      {"credential_env", "AZURE_OPENAI_API_KEY"}}));
  auto back = Endpoint::fromArtifact(artifact);
  ASSERT_TRUE(back.ok()) << back.error().toString();
  EXPECT_EQ(back->url("/files"), endpoint.url("/files"));
  EXPECT_EQ(back->serviceKey(), endpoint.serviceKey());
  EXPECT_FALSE(Endpoint::fromArtifact({{"provider", "other"}}).ok());
}

TEST(Endpoint, RefusesBaseUrlsThatCannotWork) {
  EXPECT_EQ(badBaseUrlReason("https://api.openai.com/v1"), "");
  EXPECT_EQ(badBaseUrlReason("http://127.0.0.1:8080/v1"), "");
  EXPECT_THAT(badBaseUrlReason("api.openai.com/v1"), HasSubstr("must start with https://"));
  EXPECT_THAT(badBaseUrlReason("https:///v1"), HasSubstr("no host"));
  EXPECT_THAT(badBaseUrlReason("https://x/openai?api-version=1"), HasSubstr("query"));
  EXPECT_EQ(withoutTrailingSlashes("https://x/v1//"), "https://x/v1");
}

}  // namespace
}  // namespace ajuste::provider
