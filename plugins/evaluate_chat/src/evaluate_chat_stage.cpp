#include "evaluate_chat_stage.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "api_client.hpp"
#include "azure_connection.hpp"
#include "chat_examples.hpp"
#include "connection.hpp"
#include "hashing/sha256.hpp"
#include "local_file.hpp"
#include "openai_connection.hpp"
#include "rate_limit.hpp"
#include "response_cache.hpp"
#include "stage_schemas.hpp"

namespace ajuste::evaluate_chat {
namespace {

using provider::ApiCall;
using provider::ApiClient;
using provider::Endpoint;

constexpr const char* kDeploymentArtifact = "deployment";
constexpr const char* kBasePrompt = "base_prompt";
constexpr const char* kFineTuned = "fine_tuned";

constexpr std::string_view kProperties = R"json({
  "provider": {"enum": ["openai", "azure"],
    "description": "Which API to call. Default: the provider of the provider artifact (upload/openai or upload/azure earlier in the pipeline), else openai. base_url is an openai option; endpoint, api_version and bearer_token_env are azure options."},
  "api_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
    "description": "Name of the environment variable holding the key. Default: the provider artifact's, else OPENAI_API_KEY (openai, sent as Authorization: Bearer) or AZURE_OPENAI_API_KEY (azure, sent as api-key). The key never goes into logs, outputs or the cache."},
  "base_model": {"type": "string", "minLength": 1,
    "description": "The base model answering with a prompt instead of fine-tuning, e.g. gpt-4o-mini."},
  "base_deployment": {"type": "string", "minLength": 1,
    "description": "Azure: the deployment serving base_model (what chat requests name). Default: base_model."},
  "fine_tuned_model": {"type": "string", "minLength": 1,
    "description": "The fine-tuned model. Default: the fine_tuned_model artifact of monitor/openai or monitor/azure."},
  "deployment": {"type": "string", "minLength": 1,
    "description": "Azure: the deployment serving the fine-tuned model. Default: the deployment artifact of deploy/azure, else fine_tuned_model."},
  "instructions": {"type": "string",
    "description": "System prompt for the base model (zero-shot instructions). When given, the examples' own system messages are left out of the base model's prompt."},
  "test_file": {"type": "string", "minLength": 1,
    "description": "A chat JSONL file to evaluate on (relative to the pipeline's folder). Default: the valid_file artifact of split/random; with test_file the stage can run on its own."},
  "few_shot": {"type": "integer", "minimum": 0, "maximum": 50, "default": 3,
    "description": "Worked examples (user question and assistant answer) drawn from the train_file artifact and put before each question sent to the base model. 0 without a train_file."},
  "max_examples": {"type": "integer", "minimum": 1,
    "description": "Evaluate only the first N held-out examples. Default: all."},
  "concurrency": {"type": "integer", "minimum": 1, "maximum": 64, "default": 4,
    "description": "Requests in flight at once."},
  "temperature": {"type": "number", "minimum": 0, "maximum": 2, "default": 0,
    "description": "Sampling temperature of both models."},
  "seed": {"type": "integer", "minimum": 0, "default": 0,
    "description": "Seed of the few-shot draw, also sent as the request's seed."}
})json";

constexpr std::string_view kConnectionKeys[] = {"base_url", "endpoint", "api_version", "api_key_env", "bearer_token_env"};

// Where one approach's requests go and what the predictions call its model.
struct Target {
  std::string approach;
  std::string model;  // shown in the predictions
  std::string path;   // "/chat/completions" or "/deployments/{name}/chat/completions"
  std::string body_model;  // "model" in the body; "" on Azure's dated API (the path names it)
};

struct Request {
  std::size_t example = 0;  // position in the held-out set
  const Target* target = nullptr;
  std::string body;
  std::string key;
};

struct Outcome {
  std::optional<std::string> output;
  std::string error;
  nlohmann::json usage = {{"prompt_tokens", 0}, {"completion_tokens", 0}, {"cached_tokens", 0}};
  bool cached = false;
  bool sent = false;
  bool simulated = false;
};

Target targetFor(const Endpoint& endpoint, std::string approach, const std::string& model,
                 const std::string& deployment) {
  Target target{.approach = std::move(approach), .model = model, .path = "/chat/completions", .body_model = model};
  if (endpoint.provider != "azure") return target;
  const std::string name = deployment.empty() ? model : deployment;
  if (endpoint.azureDated()) {
    target.path = "/deployments/" + urlEncode(name) + "/chat/completions";
    target.body_model.clear();
  } else {
    target.body_model = name;
  }
  return target;
}

