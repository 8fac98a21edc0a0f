// The model catalogue: the embedded default, name resolution, overrides and their errors.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ajuste/testing/stage_harness.hpp"

#include "model_catalogue/catalogue.hpp"
#include "options.hpp"
#include "stats_stage.hpp"
#include "validate_stage.hpp"

namespace ajuste::validate_openai {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const Catalogue& builtIn() {
  static const auto catalogue = Catalogue::builtIn();
  return **catalogue;
}

TEST(Catalogue, TheEmbeddedTextIsTheShippedYaml) {
  std::ifstream file(AJUSTE_CATALOGUE_YAML, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  EXPECT_EQ(model_catalogue::builtInCatalogueText(), text.str());
  ASSERT_TRUE(Catalogue::builtIn().ok()) << Catalogue::builtIn().error().message();
}

TEST(Catalogue, KnowsTheSourcedLimitsPricesAndDates) {
  const auto mini = builtIn().resolve("gpt-4o-mini-2024-07-18");
  ASSERT_TRUE(mini.ok());
  EXPECT_EQ((*mini)->context, 65536u);
  EXPECT_EQ((*mini)->min_examples, 10u);
  EXPECT_EQ((*mini)->training_per_1m, 3.0);
  EXPECT_EQ((*mini)->encoding, EncodingName::kO200kBase);
  EXPECT_EQ((*mini)->shutdown.at("openai"), "2027-01-14");
  EXPECT_FALSE((*mini)->hasMethod("dpo"));
  const auto nano = builtIn().resolve("gpt-4.1-nano-2025-04-14");
  ASSERT_TRUE(nano.ok());
  EXPECT_EQ((*nano)->context, 32768u);
  EXPECT_TRUE((*nano)->hasMethod("dpo"));
  EXPECT_EQ(builtIn().provider("openai")->new_jobs_until, "2027-01-06");
  EXPECT_EQ(builtIn().provider("azure")->hosting_per_hour, 1.70);
  EXPECT_EQ(builtIn().pricing().as_of, "2025-08-15");
  EXPECT_EQ(builtIn().pricing().currency, "USD");
}

TEST(Catalogue, ResolvesIdsAliasesAndFineTunedNames) {
  EXPECT_EQ((*builtIn().resolve("gpt-4o-mini"))->id, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ((*builtIn().resolve("gpt-4.1"))->id, "gpt-4.1-2025-04-14");
  EXPECT_EQ((*builtIn().resolve("gpt-3.5-turbo"))->id, "gpt-3.5-turbo-0125") << "the latest released snapshot";
  EXPECT_EQ((*builtIn().resolve("ft:gpt-4o-mini-2024-07-18:acme::9abc"))->id, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ((*builtIn().resolve("ft:gpt-4.1-mini:acme:reviews:9abc"))->id, "gpt-4.1-mini-2025-04-14");
  // Azure's fine-tuned names: "<base>.ft-<id>".
  EXPECT_EQ((*builtIn().resolve("gpt-4o-mini-2024-07-18.ft-0123456789abcdef"))->id, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ((*builtIn().resolve("babbage-002"))->id, "babbage-002");
}

TEST(Catalogue, AnUnknownModelIsAConfigErrorWithASuggestion) {
  const auto wrong = builtIn().resolve("gpt-4o-mni");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), StatusCode::kConfigError);
  EXPECT_EQ(wrong.error().pointer(), "/model");
  EXPECT_THAT(wrong.error().message(),
              StartsWith(R"(unknown model "gpt-4o-mni"; did you mean "gpt-4o-mini"? Known models: gpt-4.1-2025-04-14, )"));
  EXPECT_THAT(wrong.error().message(), HasSubstr("babbage-002 (or their names without the snapshot date"));
  EXPECT_THAT([] { testing::StageHarness h(OpenAIStats::info(), R"({"model": "gpt4o-mini"})"); },
              ::testing::ThrowsMessage<std::invalid_argument>(
                  HasSubstr(R"(config error at /model: unknown model "gpt4o-mini"; did you mean "gpt-4o-mini"?)")));
}

class CatalogueFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ajuste-catalogue-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& text) {
    const auto path = dir_ / "models.yaml";
    std::ofstream(path) << text;
    return path.string();
  }
  std::filesystem::path dir_;
};

TEST_F(CatalogueFile, OverridesFieldsByIdAndAddsModels) {
  const std::string path = write(
      "pricing: {as_of: \"2026-06-01\", source: \"our contract\"}\n"
      "models:\n"
      "  - id: gpt-4o-mini-2024-07-18\n"
      "    training_per_1m: 2.5\n"
      "  - id: gpt-5-mini-2026-03-01\n"
      "    released: \"2026-03-01\"\n"
      "    encoding: o200k_base\n"
      "    context: 131072\n"
      "    formats: [chat]\n"
      "    methods: [supervised, dpo]\n"
      "    training_per_1m: 4\n");
  testing::StageHarness h{OpenAIStats::info(), R"({"model": "gpt-5-mini", "catalogue": ")" + path + "\"}"};
  (void)h;
  auto base = Catalogue::builtIn();
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  const auto merged = Catalogue::parse(text.str(), path, base->get());
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  const ModelInfo& mini = **merged->resolve("gpt-4o-mini");
  EXPECT_EQ(mini.training_per_1m, 2.5);
  EXPECT_EQ(mini.context, 65536u) << "fields not given keep the built-in value";
  const ModelInfo& added = **merged->resolve("gpt-5-mini");
  EXPECT_EQ(added.id, "gpt-5-mini-2026-03-01");
  EXPECT_EQ(added.context, 131072u);
  EXPECT_EQ(merged->pricing().as_of, "2026-06-01");
  EXPECT_EQ(merged->pricing().currency, "USD");
  EXPECT_EQ(merged->models().size(), builtIn().models().size() + 1);
}

