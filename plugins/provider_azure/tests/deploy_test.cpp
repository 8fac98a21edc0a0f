// deploy/azure against a scripted Azure Resource Manager (the emulator does not serve ARM).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "deploy_stage.hpp"
#include "scripted_api.hpp"
#include "stage_run.hpp"

namespace ajuste::provider::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPath =
    "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/res/deployments/"
    "gpt-4o-mini-2024-07-18.ft-abc";
constexpr const char* kModel = "gpt-4o-mini-2024-07-18.ft-abc";

std::map<std::string, json> artifacts() {
  return {{"fine_tuned_model", kModel},
          {"provider",
           {{"provider", "azure"},
            {"endpoint", "https://res.openai.azure.com"},
            {"api_version", "2024-10-21"},
            {"auth", "api-key"},
            {"credential_env", "AZURE_OPENAI_API_KEY"}}}};
}

json options() {
  return {{"subscription_id", "sub-1"},
          {"resource_group", "rg-1"},
          {"management_url", "https://arm.test"},
          {"poll_interval_s", 1}};
}

json deployment(const std::string& model, const std::string& state) {
  return {{"id", std::string(kPath)},
          {"name", "x"},
          {"properties",
           {{"model", {{"format", "OpenAI"}, {"name", model}, {"version", "1"}}}, {"provisioningState", state}}}};
}

const std::map<std::string, std::string> kToken = {{"AZURE_ARM_TOKEN", "arm-token"}};

TEST(DeployAzure, CreatesTheDeploymentAndWaitsUntilItSucceeded) {
  ScriptedApi arm;
  int gets = 0;
  arm.on("GET", kPath, [&](const HttpRequest&, const std::smatch&) -> Result<HttpResponse> {
    if (++gets == 1) return jsonResponse(404, {{"error", {{"code", "DeploymentNotFound"}, {"message", "not found"}}}});
    return jsonResponse(200, deployment(kModel, gets == 2 ? "Creating" : "Succeeded"));
  });
  arm.reply("PUT", kPath, 201, deployment(kModel, "Accepted"));
  auto http = arm.client();
  const auto run = runStage(azure::DeployStage::info(), options(), http, artifacts(), std::nullopt, false, kToken);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();

  HttpRequest put;
  for (const auto& request : http.requests()) {
    EXPECT_EQ(queryParam(request.url, "api-version"), "2024-10-01");
    EXPECT_EQ(request.headers[0].name, "Authorization");
    EXPECT_EQ(request.headers[0].value, "Bearer arm-token");
    if (request.method == "PUT") put = request;
  }
  EXPECT_EQ(put.url, std::string("https://arm.test") + kPath + "?api-version=2024-10-01");
  EXPECT_EQ(json::parse(put.body),
            (json{{"sku", {{"name", "standard"}, {"capacity", 1}}},
                  {"properties", {{"model", {{"format", "OpenAI"}, {"name", kModel}, {"version", "1"}}}}}}));
  EXPECT_EQ(gets, 3);
  EXPECT_EQ(run.ctx->artifacts().at("deployment")["provisioning_state"], "Succeeded");
  EXPECT_EQ(run.ctx->artifacts().at("deployment")["name"], "gpt-4o-mini-2024-07-18.ft-abc");
  EXPECT_TRUE(run.logged("bills hourly hosting"));
  EXPECT_THAT(run.everything(), Not(HasSubstr("arm-token")));
}

TEST(DeployAzure, AdoptsADeploymentThatAlreadyServesTheModel) {
  ScriptedApi arm;
  arm.reply("GET", kPath, 200, deployment(kModel, "Succeeded"));
  auto http = arm.client();
  const auto run = runStage(azure::DeployStage::info(), options(), http, artifacts(), std::nullopt, false, kToken);
  ASSERT_TRUE(run.status.isOk()) << run.status.toString();
  for (const auto& request : http.requests()) EXPECT_NE(request.method, "PUT");
  EXPECT_TRUE(run.logged("adopting it"));
}

TEST(DeployAzure, AFailedProvisioningIsAProviderError) {
  ScriptedApi arm;
  arm.reply("GET", kPath, 404, {{"error", {{"code", "DeploymentNotFound"}, {"message", "not found"}}}});
  arm.reply("PUT", kPath, 400,
            {{"error",
              {{"code", "InvalidResourceProperties"},
               {"message", "The specified SKU 'standard' is not supported in this region."}}}});
  auto http = arm.client();
  const auto run = runStage(azure::DeployStage::info(), options(), http, artifacts(), std::nullopt, false, kToken);
  EXPECT_EQ(run.status.code(), StatusCode::kProviderError);
  EXPECT_THAT(run.status.message(), HasSubstr("not supported in this region. (code InvalidResourceProperties"));
}

TEST(DeployAzure, WithoutTheArmTokenItSaysWhichVariableToSet) {
  ScriptedApi arm;
  auto http = arm.client();
  const auto run = runStage(azure::DeployStage::info(), options(), http, artifacts());
  EXPECT_EQ(run.status.code(), StatusCode::kConfigError);
  EXPECT_THAT(run.status.message(), HasSubstr("AZURE_ARM_TOKEN"));
  EXPECT_TRUE(http.requests().empty());
}

TEST(DeployAzure, NamesFollowAzureRules) {
  EXPECT_EQ(azure::deploymentNameFor("ft:gpt-4o-mini-2024-07-18:org::abc"), "ft-gpt-4o-mini-2024-07-18-org-abc");
  EXPECT_EQ(azure::deploymentNameFor(std::string(100, 'a')).size(), 64u);
  EXPECT_EQ(azure::resourceFromEndpoint("https://myres.openai.azure.com"), "myres");
}

}  // namespace
}  // namespace ajuste::provider::testing
