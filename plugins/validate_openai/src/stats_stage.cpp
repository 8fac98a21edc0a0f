#include "stats_stage.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "distribution.hpp"

namespace ajuste::validate_openai {
namespace {

using Json = nlohmann::json;

// OpenAI's advice: improvements from 50-100 examples; prepare_data warns under 100.
constexpr std::uint64_t kAdvisedExamples = 100;
// Retirement warnings start this many days before a date.
constexpr int kRetirementWarningDays = 90;
// Bounded memory for distinct values; beyond the cap a finding says the count is a lower bound.
constexpr std::size_t kMaxDistinctSystemPrompts = 1000;
constexpr std::size_t kMaxDistinctLabels = 100000;
constexpr std::size_t kExamplesPerFinding = 5;
constexpr std::size_t kPreviewBytes = 60;
constexpr std::size_t kTopLabels = 20;

std::string usd(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "$%.2f", value);
  return text;
}

std::string where(const Record& record) {
  return record.origin.source + ":" + std::to_string(record.origin.line);
}

std::string examplesOf(const std::vector<std::string>& places, std::uint64_t count) {
  std::string out;
  for (const std::string& place : places) out += (out.empty() ? "" : ", ") + place;
  if (count > places.size()) out += ", ...";
  return out;
}

std::string preview(std::string_view text) {
  std::string cut(text.substr(0, std::min(text.size(), kPreviewBytes)));
  while (!cut.empty() && cut.size() < text.size() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) {
    cut.pop_back();
  }
  if (!cut.empty() && cut.size() < text.size() && (static_cast<unsigned char>(cut.back()) & 0x80) != 0) cut.pop_back();
  return shown(cut) + (cut.size() < text.size() ? "..." : "");
}

Result<std::unique_ptr<Stage>> makeStats(const Json& with, Context& ctx) {
  auto options = parseOptions(with, ctx);
  if (!options.ok()) return options.error();
  return std::unique_ptr<Stage>(std::make_unique<OpenAIStats>(std::move(options).value()));
}

}  // namespace

Json toJson(const std::vector<Finding>& findings) {
  Json out = Json::array();
  for (const Finding& f : findings) {
    Json one{{"severity", f.severity}, {"kind", f.kind}, {"message", f.message}};
    if (f.promoted) one["promoted"] = true;
    out.push_back(std::move(one));
  }
  return out;
}

const StageInfo& OpenAIStats::info() {
  static const StageInfo kInfo{
      .name = "stats/openai",
      .kind = StageKind::kRecords,
      .summary =
          "Put it right after validate/openai, with the same options. Aggregates the per-example numbers "
          "validate/openai computed, in input order (so the report is the same for any thread count): "
          "distributions (min, max, mean, median, real p5/p95) of messages, tokens and trained assistant tokens "
          "per example; examples over the model's limit; billed tokens with OpenAI's epoch rule; the training "
          "cost for the chosen model and the other catalogue models that support the method, from a dated "
          "pricing table. Reports findings: too few examples, inconsistent system prompts, examples without a "
          "user message, duplicates, retired or retiring base models, unsupported method, prepare_data's "
          "legacy analysis (task type, separators, stop sequences, prefixes, case). Passes records through "
          "unchanged; at the end fails the run (gate) on an error finding or a warning named in fail_on, and "
          "on an estimated cost over max_cost (its own exit code), before anything is uploaded.",
      .options_schema = std::string(optionsSchema()),
      .consumes = {},
      .produces = {"training_estimate"},
      .parallel = false,
      .keeps_text = true,
      .make = &makeStats,
  };
  return kInfo;
}

OpenAIStats::OpenAIStats(OpenAIOptions options) : options_(std::move(options)) {}

