#include "base_models.hpp"

namespace ajuste::emulator {

const std::vector<BaseModel>& baseModels() {
  static const std::vector<BaseModel> kModels = {
      {"gpt-4.1-2025-04-14", "gpt-4.1", true, false, 1744316542},
      {"gpt-4.1-mini-2025-04-14", "gpt-4.1-mini", true, false, 1744317547},
      {"gpt-4.1-nano-2025-04-14", "gpt-4.1-nano", true, false, 1744321025},
      {"gpt-4o-2024-08-06", "gpt-4o", true, false, 1722814719},
      {"gpt-4o-mini-2024-07-18", "gpt-4o-mini", false, false, 1721172717},
      {"gpt-3.5-turbo-0125", "gpt-3.5-turbo", false, false, 1706048358},
      {"gpt-35-turbo-0125", "gpt-35-turbo", false, false, 1706048358},
      {"babbage-002", "babbage-002", false, true, 1692634615},
      {"davinci-002", "davinci-002", false, true, 1692634301},
  };
  return kModels;
}

std::optional<BaseModel> findBaseModel(std::string_view name) {
  for (const auto& model : baseModels()) {
    if (model.id == name || model.alias == name) return model;
  }
  return std::nullopt;
}

}  // namespace ajuste::emulator
