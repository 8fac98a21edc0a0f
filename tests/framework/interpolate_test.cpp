#include "config/interpolate.hpp"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste {
namespace {

using ::testing::HasSubstr;

EnvLookup fakeEnvironment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Interpolate, ReplacesVariablesAndKeepsTheRest) {
  const auto result = interpolate("data/${DATASET}.jsonl", fakeEnvironment({{"DATASET", "reviews"}}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->text, "data/reviews.jsonl");
  EXPECT_EQ(result->variables, std::vector<std::string>{"DATASET"});
}

TEST(Interpolate, UsesTheDefaultWhenUnsetOrEmptyLikeTheShell) {
  EXPECT_EQ(interpolate("${N:-3}", fakeEnvironment({}))->text, "3");
  EXPECT_EQ(interpolate("${N:-3}", fakeEnvironment({{"N", ""}}))->text, "3");
  EXPECT_EQ(interpolate("${N:-3}", fakeEnvironment({{"N", "5"}}))->text, "5");
  EXPECT_EQ(interpolate("${N:-}", fakeEnvironment({}))->text, "");
}

TEST(Interpolate, DoubleDollarIsALiteral) {
  EXPECT_EQ(interpolate("cost $${HOME} and $5", fakeEnvironment({}))->text, "cost ${HOME} and $5");
}

TEST(Interpolate, UnsetVariableSaysHowToFixItAndWhere) {
  const auto result = interpolate("key: ${API_KEY}", fakeEnvironment({}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(),
            "environment variable API_KEY is not set; export it, or write ${API_KEY:-default} to give a default");
  EXPECT_EQ(result.error().pointer(), "5");  // offset of "${" in the text
}

TEST(Interpolate, RejectsMalformedReferences) {
  EXPECT_THAT(interpolate("${1X}", fakeEnvironment({})).error().message(), HasSubstr("is not a variable reference"));
  EXPECT_THAT(interpolate("${X", fakeEnvironment({})).error().message(), HasSubstr("unterminated"));
  EXPECT_THAT(interpolate("${X:=1}", fakeEnvironment({})).error().message(), HasSubstr("only ${NAME} and"));
}

TEST(Interpolate, RemembersValuesOfCredentialLikeVariables) {
  const auto result =
      interpolate("${OPENAI_API_KEY} ${REGION}", fakeEnvironment({{"OPENAI_API_KEY", "sk-test-123"}, {"REGION", "eu"}}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->secrets, std::vector<std::string>{"sk-test-123"});
}

TEST(Interpolate, SecretNames) {
  EXPECT_TRUE(looksLikeSecretName("OPENAI_API_KEY"));
  EXPECT_TRUE(looksLikeSecretName("azure_token"));
  EXPECT_TRUE(looksLikeSecretName("DB_PASSWORD"));
  EXPECT_FALSE(looksLikeSecretName("DATASET"));
}

}  // namespace
}  // namespace ajuste