std::int64_t integerAt(const nlohmann::json& object, const nlohmann::json::json_pointer& pointer) {
  return object.contains(pointer) && object.at(pointer).is_number_integer() ? object.at(pointer).get<std::int64_t>() : 0;
}

// What a response (fresh or cached) says: the answer and its token usage, or why there is none.
void readResponse(const CachedResponse& response, Outcome& outcome) {
  outcome.simulated = response.simulated;
  const auto& body = response.body;
  outcome.usage = {{"prompt_tokens", integerAt(body, "/usage/prompt_tokens"_json_pointer)},
                   {"completion_tokens", integerAt(body, "/usage/completion_tokens"_json_pointer)},
                   {"cached_tokens", integerAt(body, "/usage/prompt_tokens_details/cached_tokens"_json_pointer)}};
  if (response.status < 200 || response.status >= 300) {
    outcome.error = body.value("ajuste_error", "HTTP " + std::to_string(response.status));
    return;
  }
  const auto content = "/choices/0/message/content"_json_pointer;
  if (body.contains(content) && body.at(content).is_string()) {
    outcome.output = body.at(content).get<std::string>();
  } else {
    outcome.error = "the response has no message content (choices[0].message.content)";
  }
}

// An answer, or a refusal of the request itself (malformed, too large), which asking again would
// only repeat: kept in the cache. Refusals that can change without the request changing (a key
// fixed, a deployment created: 401, 403, 404) and throttling or server errors that outlived
// the HttpClient's retries are not, so a re-run asks again; none of them is billed.
bool settled(long status) { return (status >= 200 && status < 300) || status == 400 || status == 413 || status == 422; }

Result<Endpoint> resolveEndpoint(Context& ctx, const EvaluateChatOptions& options) {
  const auto artifact = ctx.artifact(provider::artifacts::kProvider);
  std::string which = options.provider;
  if (which.empty()) which = artifact && artifact->is_object() ? artifact->value("provider", "openai") : "openai";
  const bool same = artifact && artifact->is_object() && artifact->value("provider", "") == which;
  const nlohmann::json* from = same ? &*artifact : nullptr;
  if (which == "azure") {
    if (options.connection.contains("base_url"))
      return Status::configError("/base_url", "base_url is an openai option; for azure give endpoint");
    return provider::azure::resolveEndpoint(options.connection, from);
  }
  for (const char* azure_only : {"endpoint", "api_version", "bearer_token_env"}) {
    if (options.connection.contains(azure_only))
      return Status::configError(std::string("/") + azure_only,
                                 std::string(azure_only) + " is an azure option; set provider: azure or use base_url");
  }
  return provider::openai::resolveEndpoint(options.connection, from);
}

Result<std::filesystem::path> heldOutPath(Context& ctx, const EvaluateChatOptions& options) {
  if (!options.test_file.empty()) return ctx.resolvePath(options.test_file);
  auto file = provider::fileArtifact(ctx, provider::artifacts::kValidFile);
  if (!file.ok()) return file.error();
  if (!*file) {
    return Status::dataError(
        "there is nothing to evaluate on: the valid_file artifact is absent or empty; give split/random a "
        "validation share or set test_file:");
  }
  return (*file)->path;
}

Result<Target> fineTunedTarget(Context& ctx, const EvaluateChatOptions& options, const Endpoint& endpoint) {
  std::string model = options.fine_tuned_model;
  if (model.empty()) {
    const auto artifact = ctx.artifact(provider::artifacts::kFineTunedModel);
    if (artifact && artifact->is_string()) model = artifact->get<std::string>();
  }
  std::string deployment = options.fine_tuned_deployment;
  if (deployment.empty() && endpoint.provider == "azure") {
    const auto artifact = ctx.artifact(kDeploymentArtifact);
    if (artifact && artifact->is_object()) deployment = artifact->value("name", "");
    if (model.empty() && artifact && artifact->is_object()) model = artifact->value("model", "");
  }
  if (model.empty() && deployment.empty()) {
    return Status::dataError(
        "there is no fine-tuned model to evaluate: no fine_tuned_model artifact (monitor/openai or monitor/azure "
        "before this stage) and no fine_tuned_model: option");
  }
  return targetFor(endpoint, kFineTuned, model.empty() ? deployment : model, deployment);
}

std::string requestBody(const Target& target, nlohmann::json messages, const EvaluateChatOptions& options) {
  nlohmann::json body = nlohmann::json::object();
  if (!target.body_model.empty()) body["model"] = target.body_model;
  body["messages"] = std::move(messages);
  body["temperature"] = options.temperature;
  body["seed"] = options.seed;
  return body.dump();
}

