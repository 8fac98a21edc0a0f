#include "split_stats.hpp"

#include <algorithm>
#include <limits>

namespace ajuste::split_random {
namespace {

std::uint32_t field(const nlohmann::json& meta, const char* key) {
  const auto it = meta.find(key);
  if (it == meta.end() || !it->is_number_integer()) return 0;
  if (!it->is_number_unsigned() && it->get<std::int64_t>() < 0) return 0;
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(it->get<std::uint64_t>(), std::numeric_limits<std::uint32_t>::max()));
}

nlohmann::json distribution(std::vector<std::uint32_t> values) {
  if (values.empty()) return nullptr;
  return stats_common::toJson(stats_common::describe(values));
}

}  // namespace

void SplitStats::add(const nlohmann::json& meta) {
  Entry entry;
  if (meta.is_object()) {
    if (const auto it = meta.find("openai"); it != meta.end() && it->is_object()) {
      const nlohmann::json& m = *it;
      entry.present = true;
      any_ = true;
      entry.tokens = field(m, "tokens");
      entry.assistant_tokens = field(m, "assistant_tokens");
      entry.messages = field(m, "messages");
      entry.billed = field(m, "billed");
      if (m.value("format", std::string()) == "completion") chat_like_ = false;
      if (const auto label = m.find("label"); label != m.end() && label->is_string() && !labels_capped_) {
        const auto& text = label->get_ref<const std::string&>();
        auto known = label_ids_.find(text);
        if (known == label_ids_.end()) {
          if (labels_.size() >= kMaxLabels) {
            labels_capped_ = true;
          } else {
            labels_.push_back(text);
            known = label_ids_.emplace(text, static_cast<std::uint32_t>(labels_.size())).first;
          }
        }
        if (known != label_ids_.end()) entry.label = known->second;
      }
    }
  }
  entries_.push_back(entry);
}

void SplitStats::assign(bool valid) {
  if (next_ >= entries_.size()) return;
  const Entry& entry = entries_[next_++];
  if (!entry.present) return;
  Side& side = valid ? valid_ : train_;
  side.tokens.push_back(entry.tokens);
  side.assistant_tokens.push_back(entry.assistant_tokens);
  side.messages.push_back(entry.messages);
  side.billed += entry.billed;
  if (entry.label != 0) ++side.labels[entry.label];
}

nlohmann::json SplitStats::report() const {
  if (!any_) return nullptr;
  // Labels only when they look like classes (fewer than one distinct per 3 labelled records, the
  // classification rule of prepare_data), so free-text answers do not flood the report.
  std::uint64_t labelled = 0;
  for (const Entry& entry : entries_) labelled += entry.label != 0 ? 1 : 0;
  const bool classes = !labels_capped_ && labels_.size() * 3 < labelled;
  const auto side = [&](const Side& s) {
    const std::uint64_t n = s.tokens.size();
    nlohmann::json out{{"examples", n}};
    if (chat_like_) out["messages_per_example"] = distribution(s.messages);
    out["tokens_per_example"] = distribution(s.tokens);
    out["assistant_tokens_per_example"] = distribution(s.assistant_tokens);
    out["billed_tokens_per_epoch"] = s.billed;
    out["n_epochs_auto"] = autoEpochs(n);
    out["billed_tokens_auto"] = s.billed * autoEpochs(n);
    if (classes && !s.labels.empty()) {
      nlohmann::json labels = nlohmann::json::object();
      for (const auto& [id, count] : s.labels) labels[labels_[id - 1]] = count;
      out["labels"] = std::move(labels);
    }
    return out;
  };
  return {{"train", side(train_)}, {"valid", side(valid_)}};
}

}  // namespace ajuste::split_random