TEST_F(CatalogueFile, ErrorsNameTheFileLineAndField) {
  const auto refused = [&](const std::string& yaml) {
    const std::string path = write(yaml);
    testing::RecordingContext ctx;
    const auto parsed = parseOptions({{"model", "gpt-4o-mini"}, {"catalogue", path}}, ctx);
    std::string message = parsed.ok() ? std::string("accepted") : parsed.error().toString();
    const auto at = message.find(path);
    return at == std::string::npos ? message : message.replace(at, path.size(), "FILE");
  };
  EXPECT_EQ(refused("models:\n  - id: gpt-4o-mini-2024-07-18\n    context: lots\n"),
            "config error at /catalogue: FILE:3:14: models[0].context must be a positive integer, found \"lots\"");
  EXPECT_EQ(refused("models:\n  - id: gpt-4o-mini-2024-07-18\n    trainig_per_1m: 2\n"),
            "config error at /catalogue: FILE:3:5: models[0] has unknown key \"trainig_per_1m\"; known keys are id, "
            "released, encoding, context, min_examples, formats, methods, vision, providers, training_per_1m, "
            "training_per_hour, input_per_1m, cached_input_per_1m, output_per_1m, shutdown");
  EXPECT_EQ(refused("models:\n  - id: new-model\n    context: 1000\n"),
            "config error at /catalogue: FILE:2:5: models[0] (new model \"new-model\") needs encoding (give id, "
            "encoding, context, formats and methods for a model that is not in the built-in catalogue)");
  EXPECT_EQ(refused("models:\n  - id: gpt-4o-mini-2024-07-18\n    shutdown: {openai: 2027-13-01}\n"),
            "config error at /catalogue: FILE:3:24: models[0].shutdown.openai must be a date YYYY-MM-DD, found "
            "\"2027-13-01\"");
  EXPECT_THAT(refused("models: [\n"), StartsWith("config error at /catalogue: FILE:2:1: not valid YAML: "));
  const auto missing = (dir_ / "nope.yaml").string();
  EXPECT_THAT([&] { testing::StageHarness h(OpenAIValidator::info(), R"({"model": "gpt-4o-mini", "catalogue": ")" + missing + "\"}"); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("config error at /catalogue: cannot read the catalogue file")));
}

TEST(Catalogue, Dates) {
  EXPECT_TRUE(parseDate("2027-01-06"));
  EXPECT_FALSE(parseDate("2027-02-30"));
  EXPECT_FALSE(parseDate("2027-1-06"));
  EXPECT_EQ(formatDate(*parseDate("2024-02-29")), "2024-02-29");
  EXPECT_EQ((*parseDate("2027-01-14") - *parseDate("2027-01-06")).count(), 8);
}

}  // namespace
}  // namespace ajuste::validate_openai
