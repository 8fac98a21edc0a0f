#include "job_request.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ajuste::provider {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

Endpoint openAi() { return {"openai", Flavour::kOpenAi, "https://api.openai.com/v1", "", AuthScheme::kBearer, "K"}; }
Endpoint azureDated(std::string version = "2024-10-21") {
  return {"azure", Flavour::kAzureDated, "https://r.openai.azure.com", std::move(version), AuthScheme::kApiKey, "K"};
}

JobInputs inputs() {
  JobInputs in;
  in.training_file_id = "file-train";
  in.training_sha256 = std::string(64, 'a');
  in.validation_file_id = "file-valid";
  in.validation_sha256 = std::string(64, 'b');
  return in;
}

JobOptions options(json with) {
  auto parsed = parseJobOptions(with);
  EXPECT_TRUE(parsed.ok()) << parsed.error().toString();
  return parsed.value();
}

TEST(JobRequest, OpenAiBodyCarriesMethodHyperparametersAndMetadataKey) {
  const JobOptions o = options({{"model", "gpt-4o-mini-2024-07-18"},
                                {"suffix", "reviews"},
                                {"seed", 7},
                                {"n_epochs", 3},
                                {"batch_size", "auto"}});
  const std::string key = ajusteKey(o, inputs());
  auto body = jobRequestBody(o, inputs(), openAi(), jobTag(openAi(), key));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, (json{{"model", "gpt-4o-mini-2024-07-18"},
                         {"training_file", "file-train"},
                         {"validation_file", "file-valid"},
                         {"seed", 7},
                         {"suffix", "reviews"},
                         {"metadata", {{"ajuste_key", key}}},
                         {"method",
                          {{"type", "supervised"},
                           {"supervised",
                            {{"hyperparameters",
                              {{"n_epochs", 3}, {"batch_size", "auto"}, {"learning_rate_multiplier", "auto"}}}}}}}}));
}

TEST(JobRequest, KeyDependsOnContentModelMethodHyperparametersAndSeedOnly) {
  const JobOptions base = options({{"model", "m"}});
  const std::string key = ajusteKey(base, inputs());
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(ajusteKey(options({{"model", "m"}, {"suffix", "other"}}), inputs()), key) << "the suffix is cosmetic";
  JobInputs other_ids = inputs();
  other_ids.training_file_id = "file-elsewhere";
  EXPECT_EQ(ajusteKey(base, other_ids), key) << "the same bytes uploaded again are the same data";
  JobInputs other_data = inputs();
  other_data.training_sha256 = std::string(64, 'c');
  EXPECT_NE(ajusteKey(base, other_data), key);
  EXPECT_NE(ajusteKey(options({{"model", "m2"}}), inputs()), key);
  EXPECT_NE(ajusteKey(options({{"model", "m"}, {"n_epochs", 2}}), inputs()), key);
  EXPECT_NE(ajusteKey(options({{"model", "m"}, {"seed", 1}}), inputs()), key);
  EXPECT_NE(ajusteKey(options({{"model", "m"}, {"method", "dpo"}}), inputs()), key);
}

TEST(JobRequest, AzureDatedOmitsAutosAndMetadataAndTagsTheSuffix) {
  const JobOptions o = options({{"model", "gpt-4o-mini-2024-07-18"},
                                {"suffix", "reviews"},
                                {"n_epochs", 2},
                                {"learning_rate_multiplier", "auto"}});
  const std::string key = ajusteKey(o, inputs());
  const JobTag tag = jobTag(azureDated(), key);
  EXPECT_FALSE(tag.use_metadata);
  EXPECT_EQ(tag.suffix_tag, "aj" + key.substr(0, 12));
  auto body = jobRequestBody(o, inputs(), azureDated(), tag);
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(body->contains("metadata"));
  EXPECT_FALSE(body->contains("method"));
  EXPECT_EQ((*body)["hyperparameters"], (json{{"n_epochs", 2}}));
  EXPECT_EQ((*body)["suffix"], "reviews-" + tag.suffix_tag);
  EXPECT_LE((*body)["suffix"].get<std::string>().size(), kAzureSuffixLimit);
  auto no_suffix = jobRequestBody(options({{"model", "m"}}), inputs(), azureDated(), tag);
  EXPECT_EQ((*no_suffix)["suffix"], tag.suffix_tag);
  EXPECT_FALSE(no_suffix->contains("hyperparameters")) << "all auto: the service picks";
}

TEST(JobRequest, AzureDatedRefusesLongSuffixesAndDpoWithoutPreview) {
  const JobOptions long_suffix = options({{"model", "m"}, {"suffix", std::string(26, 's')}});
  const JobTag tag = jobTag(azureDated(), std::string(64, 'f'));
  auto refused = jobRequestBody(long_suffix, inputs(), azureDated(), tag);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().pointer(), "/suffix");
  EXPECT_THAT(refused.error().message(), HasSubstr("keep it to 25 characters"));
  const JobOptions dpo = options({{"model", "m"}, {"method", "dpo"}, {"beta", 0.2}});
  auto no_preview = jobRequestBody(dpo, inputs(), azureDated(), tag);
  ASSERT_FALSE(no_preview.ok());
  EXPECT_THAT(no_preview.error().message(), HasSubstr("preview api_version"));
  auto preview = jobRequestBody(dpo, inputs(), azureDated("2025-04-01-preview"), tag);
  ASSERT_TRUE(preview.ok());
  EXPECT_EQ((*preview)["method"], (json{{"type", "dpo"}, {"dpo", {{"hyperparameters", {{"beta", 0.2}}}}}}));
}

TEST(JobRequest, BetaNeedsDpo) {
  auto refused = parseJobOptions({{"model", "m"}, {"beta", 0.5}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().pointer(), "/beta");
}

}  // namespace
}  // namespace ajuste::provider
