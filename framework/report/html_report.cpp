#include "report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/redactor.hpp"
#include "engine/run_state.hpp"
#include "report/html_text.hpp"
#include "report/svg_chart.hpp"

namespace ajuste {
namespace {

using nlohmann::json;
using report::escapeHtml;
using report::formatJsonValue;

constexpr std::string_view kEmDash = "\xE2\x80\x94";
constexpr std::string_view kTrainColour = "#2563eb";
constexpr std::string_view kValidColour = "#ea580c";
constexpr std::size_t kArtifactChars = 200;
constexpr std::size_t kOtherReportChars = 300;

// ---- Reading the summary without trusting its shape: every accessor tolerates null. ----

const json* member(const json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const auto it = object->find(std::string(key));
  return it == object->end() ? nullptr : &*it;
}

const json* objectAt(const json* object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

const json* arrayAt(const json* object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_array() ? value : nullptr;
}

std::optional<double> asNumber(const json* value) {
  if (value == nullptr || !value->is_number()) return std::nullopt;
  const double number = value->get<double>();
  if (!std::isfinite(number)) return std::nullopt;
  return number;
}

std::optional<double> numberAt(const json* object, std::string_view key) { return asNumber(member(object, key)); }

// A scalar as text for people ("" when absent, null or a container).
std::string textAt(const json* object, std::string_view key) {
  const json* value = member(object, key);
  if (value == nullptr || value->is_structured()) return {};
  return formatJsonValue(*value);
}

bool isTrue(const json* value) { return value != nullptr && value->is_boolean() && value->get<bool>(); }

// A list of numbers-or-null; anything else in it counts as null.
std::vector<std::optional<double>> numberColumn(const json* column) {
  std::vector<std::optional<double>> out;
  if (column == nullptr || !column->is_array()) return out;
  out.reserve(column->size());
  for (const json& value : *column) out.push_back(asNumber(&value));
  return out;
}

// ---- Small HTML builders. `html` arguments are markup already; everything else is escaped. ----

std::string esc(std::string_view text) { return escapeHtml(text); }

std::string orDash(std::string html) { return html.empty() ? std::string(kEmDash) : html; }

std::string numberCell(const json* value) {
  std::string text;
  if (value != nullptr && !value->is_structured()) text = esc(formatJsonValue(*value));
  return "<td class=\"num\">" + orDash(std::move(text)) + "</td>";
}

std::string cell(std::string_view text) { return "<td>" + orDash(esc(text)) + "</td>"; }

class Facts {
 public:
  void add(std::string_view label, const std::string& html) {
    if (html.empty()) return;
    body_ += "<div><dt>" + esc(label) + "</dt><dd>" + html + "</dd></div>";
  }
  void addText(std::string_view label, std::string_view text) { add(label, esc(text)); }
  [[nodiscard]] std::string html() const { return body_.empty() ? "" : "<dl class=\"facts\">" + body_ + "</dl>\n"; }

 private:
  std::string body_;
};

std::string stageLabel(const json& stage) {
  const std::string id = textAt(&stage, "id");
  const std::string uses = textAt(&stage, "uses");
  std::string out = "stage <q>" + esc(id) + "</q>";
  if (!uses.empty()) out += " (<code>" + esc(uses) + "</code>)";
  return out;
}

std::string figure(const std::string& svg, std::string_view caption) {
  if (svg.empty()) return {};
  return "<figure>\n" + svg + "<figcaption>" + esc(caption) + "</figcaption>\n</figure>\n";
}

std::string statusClass(std::string_view status) {
  for (const std::string_view known : {"succeeded", "failed", "gate_failed", "over_budget", "interrupted"}) {
    if (status == known) return std::string(known);
  }
  return "other";
}

std::string jobStatusClass(std::string_view status) {
  if (status == "succeeded") return "succeeded";
  if (status == "failed" || status == "cancelled") return "failed";
  return "other";
}

std::string humanStatus(std::string status) {
  std::replace(status.begin(), status.end(), '_', ' ');
  return status;
}

// ---- Sections. Each returns "" when its data is missing. ----

bool isSimulated(const json& summary) {
  if (isTrue(member(&summary, "simulated"))) return true;
  if (const json* stages = arrayAt(&summary, "stages")) {
    for (const json& stage : *stages) {
      const json* reports = objectAt(&stage, "report");
      // A scorer copies `simulated` from the predictions it scored, whoever wrote the scorer.
      if (isTrue(member(objectAt(reports, "job"), "simulated")) ||
          isTrue(member(objectAt(reports, "evaluation"), "simulated"))) {
        return true;
      }
    }
  }
  return false;
}

std::string headerSection(const json& summary, bool simulated) {
  std::string out = "<header class=\"run\">\n";
  if (simulated) {
    out += "<div class=\"banner simulated\" role=\"note\">SIMULATED \xE2\x80\x94 produced by ajuste-emulator, "
           "not a real provider</div>\n";
  }
  const std::string name = textAt(&summary, "name");
  out += "<p class=\"eyebrow\">ajuste run report</p>\n<h1>" + (name.empty() ? "Run" : esc(name)) + "</h1>\n";
  const std::string status = textAt(&summary, "status");
  if (!status.empty()) {
    out += "<p><span class=\"status status-" + statusClass(status) + "\">" + esc(humanStatus(status)) +
           "</span></p>\n";
  }
  if (const json* error = objectAt(&summary, "error")) {
    const std::string kind = textAt(error, "kind");
    const std::string message = textAt(error, "message");
    if (!kind.empty() || !message.empty()) {
      out += "<div class=\"error-box\">" + (kind.empty() ? "" : "<strong>" + esc(kind) + "</strong>: ") +
             esc(message) + "</div>\n";
    }
  }
  Facts facts;
  if (const std::string pipeline = textAt(&summary, "pipeline"); !pipeline.empty()) {
    facts.add("pipeline", "<code>" + esc(pipeline) + "</code>");
  }
  facts.addText("started", textAt(&summary, "started_at"));
  facts.addText("finished", textAt(&summary, "finished_at"));
  if (const auto seconds = numberAt(&summary, "seconds")) facts.addText("duration", report::formatDuration(*seconds));
  facts.addText("threads", textAt(&summary, "threads"));
  if (const std::string run_dir = textAt(&summary, "run_dir"); !run_dir.empty()) {
    facts.add("run folder", "<code>" + esc(run_dir) + "</code>");
  }
  facts.addText("ready to upload", textAt(&summary, "ready"));
  facts.addText("ajuste", textAt(&summary, "ajuste_version"));
  out += facts.html() + "</header>\n";
  return out;
}

std::string recordsSection(const json& summary) {
  std::string body;
  if (const json* records = objectAt(&summary, "records")) {
    std::string tiles;
    for (const std::string_view key : {"read", "written", "rejected", "added"}) {
      const json* value = member(records, key);
      if (value == nullptr || !value->is_number()) continue;
      const bool alert = key == "rejected" && value->get<double>() > 0;
      tiles += "<div class=\"tile" + std::string(alert ? " tile-alert" : "") + "\"><span class=\"tile-value\">" +
               esc(formatJsonValue(*value)) + "</span><span class=\"tile-label\">" + std::string(key) +
               "</span></div>";
    }
    if (!tiles.empty()) body += "<div class=\"tiles\">" + tiles + "</div>\n";
    if (const json* balanced = member(records, "balanced"); balanced != nullptr && balanced->is_boolean()) {
      body += balanced->get<bool>()
                  ? "<p class=\"note\">Every record read is accounted for: read + added = written + rejected.</p>\n"
                  : "<p class=\"warning-text\">The record accounting does not balance: read + added \xE2\x89\xA0 "
                    "written + rejected.</p>\n";
    }
  }
  if (const json* rejects = objectAt(&summary, "rejects")) {
    std::string rows;
    if (const json* by_stage = objectAt(rejects, "by_stage")) {
      for (const auto& [stage, kinds] : by_stage->items()) {
        if (kinds.is_object()) {
          for (const auto& [kind, count] : kinds.items()) {
            rows += "<tr>" + cell(stage) + "<td><code>" + esc(kind) + "</code></td>" + numberCell(&count) + "</tr>\n";
          }
        } else if (kinds.is_number()) {
          rows += "<tr>" + cell(stage) + cell("") + numberCell(&kinds) + "</tr>\n";
        }
      }
    }
    if (!rows.empty()) {
      body += "<h3>Rejects by stage and kind</h3>\n<table>\n<thead><tr><th>stage</th><th>kind</th>"
              "<th class=\"num\">records</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
    }
    if (const std::string file = textAt(rejects, "file"); !file.empty()) {
      body += "<p class=\"note\">Each reject, with its reason and the line it came from: <code>" + esc(file) +
              "</code></p>\n";
    }
  }
  if (const json* outputs = arrayAt(&summary, "outputs"); outputs != nullptr && !outputs->empty()) {
    std::string rows;
    for (const json& output : *outputs) {
      if (!output.is_object()) continue;
      rows += "<tr>" + cell(textAt(&output, "stage")) + cell(textAt(&output, "name")) + "<td><code>" +
              esc(textAt(&output, "path")) + "</code></td>" + numberCell(member(&output, "records")) + "</tr>\n";
    }
    if (!rows.empty()) {
      body += "<h3>Outputs</h3>\n<table>\n<thead><tr><th>stage</th><th>name</th><th>path</th>"
              "<th class=\"num\">records</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
    }
  }
  if (body.empty()) return {};
  return "<section id=\"records\">\n<h2>Records</h2>\n" + body + "</section>\n";
}

bool isRenderedReportKey(std::string_view key) {
  return key == "statistics" || key == "findings" || key == "split" || key == "job" || key == "metrics" ||
         key == "evaluation";
}

std::string stagesSection(const json& summary) {
  const json* stages = arrayAt(&summary, "stages");
  if (stages == nullptr || stages->empty()) return {};
  std::string rows;
  std::string other_rows;
  std::size_t index = 0;
  for (const json& stage : *stages) {
    ++index;
    if (!stage.is_object()) continue;
    const json* in = member(&stage, "in") != nullptr ? member(&stage, "in") : member(&stage, "read");
    const json* kept = member(&stage, "kept") != nullptr ? member(&stage, "kept") : member(&stage, "written");
    std::string counters;
    if (const json* object = objectAt(&stage, "counters")) {
      for (const auto& [name, value] : object->items()) {
        counters += (counters.empty() ? "" : "<br>") + std::string("<code>") + esc(name) + "</code> " +
                    esc(value.is_structured() ? report::compactJson(value, 80) : formatJsonValue(value));
      }
    }
    std::string seconds;
    if (const auto value = numberAt(&stage, "seconds")) seconds = esc(report::formatDuration(*value));
    const std::string plugin = textAt(&stage, "plugin");
    rows += "<tr><td class=\"num\">" + std::to_string(index) + "</td>" + cell(textAt(&stage, "id")) + "<td" +
            (plugin.empty() ? "" : " title=\"" + esc(plugin) + "\"") + "><code>" + esc(textAt(&stage, "uses")) +
            "</code></td>" + cell(textAt(&stage, "kind")) + numberCell(in) + numberCell(kept) +
            numberCell(member(&stage, "rejected")) + numberCell(member(&stage, "added")) + "<td class=\"num\">" +
            orDash(seconds) + "</td><td class=\"counters\">" + orDash(counters) + "</td></tr>\n";
    if (const json* reports = objectAt(&stage, "report")) {
      for (const auto& [key, value] : reports->items()) {
        if (isRenderedReportKey(key)) continue;
        other_rows += "<tr>" + cell(textAt(&stage, "id")) + "<td><code>" + esc(key) + "</code></td><td><code>" +
                      esc(report::compactJson(value, kOtherReportChars)) + "</code></td></tr>\n";
      }
    }
  }
  std::string out = "<section id=\"stages\">\n<h2>Stages</h2>\n<table>\n<thead><tr><th class=\"num\">#</th>"
                    "<th>id</th><th>uses</th><th>kind</th><th class=\"num\">in</th><th class=\"num\">kept</th>"
                    "<th class=\"num\">rejected</th><th class=\"num\">added</th><th class=\"num\">time</th>"
                    "<th>counters</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
  out += "<p class=\"note\">For a source stage <em>in</em> is what it read; for a sink <em>kept</em> is what it "
         "wrote.</p>\n";
  if (!other_rows.empty()) {
    out += "<h3>Other stage reports</h3>\n<table>\n<thead><tr><th>stage</th><th>key</th><th>value</th></tr>"
           "</thead>\n<tbody>\n" + other_rows + "</tbody>\n</table>\n";
  }
  return out + "</section>\n";
}

// The token chart of a distribution: its histogram when it has a drawable one, else a
// box-like summary of min/p5/median/p95/max, else nothing.
std::string distributionFigure(const json* distribution, std::string_view what, std::string_view prefix) {
  if (distribution == nullptr || !distribution->is_object()) return {};
  const std::string count = textAt(distribution, "count");
  if (const json* histogram = objectAt(distribution, "histogram")) {
    std::vector<double> edges;
    std::vector<double> counts;
    bool numbers = true;
    for (const auto& [key, target] : {std::pair{"edges", &edges}, std::pair{"counts", &counts}}) {
      const json* values = arrayAt(histogram, key);
      if (values == nullptr) {
        numbers = false;
        break;
      }
      for (const json& value : *values) {
        const auto number = asNumber(&value);
        if (!number) numbers = false;
        target->push_back(number.value_or(0));
      }
    }
    if (numbers) {
      const std::string svg = report::histogramSvg(edges, counts, what, "examples");
      if (!svg.empty()) {
        return figure(svg, std::string(prefix) + "Histogram of " + std::string(what) +
                               (count.empty() ? "" : " (" + count + " examples)") + ".");
      }
    }
  }
  const auto min = numberAt(distribution, "min");
  const auto p5 = numberAt(distribution, "p5");
  const auto median = numberAt(distribution, "median");
  const auto p95 = numberAt(distribution, "p95");
  const auto max = numberAt(distribution, "max");
  if (!min || !p5 || !median || !p95 || !max) return {};
  const std::string svg = report::boxSummarySvg({*min, *p5, *median, *p95, *max}, what);
  return figure(svg, std::string(prefix) + "Spread of " + std::string(what) +
                         (count.empty() ? "" : " (" + count + " examples)") + "; no histogram in the summary.");
}

std::string distributionRow(std::string_view label, const json* distribution) {
  if (distribution == nullptr || !distribution->is_object()) return {};
  std::string row = "<tr><th scope=\"row\">" + esc(label) + "</th>";
  for (const std::string_view key : {"count", "min", "p5", "median", "mean", "p95", "max", "sum"}) {
    row += numberCell(member(distribution, key));
  }
  return row + "</tr>\n";
}

std::string findingsList(const json* findings) {
  if (findings == nullptr || !findings->is_array() || findings->empty()) return {};
  std::string items;
  for (const json& finding : *findings) {
    if (!finding.is_object()) continue;
    const std::string severity = textAt(&finding, "severity");
    const std::string css = severity == "error" || severity == "warning" || severity == "info" ? severity : "other";
    items += "<li class=\"finding finding-" + css + "\"><span class=\"severity\">" +
             esc(severity.empty() ? "note" : severity) + "</span> ";
    if (const std::string kind = textAt(&finding, "kind"); !kind.empty()) items += "<code>" + esc(kind) + "</code> ";
    items += esc(textAt(&finding, "message"));
    if (isTrue(member(&finding, "promoted"))) items += " <em>(promoted to an error by fail_on)</em>";
    items += "</li>\n";
  }
  if (items.empty()) return {};
  return "<h4>Findings</h4>\n<ul class=\"findings\">\n" + items + "</ul>\n";
}

std::string costBlock(const json* cost) {
  if (cost == nullptr) return {};
  const json* estimates = arrayAt(cost, "estimates");
  if (estimates == nullptr || estimates->empty()) return {};
  std::string rows;
  for (const json& estimate : *estimates) {
    if (!estimate.is_object()) continue;
    const bool chosen = isTrue(member(&estimate, "chosen"));
    std::string usd;
    if (const auto value = numberAt(&estimate, "usd")) usd = esc(report::formatUsd(*value));
    std::string price;
    if (const auto value = numberAt(&estimate, "training_per_1m")) price = esc(report::formatUsd(*value));
    rows += std::string(chosen ? "<tr class=\"chosen\">" : "<tr>") + "<td><code>" +
            esc(textAt(&estimate, "model")) + "</code>" + (chosen ? " <span class=\"badge\">chosen</span>" : "") +
            "</td>" + numberCell(member(&estimate, "billed_tokens")) + "<td class=\"num\">" + orDash(price) +
            "</td><td class=\"num\">" + orDash(usd) + "</td>" + numberCell(member(&estimate, "context_limit")) +
            numberCell(member(&estimate, "examples_over_limit")) + "</tr>\n";
  }
  if (rows.empty()) return {};
  std::string out = "<h4>Cost estimates</h4>\n<table>\n<thead><tr><th>model</th><th class=\"num\">billed tokens</th>"
                    "<th class=\"num\">training per 1M</th><th class=\"num\">USD</th>"
                    "<th class=\"num\">context limit</th><th class=\"num\">examples over limit</th></tr></thead>\n"
                    "<tbody>\n" + rows + "</tbody>\n</table>\n";
  Facts facts;
  facts.addText("currency", textAt(cost, "currency"));
  facts.addText("prices as of", textAt(cost, "pricing_as_of"));
  facts.addText("price source", textAt(cost, "pricing_source"));
  facts.addText("formula", textAt(cost, "formula"));
  if (const auto value = numberAt(cost, "max_cost")) facts.addText("budget (max_cost)", report::formatUsd(*value));
  facts.addText("over budget", textAt(cost, "over_budget"));
  if (const auto value = numberAt(cost, "hosting_per_hour")) facts.addText("hosting per hour", report::formatUsd(*value));
  if (const auto value = numberAt(cost, "hosting_per_30_days")) {
    facts.addText("hosting per 30 days", report::formatUsd(*value));
  }
  return out + facts.html();
}

std::string statisticsBlock(const json& stage, const json& reports, const json& statistics) {
  std::string out = "<article class=\"block\">\n<h3>Dataset statistics \xE2\x80\x94 " + stageLabel(stage) + "</h3>\n";
  Facts facts;
  facts.addText("format", textAt(&statistics, "format"));
  std::string model = textAt(&statistics, "model");
  if (const std::string requested = textAt(&statistics, "model_requested"); !requested.empty() && requested != model) {
    model += " (asked for " + requested + ")";
  }
  if (!model.empty()) facts.add("model", "<code>" + esc(model) + "</code>");
  facts.addText("provider", textAt(&statistics, "provider"));
  facts.addText("method", textAt(&statistics, "method"));
  facts.addText("examples", textAt(&statistics, "examples"));
  facts.addText("examples over the limit", textAt(&statistics, "examples_over_limit"));
  facts.addText("context limit", textAt(&statistics, "context_limit"));
  std::string epochs = textAt(&statistics, "n_epochs");
  if (const std::string rule = textAt(&statistics, "n_epochs_rule"); !epochs.empty() && !rule.empty()) {
    epochs += " (" + rule + ")";
  }
  facts.addText("epochs", epochs);
  facts.addText("billed tokens per epoch", textAt(&statistics, "billed_tokens_per_epoch"));
  if (const std::string billed = textAt(&statistics, "billed_tokens"); !billed.empty()) {
    facts.add("billed tokens", "<strong>" + esc(billed) + "</strong>");
  }
  facts.addText("tokenizer", textAt(&statistics, "encoding"));
  facts.addText("token count", textAt(&statistics, "token_count"));
  facts.addText("approximate file size (bytes)", textAt(&statistics, "approx_file_bytes"));
  out += facts.html();
  out += findingsList(member(&reports, "findings"));
  out += distributionFigure(member(&statistics, "tokens_per_example"), "tokens per example", "");
  std::string rows = distributionRow("tokens per example", member(&statistics, "tokens_per_example")) +
                     distributionRow("assistant tokens per example", member(&statistics, "assistant_tokens_per_example")) +
                     distributionRow("messages per example", member(&statistics, "messages_per_example"));
  if (!rows.empty()) {
    out += "<table>\n<thead><tr><th></th><th class=\"num\">count</th><th class=\"num\">min</th>"
           "<th class=\"num\">p5</th><th class=\"num\">median</th><th class=\"num\">mean</th>"
           "<th class=\"num\">p95</th><th class=\"num\">max</th><th class=\"num\">sum</th></tr></thead>\n<tbody>\n" +
           rows + "</tbody>\n</table>\n";
  }
  if (const json* labels = objectAt(&statistics, "labels")) {
    std::string label_rows;
    if (const json* top = arrayAt(labels, "top")) {
      for (const json& label : *top) {
        if (!label.is_object()) continue;
        std::string share;
        if (const auto value = numberAt(&label, "share")) share = esc(report::formatFixed(*value * 100, 1) + "%");
        label_rows += "<tr>" + cell(textAt(&label, "label")) + numberCell(member(&label, "count")) +
                      "<td class=\"num\">" + orDash(share) + "</td></tr>\n";
      }
    }
    if (!label_rows.empty()) {
      const std::string distinct = textAt(labels, "distinct");
      out += "<h4>Answers (labels)" + (distinct.empty() ? "" : ": " + esc(distinct) + " distinct") +
             "</h4>\n<table>\n<thead><tr><th>label</th><th class=\"num\">examples</th><th class=\"num\">share</th>"
             "</tr></thead>\n<tbody>\n" + label_rows + "</tbody>\n</table>\n";
    }
  }
  out += costBlock(objectAt(&statistics, "cost"));
  return out + "</article>\n";
}

std::string splitBlock(const json& stage, const json& split) {
  std::string out = "<article class=\"block\">\n<h3>Split \xE2\x80\x94 " + stageLabel(stage) + "</h3>\n";
  Facts facts;
  facts.addText("records", textAt(&split, "records"));
  facts.addText("train", textAt(&split, "train"));
  facts.addText("validation", textAt(&split, "valid"));
  facts.addText("validation ratio", textAt(&split, "valid_ratio"));
  facts.addText("validation count", textAt(&split, "valid_count"));
  facts.addText("seed", textAt(&split, "seed"));
  out += facts.html();
  const json* openai = objectAt(&split, "openai");
  const json* train = objectAt(openai, "train");
  const json* valid = objectAt(openai, "valid");
  if (train != nullptr || valid != nullptr) {
    const auto row = [&](std::string_view label, std::string_view object, std::string_view key) {
      const json* t = object.empty() ? member(train, key) : member(objectAt(train, object), key);
      const json* v = object.empty() ? member(valid, key) : member(objectAt(valid, object), key);
      if (t == nullptr && v == nullptr) return std::string();
      return "<tr><th scope=\"row\">" + esc(label) + "</th>" + numberCell(t) + numberCell(v) + "</tr>\n";
    };
    std::string rows = row("examples", "", "examples");
    for (const auto& [label, key] : {std::pair{"tokens per example: min", "min"}, std::pair{"tokens per example: p5", "p5"},
                                     std::pair{"tokens per example: median", "median"},
                                     std::pair{"tokens per example: mean", "mean"},
                                     std::pair{"tokens per example: p95", "p95"},
                                     std::pair{"tokens per example: max", "max"}}) {
      rows += row(label, "tokens_per_example", key);
    }
    rows += row("assistant tokens per example: median", "assistant_tokens_per_example", "median");
    rows += row("messages per example: median", "messages_per_example", "median");
    rows += row("billed tokens per epoch", "", "billed_tokens_per_epoch");
    rows += row("epochs (OpenAI's auto rule)", "", "n_epochs_auto");
    rows += row("billed tokens (auto epochs)", "", "billed_tokens_auto");
    out += "<table>\n<thead><tr><th></th><th class=\"num\">train</th><th class=\"num\">validation</th></tr></thead>\n"
           "<tbody>\n" + rows + "</tbody>\n</table>\n";
    const std::string figures =
        distributionFigure(member(train, "tokens_per_example"), "tokens per example", "Training file: ") +
        distributionFigure(member(valid, "tokens_per_example"), "tokens per example", "Validation file: ");
    if (!figures.empty()) out += "<div class=\"figure-row\">\n" + figures + "</div>\n";
    const json* train_labels = objectAt(train, "labels");
    const json* valid_labels = objectAt(valid, "labels");
    std::vector<std::string> names;
    for (const json* labels : {train_labels, valid_labels}) {
      if (labels == nullptr) continue;
      for (const auto& [name, count] : labels->items()) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (!names.empty()) {
      std::string label_rows;
      for (const std::string& name : names) {
        const json* t = member(train_labels, name);
        const json* v = member(valid_labels, name);
        const double t_count = asNumber(t).value_or(0);
        const double v_count = asNumber(v).value_or(0);
        std::string share;
        if (t_count + v_count > 0) share = esc(report::formatFixed(100 * v_count / (t_count + v_count), 1) + "%");
        label_rows += "<tr>" + cell(name) + numberCell(t) + numberCell(v) + "<td class=\"num\">" + orDash(share) +
                      "</td></tr>\n";
      }
      out += "<h4>Answers (labels) per file</h4>\n<table>\n<thead><tr><th>label</th><th class=\"num\">train</th>"
             "<th class=\"num\">validation</th><th class=\"num\">share in validation</th></tr></thead>\n<tbody>\n" +
             label_rows + "</tbody>\n</table>\n";
    }
  }
  return out + "</article>\n";
}

std::string datasetSection(const json& summary) {
  const json* stages = arrayAt(&summary, "stages");
  if (stages == nullptr) return {};
  std::string body;
  for (const json& stage : *stages) {
    const json* reports = objectAt(&stage, "report");
    if (const json* statistics = objectAt(reports, "statistics")) body += statisticsBlock(stage, *reports, *statistics);
    if (const json* split = objectAt(reports, "split")) body += splitBlock(stage, *split);
  }
  if (body.empty()) return {};
  return "<section id=\"dataset\">\n<h2>Dataset</h2>\n" + body + "</section>\n";
}

std::string metricsCharts(const json* metrics) {
  if (metrics == nullptr) return {};
  std::vector<std::optional<double>> steps = numberColumn(arrayAt(metrics, "step"));
  const auto chart = [&](std::string_view train_key, std::string_view valid_key, std::string_view y_title,
                         std::string_view caption) -> std::string {
    std::vector<report::LineSeries> series;
    series.push_back({"train", "train", std::string(kTrainColour), numberColumn(arrayAt(metrics, train_key))});
    series.push_back({"validation", "valid", std::string(kValidColour), numberColumn(arrayAt(metrics, valid_key))});
    std::vector<std::optional<double>> x = steps;
    if (!arrayAt(metrics, "step")) {  // no step column: number the rows from 1
      const std::size_t rows = std::max(series[0].values.size(), series[1].values.size());
      for (std::size_t i = 0; i < rows; ++i) x.emplace_back(static_cast<double>(i + 1));
    }
    // Drop a series with no value at all, so the legend shows only what is drawn.
    series.erase(std::remove_if(series.begin(), series.end(),
                                [](const report::LineSeries& s) {
                                  return std::none_of(s.values.begin(), s.values.end(),
                                                      [](const auto& v) { return v.has_value(); });
                                }),
                 series.end());
    if (series.empty()) return {};
    return figure(report::lineChartSvg(x, series, "step", y_title), caption);
  };
  return chart("train_loss", "valid_loss", "loss",
               "Training and validation loss by step (a break in a line is a step without a value).") +
         chart("train_accuracy", "valid_accuracy", "accuracy", "Training and validation token accuracy by step.");
}

std::string estimateChart(const json& job) {
  std::vector<report::ComparisonGroup> groups;
  report::ComparisonGroup tokens{"Tokens", {}};
  if (const auto value = numberAt(&job, "estimated_billed_tokens")) {
    tokens.bars.push_back({"estimated billed tokens", *value, report::formatReadable(*value), "#94a3b8"});
  }
  if (const auto value = numberAt(&job, "trained_tokens")) {
    tokens.bars.push_back({"trained tokens (job)", *value, report::formatReadable(*value), "#16a34a"});
  }
  report::ComparisonGroup usd{"US dollars", {}};
  if (const auto value = numberAt(&job, "estimated_usd")) {
    usd.bars.push_back({"estimated cost", *value, report::formatUsd(*value), "#94a3b8"});
  }
  if (const auto value = numberAt(&job, "actual_usd")) {
    usd.bars.push_back({"actual cost", *value, report::formatUsd(*value), "#16a34a"});
  }
  if (!tokens.bars.empty()) groups.push_back(std::move(tokens));
  if (!usd.bars.empty()) groups.push_back(std::move(usd));
  std::string caption = "Estimate before training versus what the job reports.";
  const auto estimate = numberAt(&job, "estimated_billed_tokens");
  const auto trained = numberAt(&job, "trained_tokens");
  if (estimate && trained && *estimate > 0) {
    caption += " Trained tokens are " + report::formatFixed(100 * *trained / *estimate, 1) + "% of the estimate.";
  }
  return figure(report::comparisonBarsSvg(groups), caption);
}

std::string jobBlock(const json& stage, const json& reports, const json& job, bool summary_simulated) {
  const bool simulated = summary_simulated || isTrue(member(&job, "simulated"));
  std::string out = std::string("<article class=\"block") + (simulated ? " simulated-job" : "") +
                    "\">\n<h3>Fine-tuning job \xE2\x80\x94 " + stageLabel(stage) +
                    (simulated ? " <span class=\"badge badge-simulated\">simulated</span>" : "") + "</h3>\n";
  if (simulated) {
    out += "<p class=\"simulated-note\">Simulated: this job ran on ajuste-emulator, not on a real provider; its "
           "numbers are not a real training result.</p>\n";
  }
  Facts facts;
  facts.addText("provider", textAt(&job, "provider"));
  if (const std::string id = textAt(&job, "job_id"); !id.empty()) facts.add("job id", "<code>" + esc(id) + "</code>");
  if (const std::string status = textAt(&job, "status"); !status.empty()) {
    facts.add("status", "<span class=\"status status-" + jobStatusClass(status) + "\">" + esc(humanStatus(status)) +
                            "</span>");
  }
  if (const std::string model = textAt(&job, "base_model"); !model.empty()) {
    facts.add("base model", "<code>" + esc(model) + "</code>");
  }
  if (const std::string model = textAt(&job, "fine_tuned_model"); !model.empty()) {
    facts.add("fine-tuned model", "<code>" + esc(model) + "</code>");
  }
  facts.addText("trained tokens", textAt(&job, "trained_tokens"));
  facts.addText("estimated billed tokens", textAt(&job, "estimated_billed_tokens"));
  if (const auto value = numberAt(&job, "estimated_usd")) facts.addText("estimated cost", report::formatUsd(*value));
  if (const auto value = numberAt(&job, "actual_usd")) facts.addText("actual cost", report::formatUsd(*value));
  out += facts.html();
  if (const json* error = objectAt(&job, "error")) {
    const std::string code = textAt(error, "code");
    const std::string param = textAt(error, "param");
    out += "<div class=\"error-box\">" + (code.empty() ? "" : "<strong>" + esc(code) + "</strong>: ") +
           esc(textAt(error, "message")) + (param.empty() ? "" : " (parameter <code>" + esc(param) + "</code>)") +
           "</div>\n";
  }
  out += metricsCharts(objectAt(&reports, "metrics"));
  out += estimateChart(job);
  if (const json* checkpoints = arrayAt(&job, "checkpoints"); checkpoints != nullptr && !checkpoints->empty()) {
    std::string rows;
    for (const json& checkpoint : *checkpoints) {
      if (!checkpoint.is_object()) continue;
      rows += "<tr>" + numberCell(member(&checkpoint, "step")) + "<td><code>" + orDash(esc(textAt(&checkpoint, "model"))) +
              "</code></td></tr>\n";
    }
    if (!rows.empty()) {
      out += "<h4>Checkpoints</h4>\n<table>\n<thead><tr><th class=\"num\">step</th><th>model</th></tr></thead>\n"
             "<tbody>\n" + rows + "</tbody>\n</table>\n";
    }
  }
  return out + "</article>\n";
}

std::string jobSection(const json& summary) {
  const json* stages = arrayAt(&summary, "stages");
  if (stages == nullptr) return {};
  const bool summary_simulated = isTrue(member(&summary, "simulated"));
  std::string body;
  for (const json& stage : *stages) {
    const json* reports = objectAt(&stage, "report");
    if (const json* job = objectAt(reports, "job")) body += jobBlock(stage, *reports, *job, summary_simulated);
  }
  if (body.empty()) return {};
  return "<section id=\"job\">\n<h2>Fine-tuning</h2>\n" + body + "</section>\n";
}

// ---- Evaluation: the `evaluation` report of evaluate/score, or of any scorer that reports the
// same shape (plugins/evaluate_score/README.md), so a replacement scorer shows up here too. ----

constexpr std::string_view kApproachNames[][2] = {{"base_prompt", "prompted base model"},
                                                  {"fine_tuned", "fine-tuned model"}};

std::string percent(double fraction) { return report::formatFixed(100 * fraction, 1) + "%"; }

std::string accuracyTable(const json& approaches) {
  std::string rows;
  for (const auto& [key, label] : kApproachNames) {
    const json* approach = objectAt(&approaches, key);
    if (approach == nullptr) continue;
    std::string accuracy;
    if (const auto value = numberAt(approach, "accuracy")) accuracy = esc(percent(*value));
    std::string interval;
    if (const json* ci = arrayAt(approach, "accuracy_ci95"); ci != nullptr && ci->size() == 2) {
      const auto low = asNumber(&(*ci)[0]);
      const auto high = asNumber(&(*ci)[1]);
      if (low && high) interval = esc(percent(*low) + " \xE2\x80\x93 " + percent(*high));
    }
    std::string per_1k;
    if (const auto value = numberAt(approach, "usd_per_1k_requests")) per_1k = esc(report::formatUsd(*value));
    rows += "<tr><th scope=\"row\">" + esc(label) + "<br><code>" + esc(textAt(approach, "model")) + "</code></th>" +
            numberCell(member(approach, "n")) + numberCell(member(approach, "correct")) +
            "<td class=\"num\">" + orDash(accuracy) + "</td><td class=\"num\">" + orDash(interval) + "</td>" +
            numberCell(member(approach, "unparsed")) + numberCell(member(approach, "errors")) +
            numberCell(member(approach, "mean_absolute_error")) + "<td class=\"num\">" + orDash(per_1k) + "</td></tr>\n";
  }
  if (rows.empty()) return {};
  return "<table class=\"evaluation-accuracy\">\n<thead><tr><th>approach</th><th class=\"num\">examples</th>"
         "<th class=\"num\">correct</th><th class=\"num\">accuracy</th><th class=\"num\">95% interval (Wilson)</th>"
         "<th class=\"num\">unparsed</th><th class=\"num\">failed requests</th><th class=\"num\">mean abs. error</th>"
         "<th class=\"num\">USD per 1,000 requests</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n";
}

// Rows: expected label; columns: predicted label, then unparsed. The diagonal is what was right.
std::string confusionTable(std::string_view label, const json* confusion) {
  const json* rows = arrayAt(confusion, "rows");
  const json* columns = arrayAt(confusion, "columns");
  const json* counts = arrayAt(confusion, "counts");
  if (rows == nullptr || columns == nullptr || counts == nullptr || counts->size() != rows->size()) return {};
  std::string head = "<tr><th>expected \xE2\x86\x93 / predicted \xE2\x86\x92</th>";
  for (const json& column : *columns) head += "<th class=\"num\">" + esc(formatJsonValue(column)) + "</th>";
  std::string body;
  for (std::size_t r = 0; r < rows->size(); ++r) {
    body += "<tr><th scope=\"row\">" + esc(formatJsonValue((*rows)[r])) + "</th>";
    const json& line = (*counts)[r];
    for (std::size_t c = 0; c < columns->size(); ++c) {
      const json* value = line.is_array() && c < line.size() ? &line[c] : nullptr;
      body += r == c ? "<td class=\"num diagonal\"><strong>" + orDash(value != nullptr && !value->is_structured()
                                                                          ? esc(formatJsonValue(*value))
                                                                          : std::string()) +
                           "</strong></td>"
                     : numberCell(value);
    }
    body += "</tr>\n";
  }
  return "<figure class=\"confusion\">\n<table>\n<thead>" + head + "</tr></thead>\n<tbody>\n" + body +
         "</tbody>\n</table>\n<figcaption>Confusion matrix of the " + esc(label) + ".</figcaption>\n</figure>\n";
}

std::string breakEvenFigure(const json* cost) {
  const json* series = arrayAt(cost, "series");
  if (series == nullptr) return {};
  std::vector<double> volumes;
  report::CostCurve base{"prompted base model", "base-prompt", std::string(kValidColour), {}};
  report::CostCurve tuned{"fine-tuned model", "fine-tuned", std::string(kTrainColour), {}};
  for (const json& point : *series) {
    const auto volume = numberAt(&point, "requests_per_day");
    if (!volume) continue;
    volumes.push_back(*volume);
    base.monthly_usd.push_back(numberAt(&point, "base_prompt_monthly_usd").value_or(-1));
    tuned.monthly_usd.push_back(numberAt(&point, "fine_tuned_monthly_usd").value_or(-1));
  }
  const json* even = objectAt(cost, "break_even");
  const std::optional<double> at =
      textAt(even, "kind") == "at" ? numberAt(even, "requests_per_day") : std::optional<double>();
  std::string caption = "Cost per month against requests per day (both axes logarithmic).";
  const std::string kind = textAt(even, "kind");
  if (at) caption += " Above " + report::formatReadable(std::ceil(*at)) + " requests/day the fine-tuned model is cheaper.";
  if (kind == "never") caption += " The fine-tuned model is never the cheaper one.";
  if (kind == "always") caption += " The fine-tuned model is the cheaper one at any volume.";
  return figure(report::breakEvenChartSvg(volumes, {base, tuned}, at, numberAt(cost, "requests_per_day")), caption);
}

std::string evaluationBlock(const json& stage, const json& evaluation, bool summary_simulated) {
  const bool simulated = summary_simulated || isTrue(member(&evaluation, "simulated"));
  std::string out = std::string("<article class=\"block") + (simulated ? " simulated-job" : "") +
                    "\">\n<h3>Fine-tuned model against a prompted base model \xE2\x80\x94 " + stageLabel(stage) +
                    (simulated ? " <span class=\"badge badge-simulated\">simulated</span>" : "") + "</h3>\n";
  if (simulated) {
    out += "<p class=\"simulated-note\">Simulated: the answers came from ajuste-emulator, not from real models; "
           "the accuracies say nothing about them.</p>\n";
  }
  if (const std::string recommendation = textAt(&evaluation, "recommendation"); !recommendation.empty()) {
    out += "<p class=\"recommendation\"><strong>Recommendation:</strong> " + esc(recommendation) + "</p>\n";
  }
  const json* approaches = objectAt(&evaluation, "approaches");
  if (approaches != nullptr) out += accuracyTable(*approaches);
  const json* cost = objectAt(&evaluation, "cost");
  Facts facts;
  // A replacement scorer's "accuracy" is its own rule (keyword match, a rubric): say which.
  facts.addText("metric", textAt(&evaluation, "metric"));
  if (const auto value = numberAt(&evaluation, "accuracy_difference_points")) {
    facts.addText("accuracy difference (fine-tuned \xE2\x88\x92 prompt)", report::formatFixed(*value, 1) + " points");
  }
  facts.addText("provider", textAt(cost, "provider"));
  facts.addText("prices as of", textAt(cost, "pricing_as_of"));
  if (const std::string id = textAt(cost, "fine_tuned_priced_as"); !id.empty()) {
    facts.add("fine-tuned requests priced as", "<code>" + esc(id) + "</code>");
  }
  if (const auto value = numberAt(cost, "training_usd")) {
    facts.addText("training", report::formatUsd(*value) + " (" + textAt(cost, "training_source") + ")");
  }
  if (const auto value = numberAt(cost, "hosting_per_hour")) facts.addText("hosting per hour", report::formatUsd(*value));
  if (const auto value = numberAt(cost, "fine_tuned_fixed_monthly_usd")) {
    facts.addText("fine-tuned fixed cost per month", report::formatUsd(*value));
  }
  if (const json* even = objectAt(cost, "break_even")) {
    const std::string kind = textAt(even, "kind");
    const auto at = numberAt(even, "requests_per_day");
    facts.addText("break-even", kind == "at" && at     ? report::formatReadable(std::ceil(*at)) + " requests/day"
                                : kind == "never"  ? std::string("none: fine-tuning is never cheaper")
                                : kind == "always" ? std::string("none: fine-tuning is always cheaper")
                                                   : std::string());
  }
  out += facts.html();
  out += breakEvenFigure(cost);
  if (approaches != nullptr) {
    std::string matrices;
    for (const auto& [key, label] : kApproachNames) {
      matrices += confusionTable(label, objectAt(objectAt(approaches, key), "confusion"));
    }
    if (!matrices.empty()) out += "<h4>Confusion matrices</h4>\n<div class=\"figure-row\">\n" + matrices + "</div>\n";
  }
  return out + "</article>\n";
}

std::string evaluationSection(const json& summary) {
  const json* stages = arrayAt(&summary, "stages");
  if (stages == nullptr) return {};
  const bool summary_simulated = isTrue(member(&summary, "simulated"));
  std::string body;
  for (const json& stage : *stages) {
    if (const json* evaluation = objectAt(objectAt(&stage, "report"), "evaluation")) {
      body += evaluationBlock(stage, *evaluation, summary_simulated);
    }
  }
  if (body.empty()) return {};
  return "<section id=\"evaluation\">\n<h2>Evaluation</h2>\n" + body + "</section>\n";
}

std::string artifactsSection(const json& summary) {
  const json* artifacts = objectAt(&summary, "artifacts");
  if (artifacts == nullptr || artifacts->empty()) return {};
  std::string rows;
  for (const auto& [name, value] : artifacts->items()) {
    rows += "<tr><td><code>" + esc(name) + "</code></td><td><code>" +
            esc(report::compactJson(value, kArtifactChars)) + "</code></td></tr>\n";
  }
  return "<section id=\"artifacts\">\n<h2>Artifacts</h2>\n<table>\n<thead><tr><th>name</th><th>value</th></tr>"
         "</thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n</section>\n";
}

// Every string of `value` (keys too) with registered secrets blanked.
json redacted(const json& value) {
  const Redactor& redactor = Redactor::instance();
  switch (value.type()) {
    case json::value_t::string: return redactor.redact(value.get_ref<const std::string&>());
    case json::value_t::array: {
      json out = json::array();
      for (const json& item : value) out.push_back(redacted(item));
      return out;
    }
    case json::value_t::object: {
      json out = json::object();
      for (const auto& [key, item] : value.items()) out[redactor.redact(key)] = redacted(item);
      return out;
    }
    default: return value;
  }
}

// Print keeps the colours (status, findings, bars) and drops the navigation.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI",
  Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2937; background: #fff; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 12.5px; overflow-wrap: anywhere; }
h1 { margin: 4px 0 8px; font-size: 26px; overflow-wrap: anywhere; }
h2 { margin: 32px 0 12px; font-size: 20px; border-bottom: 2px solid #e5e7eb; padding-bottom: 4px; }
h3 { margin: 20px 0 8px; font-size: 16px; }
h4 { margin: 16px 0 6px; font-size: 14px; }
.eyebrow { margin: 0; color: #6b7280; text-transform: uppercase; letter-spacing: .06em; font-size: 12px; }
.banner { margin: 0 0 16px; padding: 12px 16px; border-radius: 6px; font-weight: 700; font-size: 16px; }
.banner.simulated { background: #fef3c7; color: #78350f; border: 2px solid #d97706; }
.status { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; color: #fff;
  background: #6b7280; }
.status-succeeded { background: #15803d; }
.status-failed { background: #b91c1c; }
.status-gate_failed, .status-over_budget { background: #c2410c; }
.status-interrupted, .status-other { background: #4b5563; }
.error-box { margin: 8px 0; padding: 10px 14px; border-left: 4px solid #b91c1c; background: #fef2f2;
  white-space: pre-wrap; overflow-wrap: anywhere; }
nav { margin: 16px 0; padding: 8px 0; border-top: 1px solid #e5e7eb; border-bottom: 1px solid #e5e7eb; }
nav a { margin-right: 16px; color: #1d4ed8; text-decoration: none; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 6px 20px; margin: 12px 0; }
.facts div { min-width: 0; }
.facts dt { color: #6b7280; font-size: 12px; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
.tile { min-width: 130px; padding: 10px 14px; border: 1px solid #e5e7eb; border-radius: 6px; }
.tile-value { display: block; font-size: 22px; font-weight: 700; }
.tile-label { color: #6b7280; }
.tile-alert .tile-value { color: #b91c1c; }
table { border-collapse: collapse; margin: 8px 0 12px; width: 100%; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
thead th { background: #f9fafb; font-size: 12px; color: #374151; }
th[scope=row] { font-weight: 500; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.counters { font-size: 12px; }
tr.chosen td { background: #eff6ff; font-weight: 600; }
td.diagonal { background: #f0fdf4; }
.recommendation { margin: 8px 0; padding: 10px 14px; border-left: 4px solid #15803d; background: #f0fdf4; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; background: #dbeafe; color: #1e40af;
  font-size: 11px; font-weight: 600; }
.badge-simulated { background: #fef3c7; color: #78350f; border: 1px solid #d97706; }
.simulated-note { color: #78350f; }
.simulated-job { border-left: 4px solid #d97706; padding-left: 12px; }
.note { color: #6b7280; font-size: 12.5px; }
.warning-text { color: #b45309; font-weight: 600; }
.findings { list-style: none; padding: 0; margin: 6px 0 12px; }
.finding { margin: 4px 0; padding: 6px 10px; border-left: 4px solid #9ca3af; background: #f9fafb;
  overflow-wrap: anywhere; }
.finding .severity { display: inline-block; min-width: 64px; font-weight: 700; text-transform: uppercase;
  font-size: 11px; }
.finding-error { border-color: #b91c1c; background: #fef2f2; }
.finding-error .severity { color: #b91c1c; }
.finding-warning { border-color: #d97706; background: #fffbeb; }
.finding-warning .severity { color: #b45309; }
.finding-info { border-color: #2563eb; background: #eff6ff; }
.finding-info .severity { color: #1d4ed8; }
figure { margin: 12px 0; }
figcaption { color: #4b5563; font-size: 12.5px; }
.figure-row { display: flex; flex-wrap: wrap; gap: 16px; }
.figure-row figure { flex: 1 1 420px; min-width: 0; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg.chart text { fill: #374151; }
footer { margin-top: 40px; color: #9ca3af; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  figure, tr, .finding, .tile { break-inside: avoid; }
}
)css";

}  // namespace

std::string renderHtmlReport(const nlohmann::json& summary) {
  const bool simulated = isSimulated(summary);
  struct Section {
    std::string_view id;
    std::string_view title;
    std::string html;
  };
  const Section sections[] = {{"records", "Records", recordsSection(summary)},
                              {"stages", "Stages", stagesSection(summary)},
                              {"dataset", "Dataset", datasetSection(summary)},
                              {"job", "Fine-tuning", jobSection(summary)},
                              {"evaluation", "Evaluation", evaluationSection(summary)},
                              {"artifacts", "Artifacts", artifactsSection(summary)}};
  const std::string name = textAt(&summary, "name");
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // Nothing may be fetched or run, whatever ends up in the page.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<title>" + (simulated ? std::string("[SIMULATED] ") : std::string()) +
      esc(name.empty() ? "ajuste run" : name) + " \xE2\x80\x94 ajuste run report</title>\n<style>" +
      std::string(kStyle) + "</style>\n</head>\n<body>\n";
  page += headerSection(summary, simulated);
  std::string nav;
  for (const Section& section : sections) {
    if (section.html.empty()) continue;
    nav += "<a href=\"#" + std::string(section.id) + "\">" + std::string(section.title) + "</a>";
  }
  if (!nav.empty()) page += "<nav>" + nav + "</nav>\n";
  for (const Section& section : sections) page += section.html;
  const std::string version = textAt(&summary, "ajuste_version");
  page += "<footer>Written by ajuste" + (version.empty() ? "" : " " + esc(version)) +
          " from the run's summary.json.</footer>\n</body>\n</html>\n";
  return page;
}

Status writeHtmlReport(const nlohmann::json& summary, const std::filesystem::path& path) {
  return writeFileAtomically(path, renderHtmlReport(redacted(summary)));
}

}  // namespace ajuste
