#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ajuste/http.hpp"
#include "ajuste/stage.hpp"
#include "ajuste/testing/recording_context.hpp"

namespace ajuste::provider::testing {

// One artifact stage run as the runner would: options checked and defaulted by its schema,
// the factory, run(). The context gets `http`, the artifacts, the secrets OPENAI_API_KEY and
// AZURE_OPENAI_API_KEY (both "sk-test-secret") and, when given, the state of an earlier run.
struct StageRun {
  std::unique_ptr<ajuste::testing::RecordingContext> ctx;
  Status status;

  [[nodiscard]] bool logged(const std::string& fragment) const;
  // Everything the stage left behind (artifacts, state, reports, logs) as one text, to check
  // that no secret leaked into any of it.
  [[nodiscard]] std::string everything() const;
};

inline constexpr const char* kTestSecret = "sk-test-secret";

StageRun runStage(const StageInfo& info, const nlohmann::json& with, HttpClient& http,
                  const std::map<std::string, nlohmann::json>& artifacts,
                  const std::optional<nlohmann::json>& state = std::nullopt, bool cancelled = false,
                  const std::map<std::string, std::string>& secrets = {});

}  // namespace ajuste::provider::testing
