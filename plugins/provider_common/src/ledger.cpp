#include "ledger.hpp"

#include <utility>

namespace ajuste::provider {

Ledger::Ledger(Context& ctx, std::string section) : ctx_(ctx), section_(std::move(section)) {
  auto state = ctx_.loadState();
  document_ = state && state->is_object() ? std::move(*state) : nlohmann::json::object();
  if (!document_.contains(section_) || !document_[section_].is_object()) document_[section_] = nlohmann::json::object();
}

std::optional<nlohmann::json> Ledger::find(const std::string& key) const {
  const auto& entries = document_.at(section_);
  const auto it = entries.find(key);
  if (it == entries.end() || !it->is_object()) return std::nullopt;
  return *it;
}

Status Ledger::put(const std::string& key, nlohmann::json entry) {
  document_[section_][key] = std::move(entry);
  return save();
}

Status Ledger::erase(const std::string& key) {
  document_[section_].erase(key);
  return save();
}

Status Ledger::save() {
  // Re-read first: another section of this stage's state may have been saved meanwhile.
  auto latest = ctx_.loadState();
  nlohmann::json merged = latest && latest->is_object() ? std::move(*latest) : nlohmann::json::object();
  merged[section_] = document_[section_];
  document_ = merged;
  if (Status saved = ctx_.saveState(document_); !saved.isOk()) {
    return saved.withPrefix("cannot record in the run state what was created on the provider");
  }
  return Status::ok();
}

}  // namespace ajuste::provider