Status OpenAIStats::process(Batch& batch, Context& /*ctx*/) {
  const Format format = options_.format;
  for (Record& record : batch) {
    const Json* meta = nullptr;
    if (record.meta.is_object()) {
      if (const auto it = record.meta.find("openai"); it != record.meta.end()) meta = &*it;
    }
    if (meta == nullptr) {
      return Status::dataError("record " + where(record) +
                               " has no token counts from validate/openai; put validate/openai before stats/openai "
                               "in the pipeline, with the same options");
    }
    if (meta->value("format", std::string()) != toString(format)) {
      return Status::dataError("record " + where(record) + " was validated as " + meta->value("format", std::string("?")) +
                               " but this stage expects " + std::string(toString(format)) +
                               "; give validate/openai and stats/openai the same options (a YAML anchor helps)");
    }
    messages_.push_back(meta->at("messages").get<std::uint32_t>());
    tokens_.push_back(meta->at("tokens").get<std::uint32_t>());
    assistant_.push_back(meta->at("assistant_tokens").get<std::uint32_t>());
    if (format == Format::kPreference) sequence_.push_back(meta->at("sequence_tokens").get<std::uint32_t>());
    hashes_.emplace_back(meta->at("hash").get<std::uint64_t>(), record.origin.line);
    bytes_ += meta->at("bytes").get<std::uint64_t>() + 1;
    if (meta->value("over_limit", false)) ++over_limit_;
    if (format != Format::kCompletion) {
      if (const auto system = meta->find("system"); system != meta->end()) {
        const auto hash = system->get<std::uint64_t>();
        auto it = systems_.find(hash);
        if (it == systems_.end() && systems_.size() >= kMaxDistinctSystemPrompts) {
          systems_capped_ = true;
        } else {
          if (it == systems_.end()) {
            const Json& messages =
                format == Format::kChat ? record.value.at("messages") : record.value.at("input").at("messages");
            std::string text;
            for (const Json& m : messages) {
              if (m.at("role") == "system") {
                text = m.at("content").is_string() ? m.at("content").get<std::string>() : m.at("content").dump();
                break;
              }
            }
            it = systems_.emplace(hash, Seen{0, preview(text)}).first;
          }
          ++it->second.count;
        }
      } else {
        ++no_system_;
      }
      if (meta->value("no_user", false)) {
        if (no_user_++ < kExamplesPerFinding) no_user_where_.push_back(where(record));
      }
    }
    if (const auto label = meta->find("label_hash"); label != meta->end()) {
      const auto hash = label->get<std::uint64_t>();
      auto it = labels_.find(hash);
      if (it == labels_.end() && labels_.size() >= kMaxDistinctLabels) {
        labels_capped_ = true;
      } else {
        if (it == labels_.end()) it = labels_.emplace(hash, Seen{0, meta->value("label", std::string())}).first;
        ++it->second.count;
      }
    }
    if (const auto warnings = meta->find("warnings"); warnings != meta->end()) {
      for (const Json& kind : *warnings) {
        RecordWarning& w = record_warnings_[kind.get<std::string>()];
        if (w.count++ < kExamplesPerFinding) w.where.push_back(where(record));
      }
    }
    if (format == Format::kCompletion) {
      legacy_.add(record.value.at("prompt").get_ref<const std::string&>(),
                  record.value.at("completion").get_ref<const std::string&>(), record.origin.source,
                  record.origin.line);
    }
  }
  return Status::ok();
}

std::uint32_t OpenAIStats::epochs() const {
  return options_.n_epochs ? *options_.n_epochs : autoEpochs(tokens_.size());
}

std::uint64_t OpenAIStats::billedAt(std::uint32_t limit) const {
  std::uint64_t billed = 0;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    // What is over the limit is truncated, so not trained on and not billed.
    const std::uint32_t longest = sequence_.empty() ? tokens_[i] : sequence_[i];
    const std::uint64_t overflow = longest > limit ? std::uint64_t{longest} - limit : 0;
    billed += tokens_[i] - std::min<std::uint64_t>(overflow, tokens_[i]);
  }
  return billed;
}

void OpenAIStats::retirement(std::chrono::sys_days today, std::vector<Finding>& out) const {
  const ModelInfo& model = *options_.model;
  const std::string& provider = options_.provider;
  if (const ProviderInfo* info = options_.catalogue->provider(provider); info != nullptr && info->new_jobs_until) {
    if (const auto last = parseDate(*info->new_jobs_until)) {
      const auto days = (*last - today).count();
      if (days < 0) {
        out.push_back({"error", "model_retired",
                       provider + " accepts no new fine-tuning jobs after " + *info->new_jobs_until + " (today is " +
                           formatDate(today) + "; " + info->source +
                           "); fine-tune on Azure instead (provider: azure)"});
      } else if (days <= kRetirementWarningDays) {
        out.push_back({"warning", "model_retiring",
                       provider + " accepts new fine-tuning jobs only until " + *info->new_jobs_until + " (" +
                           std::to_string(days) + " days from " + formatDate(today) + "; " + info->source +
                           "); plan the move to Azure (provider: azure)"});
      }
    }
  }
  if (const auto it = model.shutdown.find(provider); it != model.shutdown.end()) {
    if (const auto shutdown = parseDate(it->second)) {
      const auto days = (*shutdown - today).count();
      if (days <= 0) {
        out.push_back({"error", "model_retired",
                       model.id + " was shut down on " + provider + " on " + it->second + " (today is " +
                           formatDate(today) + "); choose another model or provider"});
      } else if (days <= kRetirementWarningDays) {
        out.push_back({"warning", "model_retiring",
                       model.id + " shuts down on " + provider + " on " + it->second + " (in " +
                           std::to_string(days) + " days), and the models fine-tuned from it stop working with it"});
      }
    }
  }
}