// Sends the requests `concurrency` at a time, each answer looked up in the cache first and
// stored there as soon as it arrives. outcomes[i] belongs to requests[i].
class RequestPool {
 public:
  RequestPool(Context& ctx, const Endpoint& endpoint, ResponseCache& cache, const std::vector<Request>& requests)
      : ctx_(ctx), endpoint_(endpoint), cache_(cache), requests_(requests), outcomes_(requests.size()) {}

  Status run(unsigned concurrency) {
    std::vector<std::unique_ptr<ApiClient>> clients;
    const unsigned workers = std::max(1U, std::min<unsigned>(concurrency, static_cast<unsigned>(requests_.size())));
    for (unsigned i = 0; i < workers; ++i) {
      auto client = provider::connect(ctx_, endpoint_);
      if (!client.ok()) return client.error();
      clients.push_back(std::move(client).value());
    }
    low_water_ = static_cast<long>(2 * workers);
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (auto& client : clients) threads.emplace_back([this, &client] { work(*client); });
    for (auto& thread : threads) thread.join();
    const std::lock_guard lock(mutex_);
    return failure_;
  }

  std::vector<Outcome>& outcomes() { return outcomes_; }

 private:
  void work(ApiClient& client) {
    for (std::size_t i = next_++; i < requests_.size(); i = next_++) {
      if (stop_ || ctx_.cancelled()) return stopWith(Status::cancelled());
      const Request& request = requests_[i];
      Outcome& outcome = outcomes_[i];
      if (const auto hit = cache_.find(request.key)) {
        readResponse(*hit, outcome);
        outcome.cached = true;
        continue;
      }
      ApiCall call;
      call.method = "POST";
      call.path = request.target->path;
      call.json = nlohmann::json::parse(request.body);
      // A chat completion creates nothing, so resending one whose answer was lost is harmless.
      call.idempotency = Idempotency::kIdempotent;
      const std::string what = "asking " + request.target->model + " (" + request.target->approach + ", example " +
                               std::to_string(request.example) + ")";
      auto response = client.send(call, what);
      if (!response.ok()) {
        if (response.error().code() == StatusCode::kCancelled) return stopWith(response.error());
        outcome.error = response.error().message();
        outcome.sent = true;
        continue;
      }
      CachedResponse fresh{.status = response->status, .body = nlohmann::json::parse(response->body, nullptr, false),
                           .simulated = client.simulated()};
      if (fresh.body.is_discarded()) fresh.body = {{"raw", response->body}};
      if (!response->success()) fresh.body["ajuste_error"] = client.failure(*response, what).message();
      outcome.sent = true;
      readResponse(fresh, outcome);
      if (settled(fresh.status)) {
        if (Status stored = cache_.store(request.key, fresh); !stored.isOk()) return stopWith(stored);
      }
      if (const auto pause = pauseAfter(*response, low_water_); pause.count() > 0) {
        ctx_.debug("x-ratelimit-remaining-requests is low: holding back " + std::to_string(pause.count()) + " ms");
        if (Status waited = ctx_.wait(pause); !waited.isOk()) return stopWith(waited);
      }
    }
  }

  void stopWith(Status status) {
    stop_ = true;
    const std::lock_guard lock(mutex_);
    if (failure_.isOk()) failure_ = std::move(status);
  }

  Context& ctx_;
  const Endpoint& endpoint_;
  ResponseCache& cache_;
  const std::vector<Request>& requests_;
  std::vector<Outcome> outcomes_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  long low_water_ = 0;
  std::mutex mutex_;
  Status failure_;
};

struct Totals {
  std::string model;
  std::int64_t requests = 0;
  std::int64_t cached_responses = 0;
  std::int64_t errors = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cached_tokens = 0;
};

}  // namespace

EvaluateChatStage::EvaluateChatStage(EvaluateChatOptions options) : options_(std::move(options)) {}

const StageInfo& EvaluateChatStage::info() {
  static const StageInfo kInfo{
      .name = "evaluate/chat",
      .kind = StageKind::kArtifacts,
      .summary =
          "Compares the fine-tuned model with a prompt-engineered base model on the held-out chat examples "
          "(valid_file, or test_file): for each example the final assistant message is the expected answer, and "
          "both the base model (system=instructions, few_shot worked examples drawn from train_file with seed, "
          "then the conversation) and the fine-tuned model (the conversation as trained) are asked through POST "
          "/chat/completions (Azure dated API: /deployments/{name}/chat/completions), concurrency at a time, "
          "holding back when x-ratelimit-remaining-requests runs low. Every response is appended to "
          "<id>.chat-cache.jsonl in the run folder, keyed by the SHA-256 of the request, so a resumed or "
          "repeated evaluation never sends the same request twice. Writes <id>.predictions.jsonl (by example, "
          "then approach) with outputs and token usage, and publishes evaluation_predictions.",
      .options_schema = provider::composeSchema(
          {provider::openai::kConnectionProperties, provider::azure::kConnectionProperties, kProperties},
          R"json({"required": ["base_model"], "not": {"required": ["api_key_env", "bearer_token_env"]}})json"),
      .consumes = {"valid_file?", "train_file?", "provider?", "fine_tuned_model?", "deployment?"},
      .produces = {kPredictionsArtifact},
      .parallel = false,
      .make = &EvaluateChatStage::make,
  };
  return kInfo;
}

