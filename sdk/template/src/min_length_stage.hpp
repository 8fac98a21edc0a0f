#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <ajuste/stage.hpp>

namespace example {

struct MinLengthOptions {
  std::string field;
  std::size_t min_chars = 1;
};

// Rejects records whose `field` is missing, not a string, or shorter than `min_chars`
// characters (Unicode code points, not bytes).
class MinLengthStage final : public ajuste::RecordStage {
 public:
  explicit MinLengthStage(MinLengthOptions options) : options_(std::move(options)) {}

  static const ajuste::StageInfo& info();
  static ajuste::Result<std::unique_ptr<ajuste::Stage>> make(const nlohmann::json& with, ajuste::Context& ctx);

  ajuste::Status process(ajuste::Batch& batch, ajuste::Context& ctx) override;

 private:
  MinLengthOptions options_;
};

}  // namespace example