std::vector<Finding> OpenAIStats::findings(std::chrono::sys_days today) const {
  std::vector<Finding> out;
  const ModelInfo& model = *options_.model;
  const std::uint64_t n = tokens_.size();
  const std::string examples = std::to_string(n) + (n == 1 ? " example" : " examples");
  if (n < model.min_examples) {
    out.push_back({"error", "too_few_examples",
                   examples + " reached the end of validation; " + model.id + " needs at least " +
                       std::to_string(model.min_examples) +
                       " to start a fine-tuning job (OpenAI and Azure refuse smaller training files)"});
  } else if (n < kAdvisedExamples) {
    out.push_back({"warning", "few_examples",
                   "only " + examples + "; OpenAI sees clear improvements from 50 to 100 well-crafted examples and "
                   "advises a few hundred (quality grows about linearly with each doubling)"});
  }
  if (!model.hasMethod(options_.method)) {
    std::string supported;
    for (const ModelInfo& m : options_.catalogue->models()) {
      if (m.hasMethod(options_.method)) supported += (supported.empty() ? "" : ", ") + m.id;
    }
    std::string methods;
    for (const std::string& m : model.methods) methods += (methods.empty() ? "" : ", ") + m;
    out.push_back({"error", "method_not_supported",
                   model.id + " cannot be fine-tuned with method " + options_.method + " (its methods: " + methods +
                       "); models with " + options_.method + ": " + (supported.empty() ? "none" : supported)});
  }
  retirement(today, out);
  if (const ProviderInfo* info = options_.catalogue->provider(options_.provider);
      info != nullptr && info->max_file_bytes > 0 && bytes_ > info->max_file_bytes) {
    out.push_back({"warning", "file_too_large",
                   "the examples take about " + std::to_string(bytes_) + " bytes as JSONL, more than the " +
                       std::to_string(info->max_file_bytes) + " bytes " + options_.provider +
                       " takes per uploaded file; use the Uploads API (OpenAI) or Blob Storage import (Azure), or "
                       "trim the data"});
  }
  if (options_.format != Format::kCompletion && n > 0) {
    if (systems_.empty()) {
      out.push_back({"info", "no_system_prompt",
                     "no example has a system prompt; call the fine-tuned model without one too"});
    } else if (systems_.size() > 1 || no_system_ > 0) {
      const auto common = std::max_element(systems_.begin(), systems_.end(), [](const auto& a, const auto& b) {
        return a.second.count < b.second.count;
      });
      std::string message = std::to_string(systems_.size()) + (systems_capped_ ? "+" : "") +
                            " distinct system prompt" + (systems_.size() == 1 ? "" : "s") + " (the most common, " +
                            common->second.preview + ", in " + std::to_string(common->second.count) + " of " +
                            examples + ")";
      if (no_system_ > 0) message += ", and " + std::to_string(no_system_) + " of " + examples + " have none";
      message += "; train and infer with the same system message (Azure fine-tuning troubleshooting)";
      out.push_back({"warning", "inconsistent_system_prompts", std::move(message)});
    }
    if (no_user_ > 0) {
      out.push_back({"warning", "missing_user_message",
                     std::to_string(no_user_) + " of " + examples + " have no user message (" +
                         examplesOf(no_user_where_, no_user_) + ")"});
    }
  }
  {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> sorted = hashes_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::uint64_t duplicates = 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;  // (line, line of the first copy)
    std::size_t group = 0;  // stable sort: the first of a group is the earliest copy
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i].first != sorted[i - 1].first) {
        group = i;
        continue;
      }
      ++duplicates;
      pairs.emplace_back(sorted[i].second, sorted[group].second);
    }
    if (duplicates > 0) {
      std::sort(pairs.begin(), pairs.end());
      std::string list;
      for (std::size_t i = 0; i < pairs.size() && i < kExamplesPerFinding; ++i) {
        list += (list.empty() ? "" : ", ") + ("line " + std::to_string(pairs[i].first) + " repeats line " +
                                             std::to_string(pairs[i].second));
      }
      if (pairs.size() > kExamplesPerFinding) list += ", ...";
      out.push_back({"warning", "duplicate_examples",
                     std::to_string(duplicates) + " of " + examples + " repeat an earlier example (" + list +
                         "); duplicates over-weight those examples and leak into validation: remove them"});
    }
  }
  const auto recordWarning = [&](const char* kind, const char* finding, const std::string& text) {
    const auto it = record_warnings_.find(kind);
    if (it == record_warnings_.end()) return;
    out.push_back({"warning", finding,
                   std::to_string(it->second.count) + " of " + examples + " " + text + " (" +
                       examplesOf(it->second.where, it->second.count) + ")"});
  };
  recordWarning("over_long_kept", "over_long_kept",
                "are over the limit of " + std::to_string(model.context) + " tokens per example and were kept "
                "(over_long: keep); OpenAI truncates them, so their ends are not learned");
  recordWarning("untrained_example", "untrained_examples",
                "have no trained assistant message (every assistant weight is 0); they cost tokens and teach nothing");
  recordWarning("deprecated_functions", "deprecated_functions",
                "use the deprecated functions, function_call or function role; use tools, tool_calls and tool "
                "messages");
  recordWarning("undeclared_tools", "undeclared_tools",
                "call tools but declare none in tools; declare them so the model learns when to call which");
  if (options_.format == Format::kCompletion) legacy_.findings(distinctLabels(), out);

  for (Finding& finding : out) {
    if (finding.severity != "warning") continue;
    const bool promote = options_.fail_on_all_warnings ||
                         std::find(options_.fail_on.begin(), options_.fail_on.end(), finding.kind) != options_.fail_on.end();
    if (promote) {
      finding.severity = "error";
      finding.promoted = true;
    }
  }
  return out;
}

