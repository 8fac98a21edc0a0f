#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ajuste/context.hpp"
#include "ajuste/status.hpp"

namespace ajuste::provider {

// The stage's durable memory of what it made on a provider, kept in the stage state
// (Context::saveState, state.json in the run folder), which outlives the run: a re-run or a
// `--resume` in the same run folder reads it back and adopts instead of paying again.
//
// The state document holds named sections ("files", "jobs", "monitor"), each a map from a key
// to an entry. Every `put` is flushed to disk before it returns, so an entry written before a
// create request survives a crash during that request.
class Ledger {
 public:
  Ledger(Context& ctx, std::string section);

  [[nodiscard]] std::optional<nlohmann::json> find(const std::string& key) const;
  Status put(const std::string& key, nlohmann::json entry);
  Status erase(const std::string& key);

 private:
  Status save();

  Context& ctx_;
  std::string section_;
  nlohmann::json document_;
};

}  // namespace ajuste::provider