Result<std::unique_ptr<Stage>> EvaluateChatStage::make(const nlohmann::json& with, Context& /*ctx*/) {
  EvaluateChatOptions options;
  options.provider = with.value("provider", std::string());
  options.connection = nlohmann::json::object();
  for (const std::string_view key : kConnectionKeys) {
    if (with.contains(key)) options.connection[std::string(key)] = with.at(std::string(key));
  }
  options.base_model = with.at("base_model").get<std::string>();
  options.base_deployment = with.value("base_deployment", std::string());
  options.fine_tuned_model = with.value("fine_tuned_model", std::string());
  options.fine_tuned_deployment = with.value("deployment", std::string());
  options.instructions = with.value("instructions", std::string());
  options.test_file = with.value("test_file", std::string());
  options.few_shot = with.value("few_shot", options.few_shot);
  if (with.contains("max_examples")) options.max_examples = with.at("max_examples").get<std::size_t>();
  options.concurrency = with.value("concurrency", options.concurrency);
  options.temperature = with.value("temperature", options.temperature);
  options.seed = with.value("seed", options.seed);
  if (options.provider == "openai" && (with.contains("base_deployment") || with.contains("deployment"))) {
    return Status::configError(with.contains("deployment") ? "/deployment" : "/base_deployment",
                               "deployments are an azure notion; on openai name models with base_model and "
                               "fine_tuned_model");
  }
  return std::unique_ptr<Stage>(std::make_unique<EvaluateChatStage>(std::move(options)));
}