Json OpenAIStats::statistics() const {
  const ModelInfo& model = *options_.model;
  const std::uint64_t n = tokens_.size();
  Json stats{{"model", model.id},
             {"model_requested", options_.model_name},
             {"provider", options_.provider},
             {"method", options_.method},
             {"format", toString(options_.format)},
             {"encoding", Encoding::toString(model.encoding)},
             {"token_count", "cookbook estimate (3 per message + every string value + 1 per name + 3 per example)"},
             {"examples", n},
             {"context_limit", model.context}};
  {
    std::vector<std::uint32_t> copy;
    if (options_.format != Format::kCompletion) {
      copy = messages_;
      stats["messages_per_example"] = toJson(describe(copy));
    }
    copy = tokens_;
    stats["tokens_per_example"] = toJson(describe(copy));
    copy = assistant_;
    stats["assistant_tokens_per_example"] = toJson(describe(copy));
  }
  stats["examples_over_limit"] = over_limit_;
  stats["approx_file_bytes"] = bytes_;
  const std::uint32_t n_epochs = epochs();
  const std::uint64_t per_epoch = billedAt(model.context);
  stats["n_epochs"] = n_epochs;
  stats["n_epochs_rule"] = options_.n_epochs ? "given" : "auto";
  stats["billed_tokens_per_epoch"] = per_epoch;
  stats["billed_tokens"] = per_epoch * n_epochs;

  const Pricing& pricing = options_.catalogue->pricing();
  Json estimates = Json::array();
  const auto estimate = [&](const ModelInfo& m, bool chosen) {
    const std::uint64_t billed = billedAt(m.context) * n_epochs;
    std::uint64_t over = 0;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if ((sequence_.empty() ? tokens_[i] : sequence_[i]) > m.context) ++over;
    }
    Json e{{"model", m.id}, {"chosen", chosen}, {"context_limit", m.context},
           {"examples_over_limit", over}, {"billed_tokens", billed}};
    if (m.training_per_1m) {
      e["training_per_1m"] = *m.training_per_1m;
      e["usd"] = trainingCost(billed, *m.training_per_1m);
    } else {
      e["training_per_1m"] = nullptr;
      e["usd"] = nullptr;
      e["note"] = m.training_per_hour ? "billed per training hour, not per token"
                                      : "no training price in the catalogue; add training_per_1m to price it";
    }
    estimates.push_back(std::move(e));
  };
  estimate(model, true);
  for (const ModelInfo& m : options_.catalogue->models()) {
    if (&m == &model || !m.training_per_1m || !m.hasMethod(options_.method) ||
        !m.hasFormat(toString(options_.format)) || m.encoding != model.encoding ||
        std::find(m.providers.begin(), m.providers.end(), options_.provider) == m.providers.end()) {
      continue;
    }
    estimate(m, false);
  }
  Json cost{{"currency", pricing.currency},
            {"pricing_as_of", pricing.as_of},
            {"pricing_source", pricing.source},
            {"formula", "n_epochs x sum over examples of min(tokens, context_limit) x training_per_1m / 1e6"},
            {"estimates", std::move(estimates)}};
  if (options_.max_cost) {
    cost["max_cost"] = *options_.max_cost;
    cost["over_budget"] = model.training_per_1m && trainingCost(per_epoch * n_epochs, *model.training_per_1m) > *options_.max_cost;
  }
  if (const ProviderInfo* info = options_.catalogue->provider(options_.provider);
      info != nullptr && info->hosting_per_hour) {
    cost["hosting_per_hour"] = *info->hosting_per_hour;
    cost["hosting_per_30_days"] = *info->hosting_per_hour * 24 * 30;
  }
  stats["cost"] = std::move(cost);

  if (!labels_capped_ && n > 0 && labels_.size() * 3 < n) {
    std::vector<std::pair<std::string, std::uint64_t>> top;
    for (const auto& [hash, seen] : labels_) {
      if (!seen.preview.empty()) top.emplace_back(seen.preview, seen.count);
    }
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    Json labels = Json::array();
    for (std::size_t i = 0; i < top.size() && i < kTopLabels; ++i) {
      labels.push_back({{"label", top[i].first},
                        {"count", top[i].second},
                        {"share", static_cast<double>(top[i].second) / static_cast<double>(n)}});
    }
    stats["labels"] = {{"distinct", labels_.size()}, {"top", std::move(labels)}};
  }
  return stats;
}

