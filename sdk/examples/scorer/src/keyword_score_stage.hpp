#pragma once

#include <memory>

#include <ajuste/stage.hpp>

#include "normalise.hpp"

namespace example {

enum class MatchMode {
  kContains,  // the reply's words contain the expected answer's words, consecutively
  kEquals,    // the reply's words are exactly the expected answer's words
};

struct KeywordScoreOptions {
  Normalisation normalisation;
  MatchMode match = MatchMode::kContains;
  double tie_points = 1;
};

// A scorer in place of evaluate/score: reads evaluate/chat's predictions, counts a reply right
// when it holds the expected answer after normalisation, and reports `evaluation` in the shape
// the runner's summary and HTML report show (plugins/evaluate_score/README.md, "Swapping the
// scorer").
class KeywordScoreStage final : public ajuste::ArtifactStage {
 public:
  explicit KeywordScoreStage(KeywordScoreOptions options) : options_(std::move(options)) {}

  static const ajuste::StageInfo& info();
  static ajuste::Result<std::unique_ptr<ajuste::Stage>> make(const nlohmann::json& with, ajuste::Context& ctx);

  ajuste::Status run(ajuste::Context& ctx) override;

 private:
  [[nodiscard]] bool isRight(const std::vector<std::string>& expected, const std::string& reply) const;

  KeywordScoreOptions options_;
};

}  // namespace example
