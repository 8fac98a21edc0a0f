#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ajuste::emulator {

// The base models the emulator serves and can fine-tune (../shared/specs/data-checks.md §4).
struct BaseModel {
  std::string_view id;      // the dated snapshot a job records as its `model`
  std::string_view alias;   // the short name clients may send instead
  bool dpo = false;         // supports method.type = "dpo"
  bool legacy = false;      // trains on prompt/completion files (babbage-002, davinci-002)
  double created = 0;       // Unix time shown as the model's `created`
};

const std::vector<BaseModel>& baseModels();
// By snapshot id or alias (Azure spells gpt-3.5 as gpt-35).
std::optional<BaseModel> findBaseModel(std::string_view name);

}  // namespace ajuste::emulator