Status OpenAIStats::finish(Batch& /*out*/, Context& ctx) {
  const auto today = options_.today ? *options_.today
                                    : std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::vector<Finding> found = findings(today);
  Json stats = statistics();
  const Json& chosen = stats.at("cost").at("estimates").at(0);
  ctx.report("statistics", stats);
  ctx.report("findings", toJson(found));

  std::string blocking;
  std::size_t errors = 0;
  for (const Finding& f : found) {
    const std::string line = f.kind + ": " + f.message;
    if (f.severity == "error") {
      ctx.log(LogLevel::kError, line + (f.promoted ? " (a warning promoted by fail_on)" : ""));
      blocking += (blocking.empty() ? "" : "; ") + line;
      ++errors;
    } else if (f.severity == "warning") {
      ctx.warn(line);
    } else {
      ctx.info(line);
    }
  }
  char summary[256];
  std::snprintf(summary, sizeof summary, "%llu examples, %llu billed tokens (%u epochs)",
                static_cast<unsigned long long>(tokens_.size()),
                static_cast<unsigned long long>(stats.at("billed_tokens").get<std::uint64_t>()),
                stats.at("n_epochs").get<unsigned>());
  std::string line = summary;
  if (!chosen.at("usd").is_null()) {
    line += ", estimated training cost " + usd(chosen.at("usd").get<double>()) + " on " + options_.model->id +
            " (prices as of " + options_.catalogue->pricing().as_of + ")";
  }
  ctx.info(line);

  // What the run is expected to cost, for a monitor to set beside what the job really trained.
  if (!chosen.at("usd").is_null()) {
    const Json estimate = {{"model", options_.model->id},
                           {"examples", tokens_.size()},
                           {"n_epochs", stats.at("n_epochs")},
                           {"billed_tokens", stats.at("billed_tokens")},
                           {"usd_per_1m_training_tokens", *options_.model->training_per_1m},
                           {"usd", chosen.at("usd")},
                           {"pricing_as_of", options_.catalogue->pricing().as_of},
                           {"scope", "every example stats/openai saw (before any split)"}};
    if (Status published = ctx.publish("training_estimate", estimate); !published.isOk()) return published;
  }

  if (errors > 0) {
    return Status::gateFailed(std::to_string(errors) + (errors == 1 ? " finding blocks" : " findings block") +
                              " the fine-tuning job: " + blocking);
  }
  if (options_.max_cost && !chosen.at("usd").is_null() && chosen.at("usd").get<double>() > *options_.max_cost) {
    return Status::budgetExceeded(
        "estimated training cost " + usd(chosen.at("usd").get<double>()) + " for " + options_.model->id + " (" +
        std::to_string(stats.at("billed_tokens").get<std::uint64_t>()) + " billed tokens = " +
        std::to_string(stats.at("n_epochs").get<unsigned>()) + " epochs x " +
        std::to_string(stats.at("billed_tokens_per_epoch").get<std::uint64_t>()) + " tokens at " +
        usd(*options_.model->training_per_1m) + " per 1M, prices as of " + options_.catalogue->pricing().as_of +
        ") is over max_cost " + usd(*options_.max_cost) + "; lower n_epochs, trim the data or raise max_cost");
  }
  return Status::ok();
}

}  // namespace ajuste::validate_openai
