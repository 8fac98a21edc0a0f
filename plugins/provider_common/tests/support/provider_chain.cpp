#include "provider_chain.hpp"

#include <stdexcept>

#include "ajuste/testing/stage_harness.hpp"

namespace ajuste::provider::testing {

std::string chatJsonl(std::size_t count, const std::string& salt) {
  static const char* kReviews[] = {"Absolutely love this blender!", "Terrible kettle, returned it.",
                                   "It's okay, not bad, not great.", "Good backpack, weak zipper.",
                                   "The lamp broke after 3 weeks."};
  static const char* kRatings[] = {"5 stars", "1 star", "3 stars", "4 stars", "2 stars"};
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t k = i % 5;
    const nlohmann::json line = {
        {"messages",
         {{{"role", "system"}, {"content", "You are a product review classifier. Answer with the star rating only."}},
          {{"role", "user"}, {"content", std::string(kReviews[k]) + " #" + std::to_string(i) + salt}},
          {{"role", "assistant"}, {"content", std::string("Rating: ") + kRatings[k]}}}}};
    out += line.dump() + "\n";
  }
  return out;
}

EmulatedTimeContext::EmulatedTimeContext(std::string stage_name, emulator::Emulator& emulator,
                                         double simulated_seconds_per_wait)
    : RecordingContext(std::move(stage_name)), emulator_(emulator), step_(simulated_seconds_per_wait) {}

Status EmulatedTimeContext::wait(std::chrono::milliseconds duration) {
  ++waits_;
  if (on_wait) on_wait(waits_);
  Status waited = RecordingContext::wait(duration);
  if (waited.isOk()) emulator_.world().advance(step_);
  return waited;
}

EmulatorHarness::EmulatorHarness(std::vector<emulator::FaultSpec> faults) {
  emulator::Options options;
  options.port = 0;
  options.time_scale = 0;  // frozen: EmulatedTimeContext::wait moves it
  options.start_time = 1750000000;
  options.seed = 11;
  options.threads = 4;
  options.faults = std::move(faults);
  emulator_ = std::make_unique<emulator::Emulator>(std::move(options));
  HttpClientSettings settings;
  settings.connect_timeout = std::chrono::milliseconds(2000);
  settings.timeout = std::chrono::milliseconds(10000);
  settings.retry.max_retries = 6;
  settings.retry.initial_delay = std::chrono::milliseconds(5);
  settings.retry.max_delay = std::chrono::milliseconds(40);
  settings.retry.max_retry_after = std::chrono::milliseconds(2000);
  http_ = std::make_unique<CurlHttpClient>(
      settings,
      [this](LogLevel, std::string_view message) {
        const std::lock_guard lock(log_mutex_);
        http_log_.emplace_back(message);
      },
      &interrupted_);
}

std::vector<std::string> EmulatorHarness::httpLog() const {
  const std::lock_guard lock(log_mutex_);
  return http_log_;
}

EmulatedTimeContext& ChainRun::context(const std::string& stage_name) const {
  for (const auto& context : contexts) {
    if (context->stageName() == stage_name) return *context;
  }
  throw std::out_of_range("no stage " + stage_name + " ran");
}

ChainRun runChain(EmulatorHarness& harness, const std::vector<ChainStage>& stages,
                  std::map<std::string, nlohmann::json> artifacts, const std::map<std::string, nlohmann::json>& states,
                  double simulated_seconds_per_wait) {
  ChainRun run;
  run.artifacts = std::move(artifacts);
  run.states = states;
  for (const ChainStage& stage : stages) {
    auto context =
        std::make_unique<EmulatedTimeContext>(stage.info->name, harness.emulator(), simulated_seconds_per_wait);
    EmulatedTimeContext& ctx = *context;
    run.contexts.push_back(std::move(context));
    ctx.setHttp(&harness.http());
    ctx.setSecret("OPENAI_API_KEY", "test-key");
    ctx.setSecret("AZURE_OPENAI_API_KEY", "test-key");
    for (const auto& [name, value] : run.artifacts) ctx.setArtifact(name, value);
    if (const auto state = run.states.find(stage.info->name); state != run.states.end()) {
      (void)ctx.saveState(state->second);
    }
    auto options = ajuste::testing::checkOptions(*stage.info, stage.with);
    if (!options.ok()) {
      run.status = options.error();
      run.failed_stage = stage.info->name;
      return run;
    }
    auto made = stage.info->make(*options, ctx);
    Status status = made.ok() ? (*made)->asArtifacts()->run(ctx) : made.error();
    for (const auto& [name, value] : ctx.artifacts()) run.artifacts[name] = value;
    if (auto saved = ctx.loadState()) run.states[stage.info->name] = *saved;
    if (!status.isOk()) {
      run.status = status;
      run.failed_stage = stage.info->name;
      return run;
    }
  }
  return run;
}

}  // namespace ajuste::provider::testing