Status EvaluateChatStage::run(Context& ctx) {
  auto endpoint = resolveEndpoint(ctx, options_);
  if (!endpoint.ok()) return endpoint.error();
  auto held_out_path = heldOutPath(ctx, options_);
  if (!held_out_path.ok()) return held_out_path.error();
  auto held_out = readHeldOut(*held_out_path, options_.max_examples);
  if (!held_out.ok()) return held_out.error();
  if (held_out->examples.empty()) {
    return Status::dataError(held_out_path->string() +
                             " has no example that ends with an assistant answer: there is nothing to judge");
  }
  if (held_out->skipped != 0) {
    ctx.warn(std::to_string(held_out->skipped) + " line(s) of " + held_out_path->string() +
             " do not end with an assistant answer and are not evaluated");
    ctx.count("skipped_examples", static_cast<std::int64_t>(held_out->skipped));
  }

  std::vector<FewShotPair> few_shot;
  if (options_.few_shot > 0) {
    auto train = provider::fileArtifact(ctx, provider::artifacts::kTrainFile);
    if (!train.ok()) return train.error();
    if (*train) {
      auto drawn = drawFewShot((*train)->path, options_.few_shot, options_.seed);
      if (!drawn.ok()) return drawn.error();
      few_shot = std::move(drawn).value();
    } else {
      ctx.warn("few_shot is " + std::to_string(options_.few_shot) +
               " but there is no train_file artifact to draw examples from: the base model is asked zero-shot");
    }
  }

  auto fine_tuned = fineTunedTarget(ctx, options_, *endpoint);
  if (!fine_tuned.ok()) return fine_tuned.error();
  const Target base = targetFor(*endpoint, kBasePrompt, options_.base_model, options_.base_deployment);

  std::vector<Request> requests;
  requests.reserve(2 * held_out->examples.size());
  for (std::size_t e = 0; e < held_out->examples.size(); ++e) {
    const auto& example = held_out->examples[e];
    for (const Target* target : {&base, static_cast<const Target*>(&*fine_tuned)}) {
      nlohmann::json messages = target == &base
                                    ? basePromptMessages(options_.instructions, few_shot, example.messages)
                                    : example.messages;
      std::string body = requestBody(*target, std::move(messages), options_);
      std::string key = hashing::sha256Hex(endpoint->serviceKey() + "\n" + target->path + "\n" + body);
      requests.push_back({.example = e, .target = target, .body = std::move(body), .key = std::move(key)});
    }
  }

  // A stage id may look like its type ("evaluate/chat"): keep file names flat.
  std::string stage_id(ctx.stageId());
  std::replace(stage_id.begin(), stage_id.end(), '/', '_');
  auto cache = ResponseCache::open(ctx.runDir() / (stage_id + ".chat-cache.jsonl"));
  if (!cache.ok()) return cache.error();
  ctx.info("evaluating " + std::to_string(held_out->examples.size()) + " example(s) of " + held_out_path->string() +
           " on " + endpoint->describe() + ": " + base.model + " with " + std::to_string(few_shot.size()) +
           " few-shot example(s) against " + fine_tuned->model + " (" + std::to_string((*cache)->size()) +
           " response(s) already cached)");
  RequestPool pool(ctx, *endpoint, **cache, requests);
  if (Status sent = pool.run(options_.concurrency); !sent.isOk()) return sent;

  const std::filesystem::path out_path = ctx.runDir() / (stage_id + ".predictions.jsonl");
  const std::filesystem::path partial = out_path.string() + ".partial";
  std::map<std::string, Totals> totals = {{kBasePrompt, {.model = base.model}},
                                          {kFineTuned, {.model = fine_tuned->model}}};
  bool simulated = false;
  std::size_t answered = 0;
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    for (std::size_t i = 0; i < requests.size(); ++i) {
      const Request& request = requests[i];
      const Outcome& outcome = pool.outcomes()[i];
      nlohmann::json line = {{"example", held_out->examples[request.example].index},
                             {"approach", request.target->approach},
                             {"model", request.target->model},
                             {"expected", held_out->examples[request.example].expected},
                             {"output", outcome.output ? nlohmann::json(*outcome.output) : nlohmann::json(nullptr)}};
      if (!outcome.output) line["error"] = outcome.error;
      line["usage"] = outcome.usage;
      // Whether the answer came from the cache is left out: a resumed evaluation must write the
      // same bytes as an uninterrupted one. The artifact counts cached responses instead.
      line["simulated"] = outcome.simulated;
      out << line.dump() << '\n';
      Totals& total = totals[request.target->approach];
      total.requests += outcome.sent ? 1 : 0;
      total.cached_responses += outcome.cached ? 1 : 0;
      total.errors += outcome.output ? 0 : 1;
      total.prompt_tokens += outcome.usage["prompt_tokens"].get<std::int64_t>();
      total.completion_tokens += outcome.usage["completion_tokens"].get<std::int64_t>();
      total.cached_tokens += outcome.usage["cached_tokens"].get<std::int64_t>();
      simulated = simulated || outcome.simulated;
      answered += outcome.output ? 1U : 0U;
    }
    out.flush();
    if (!out) return Status::ioError("cannot write " + partial.string());
  }
  std::error_code renamed;
  std::filesystem::rename(partial, out_path, renamed);
  if (renamed) return Status::ioError("cannot move " + partial.string() + " to " + out_path.string() + ": " + renamed.message());
  auto digest = hashing::sha256OfFile(out_path);
  if (!digest.ok()) return digest.error();

  nlohmann::json approaches = nlohmann::json::object();
  for (const auto& [name, total] : totals) {
    approaches[name] = {{"model", total.model},
                        {"requests", total.requests},
                        {"cached_responses", total.cached_responses},
                        {"errors", total.errors},
                        {"prompt_tokens", total.prompt_tokens},
                        {"completion_tokens", total.completion_tokens},
                        {"cached_tokens", total.cached_tokens},
                        {"few_shot", name == kBasePrompt ? few_shot.size() : 0}};
    ctx.count(name + "_requests", total.requests);
  }
  const nlohmann::json summary = {{"path", out_path.string()},
                                  {"records", requests.size()},
                                  {"examples", held_out->examples.size()},
                                  {"sha256", *digest},
                                  {"simulated", simulated},
                                  {"approaches", approaches}};
  ctx.declareOutput("evaluation_predictions", out_path, requests.size());
  ctx.report("evaluate_chat", summary);
  // The runner flags the whole run (summary.json, the HTML banner) from this top-level key.
  if (simulated) ctx.report("simulated", true);
  if (answered == 0) {
    return Status::providerError("no request got an answer; the first error: " + pool.outcomes().front().error);
  }
  ctx.info("wrote " + std::to_string(requests.size()) + " prediction(s) to " + out_path.string() +
           (simulated ? " (SIMULATED by ajuste-emulator)" : ""));
  return ctx.publish(kPredictionsArtifact, summary);
}

}  // namespace ajuste::evaluate_chat
