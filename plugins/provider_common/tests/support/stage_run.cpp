#include "stage_run.hpp"

#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::provider::testing {

bool StageRun::logged(const std::string& fragment) const {
  for (const auto& line : ctx->logs()) {
    if (line.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::string StageRun::everything() const {
  std::string out = ctx->reports().dump() + "\n" + ctx->loadState().value_or(nullptr).dump() + "\n" + status.message();
  for (const auto& [name, value] : ctx->artifacts()) out += "\n" + name + "=" + value.dump();
  for (const auto& line : ctx->logs()) out += "\n" + line.message;
  return out;
}

StageRun runStage(const StageInfo& info, const nlohmann::json& with, HttpClient& http,
                  const std::map<std::string, nlohmann::json>& artifacts, const std::optional<nlohmann::json>& state,
                  bool cancelled, const std::map<std::string, std::string>& secrets) {
  StageRun run;
  run.ctx = std::make_unique<ajuste::testing::RecordingContext>(info.name);
  auto& ctx = *run.ctx;
  ctx.setHttp(&http);
  ctx.setSecret("OPENAI_API_KEY", kTestSecret);
  ctx.setSecret("AZURE_OPENAI_API_KEY", kTestSecret);
  for (const auto& [name, value] : secrets) ctx.setSecret(name, value);
  for (const auto& [name, value] : artifacts) ctx.setArtifact(name, value);
  if (state) (void)ctx.saveState(*state);
  ctx.setCancelled(cancelled);
  auto options = ajuste::testing::checkOptions(info, with);
  if (!options.ok()) {
    run.status = options.error();
    return run;
  }
  auto made = info.make(*options, ctx);
  run.status = made.ok() ? (*made)->asArtifacts()->run(ctx) : made.error();
  return run;
}

}  // namespace ajuste::provider::testing
