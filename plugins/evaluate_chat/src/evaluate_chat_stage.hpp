#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ajuste/context.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/status.hpp"

namespace ajuste::evaluate_chat {

inline constexpr const char* kPredictionsArtifact = "evaluation_predictions";

struct EvaluateChatOptions {
  std::string provider;        // "openai" | "azure"; "" = the provider artifact's, else openai
  nlohmann::json connection;   // the connection options as given (base_url, endpoint, api_key_env, ...)
  std::string base_model;
  std::string base_deployment;        // Azure: the base model's deployment ("" = base_model)
  std::string fine_tuned_model;       // "" = the fine_tuned_model artifact
  std::string fine_tuned_deployment;  // Azure: "" = the deployment artifact's name, else the model
  std::string instructions;
  std::string test_file;  // "" = the valid_file artifact
  std::size_t few_shot = 3;
  std::optional<std::size_t> max_examples;
  unsigned concurrency = 4;
  double temperature = 0;
  std::uint64_t seed = 0;
};

// evaluate/chat: asks the base model (prompted with instructions and few-shot examples) and
// the fine-tuned model to answer every held-out conversation, and writes what each said beside
// the expected answer. Every response is cached in the run folder before it is used, so no
// request is ever paid for twice.
class EvaluateChatStage final : public ArtifactStage {
 public:
  explicit EvaluateChatStage(EvaluateChatOptions options);
  static const StageInfo& info();
  static Result<std::unique_ptr<Stage>> make(const nlohmann::json& with, Context& ctx);
  Status run(Context& ctx) override;

 private:
  EvaluateChatOptions options_;
};

}  // namespace ajuste::evaluate_chat
