#include "report/html_report.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "common/redactor.hpp"
#include "report/html_text.hpp"
#include "report/svg_chart.hpp"

namespace ajuste {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

const std::filesystem::path kFixtures = AJUSTE_REPORT_FIXTURES;

json readJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

std::size_t occurrences(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

// The first `<svg class="chart KIND"` element, whole; "" when there is none.
std::string chart(const std::string& page, std::string_view kind, std::size_t nth = 0) {
  const std::string open = "<svg class=\"chart " + std::string(kind) + "\"";
  std::size_t at = page.find(open);
  for (std::size_t i = 0; i < nth && at != std::string::npos; ++i) at = page.find(open, at + 1);
  if (at == std::string::npos) return {};
  return page.substr(at, page.find("</svg>", at) + 6 - at);
}

// The values of `attribute` on every element whose opening tag starts with `tag_start`.
std::vector<std::string> attributes(const std::string& svg, const std::string& tag_start, const std::string& attribute) {
  std::vector<std::string> out;
  for (std::size_t at = svg.find(tag_start); at != std::string::npos; at = svg.find(tag_start, at + 1)) {
    const std::string tag = svg.substr(at, svg.find('>', at) - at);
    std::smatch found;
    if (std::regex_search(tag, found, std::regex(" " + attribute + "=\"([^\"]*)\""))) out.push_back(found[1]);
  }
  return out;
}

std::vector<double> numbers(const std::vector<std::string>& texts) {
  std::vector<double> out;
  for (const auto& text : texts) out.push_back(std::stod(text));
  return out;
}

// "x1,y1 x2,y2" -> {{x1, y1}, {x2, y2}}
std::vector<std::pair<double, double>> points(const std::string& text) {
  std::vector<std::pair<double, double>> out;
  std::istringstream in(text);
  std::string pair;
  while (in >> pair) {
    const auto comma = pair.find(',');
    out.emplace_back(std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1)));
  }
  return out;
}

json statsStage(json tokens_per_example) {
  return {{"id", "stats"},
          {"uses", "stats/openai"},
          {"kind", "records"},
          {"in", 35},
          {"kept", 35},
          {"rejected", 0},
          {"seconds", 0.5},
          {"report",
           {{"statistics",
             {{"format", "chat"},
              {"model", "gpt-4o-mini-2024-07-18"},
              {"examples", 35},
              {"billed_tokens", 3000},
              {"tokens_per_example", std::move(tokens_per_example)},
              {"cost",
               {{"currency", "USD"},
                {"estimates",
                 {{{"model", "gpt-4o-mini-2024-07-18"}, {"billed_tokens", 3000}, {"usd", 0.009}, {"chosen", true}},
                  {{"model", "gpt-4.1-2025-04-14"}, {"billed_tokens", 3000}, {"usd", 0.075}, {"chosen", false}}}}}}}},
            {"findings", {{{"severity", "warning"}, {"kind", "few_examples"}, {"message", "only 35 examples"}}}}}}};
}

json distribution() {
  return {{"count", 35}, {"min", 3}, {"p5", 4.0}, {"median", 20.0}, {"mean", 21.5}, {"p95", 38.0}, {"max", 40}, {"sum", 750}};
}

json withHistogram(json edges, json counts) {
  json d = distribution();
  d["histogram"] = {{"edges", std::move(edges)}, {"counts", std::move(counts)}};
  return d;
}

json jobStage(json job, json metrics) {
  json stage = {{"id", "monitor"}, {"uses", "monitor/openai"}, {"kind", "artifacts"}, {"seconds", 12.0}};
  stage["report"]["job"] = std::move(job);
  if (!metrics.is_null()) stage["report"]["metrics"] = std::move(metrics);
  return stage;
}

json summaryWith(json stages) {
  return {{"name", "demo"}, {"status", "succeeded"}, {"error", nullptr}, {"stages", std::move(stages)}};
}

TEST(HtmlReportHistogram, DrawsOneBarPerNonEmptyBinWithProportionalHeights) {
  const std::string page =
      renderHtmlReport(summaryWith({statsStage(withHistogram({0, 10, 20, 30, 40}, {5, 0, 10, 20}))}));
  const std::string svg = chart(page, "histogram");
  ASSERT_FALSE(svg.empty()) << page;
  EXPECT_EQ(occurrences(svg, "<rect"), 3u);
  const auto heights = numbers(attributes(svg, "<rect class=\"bar\"", "height"));
  ASSERT_EQ(heights.size(), 3u);
  // The y axis runs 0..20 (a nice bound), so the tallest bar fills the plot.
  const report::ChartFrame frame;
  EXPECT_NEAR(heights[2], frame.plotHeight(), 0.01);
  EXPECT_NEAR(heights[1] / heights[0], 2.0, 1e-3);
  EXPECT_NEAR(heights[2] / heights[0], 4.0, 1e-3);
  // Bars stand on the x axis and follow the edges (with a half-pixel gap each side).
  const auto xs = numbers(attributes(svg, "<rect class=\"bar\"", "x"));
  EXPECT_NEAR(xs[0], frame.left + 0.5, 0.01);
  EXPECT_NEAR(xs[1], frame.left + frame.plotWidth() / 2 + 0.5, 0.01);
  const auto ys = numbers(attributes(svg, "<rect class=\"bar\"", "y"));
  EXPECT_NEAR(ys[0] + heights[0], frame.top + frame.plotHeight(), 0.01);
  EXPECT_THAT(page, Not(HasSubstr("class=\"chart box-summary\"")));
}

TEST(HtmlReportHistogram, FallsBackToABoxSummaryWithoutAUsableHistogram) {
  for (const json& tokens : {distribution(), withHistogram({0, 10}, {1, 2}), withHistogram({0, "x", 20}, {1, 2}),
                             withHistogram({0, 20, 10}, {1, 2}), withHistogram({0, 10, 20}, {1, -2})}) {
    const std::string page = renderHtmlReport(summaryWith({statsStage(tokens)}));
    EXPECT_EQ(chart(page, "histogram"), "") << tokens.dump();
    const std::string box = chart(page, "box-summary");
    ASSERT_FALSE(box.empty()) << tokens.dump();
    EXPECT_EQ(occurrences(box, "<rect"), 1u);
  }
  // Neither: the dataset section stays, with no token chart.
  json tokens = distribution();
  tokens.erase("p95");
  const std::string page = renderHtmlReport(summaryWith({statsStage(tokens)}));
  EXPECT_THAT(page, HasSubstr("id=\"dataset\""));
  EXPECT_THAT(page, Not(HasSubstr("<svg")));
}

TEST(HtmlReportDataset, ShowsFindingsBySeverityAndCostEstimates) {
  const std::string page = renderHtmlReport(summaryWith({statsStage(distribution())}));
  EXPECT_THAT(page, HasSubstr("<li class=\"finding finding-warning\"><span class=\"severity\">warning</span> "
                              "<code>few_examples</code> only 35 examples</li>"));
  EXPECT_THAT(page, HasSubstr("<tr class=\"chosen\"><td><code>gpt-4o-mini-2024-07-18</code> "
                              "<span class=\"badge\">chosen</span></td><td class=\"num\">3,000</td>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"num\">$0.0090</td>"));
}

TEST(HtmlReportLossChart, PolylinePointsSitWhereTheAxesSay) {
  const json metrics = {{"step", {0, 1, 2}}, {"train_loss", {2.0, 1.0, 0.5}}, {"valid_loss", {nullptr, 1.5, 1.0}}};
  const std::string page = renderHtmlReport(summaryWith({jobStage({{"status", "succeeded"}}, metrics)}));
  const std::string svg = chart(page, "line-chart");
  ASSERT_FALSE(svg.empty()) << page;
  // x runs over the steps 0..2 exactly; y over 0..2 (the nice bound of 2.0).
  const report::ChartFrame f;
  const double bottom = f.top + f.plotHeight();
  const auto x = [&](double step) { return f.left + step / 2 * f.plotWidth(); };
  const auto y = [&](double loss) { return bottom - loss / 2 * f.plotHeight(); };
  const auto train = attributes(svg, "<polyline class=\"line train\"", "points");
  ASSERT_EQ(train.size(), 1u);
  const auto train_points = points(train[0]);
  ASSERT_EQ(train_points.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(train_points[i].first, x(static_cast<double>(i)), 0.01);
    EXPECT_NEAR(train_points[i].second, y(std::vector{2.0, 1.0, 0.5}[i]), 0.01);
  }
  const auto valid = attributes(svg, "<polyline class=\"line valid\"", "points");
  ASSERT_EQ(valid.size(), 1u);
  const auto valid_points = points(valid[0]);
  ASSERT_EQ(valid_points.size(), 2u);
  EXPECT_NEAR(valid_points[0].first, x(1), 0.01);
  EXPECT_NEAR(valid_points[0].second, y(1.5), 0.01);
  EXPECT_NEAR(valid_points[1].first, x(2), 0.01);
  EXPECT_NEAR(valid_points[1].second, y(1.0), 0.01);
  // Legend, axes with tick labels.
  EXPECT_THAT(svg, HasSubstr(">train</text>"));
  EXPECT_THAT(svg, HasSubstr(">validation</text>"));
  EXPECT_THAT(svg, HasSubstr(">1.5</text>"));
  EXPECT_THAT(svg, HasSubstr(">step</text>"));
  EXPECT_THAT(svg, HasSubstr(">loss</text>"));
}

TEST(HtmlReportLossChart, AMissingValueBreaksTheLineAndALoneValueIsADot) {
  const json metrics = {{"step", {1, 2, 3, 4, 5, 6}},
                        {"train_loss", {1.0, 0.9, nullptr, 0.7, 0.6, 0.5}},
                        {"valid_loss", {1.1, nullptr, 0.9, nullptr, 0.8, 0.7}}};
  const std::string svg = chart(renderHtmlReport(summaryWith({jobStage({{"status", "running"}}, metrics)})), "line-chart");
  const auto train = attributes(svg, "<polyline class=\"line train\"", "points");
  ASSERT_EQ(train.size(), 2u);
  EXPECT_EQ(points(train[0]).size(), 2u);
  EXPECT_EQ(points(train[1]).size(), 3u);
  // 4 values over 6 steps: gaps, not sampling. Runs: [1.1] [0.9] [0.8 0.7].
  EXPECT_EQ(attributes(svg, "<polyline class=\"line valid\"", "points").size(), 1u);
  EXPECT_EQ(attributes(svg, "<circle class=\"point valid\"", "cx").size(), 2u);
}

TEST(HtmlReportLossChart, SampledValidationLossIsJoinedAcrossItsMissingSteps) {
  json metrics = {{"step", json::array()}, {"train_loss", json::array()}, {"valid_loss", json::array()}};
  for (int step = 1; step <= 30; ++step) {
    metrics["step"].push_back(step);
    metrics["train_loss"].push_back(2.0 - step * 0.05);
    metrics["valid_loss"].push_back(step % 10 == 0 ? json(2.0 - step * 0.04) : json(nullptr));
  }
  const std::string svg = chart(renderHtmlReport(summaryWith({jobStage({{"status", "running"}}, metrics)})), "line-chart");
  const auto valid = attributes(svg, "<polyline class=\"line valid\"", "points");
  ASSERT_EQ(valid.size(), 1u);
  EXPECT_EQ(points(valid[0]).size(), 3u);
  EXPECT_EQ(attributes(svg, "<circle class=\"point valid\"", "cx").size(), 3u);
  EXPECT_EQ(points(attributes(svg, "<polyline class=\"line train\"", "points").at(0)).size(), 30u);
}

TEST(HtmlReportJob, EstimateVersusActualBarsShareAScalePerUnit) {
  const json job = {{"provider", "openai"},     {"job_id", "ftjob-1"},        {"status", "succeeded"},
                    {"trained_tokens", 5000},   {"estimated_billed_tokens", 4000}, {"estimated_usd", 0.5},
                    {"actual_usd", 1.0},        {"simulated", false},         {"error", nullptr},
                    {"checkpoints", {{{"step", 10}, {"model", "ft:model:ckpt-10"}}}}};
  const std::string page = renderHtmlReport(summaryWith({jobStage(job, nullptr)}));
  const std::string svg = chart(page, "comparison");
  ASSERT_FALSE(svg.empty()) << page;
  const auto widths = numbers(attributes(svg, "<rect class=\"compare\"", "width"));
  ASSERT_EQ(widths.size(), 4u);
  EXPECT_NEAR(widths[0] / widths[1], 0.8, 1e-3);  // 4000 estimated vs 5000 trained
  EXPECT_NEAR(widths[2] / widths[3], 0.5, 1e-3);  // $0.50 vs $1.00
  EXPECT_NEAR(widths[1], widths[3], 1e-6);        // the larger of each pair fills the width
  EXPECT_THAT(page, HasSubstr("Trained tokens are 125.0% of the estimate."));
  EXPECT_THAT(page, HasSubstr("<code>ft:model:ckpt-10</code>"));
  EXPECT_THAT(page, Not(HasSubstr("class=\"chart line-chart\"")));  // no metrics, no loss chart
}

TEST(HtmlReportJob, ShowsTheProviderError) {
  const json job = {{"status", "failed"},
                    {"error", {{"code", "invalid_file"}, {"message", "too few examples"}, {"param", "training_file"}}}};
  const std::string page = renderHtmlReport(summaryWith({jobStage(job, nullptr)}));
  EXPECT_THAT(page, HasSubstr("<div class=\"error-box\"><strong>invalid_file</strong>: too few examples (parameter "
                              "<code>training_file</code>)</div>"));
  EXPECT_THAT(page, HasSubstr("<span class=\"status status-failed\">failed</span>"));
}

// evaluate/score's report (plugins/evaluate_score/README.md), trimmed to what the page shows.
json evaluationStage() {
  const json approach_base = {
      {"model", "gpt-4.1-mini"}, {"n", 5}, {"correct", 2}, {"unparsed", 2}, {"errors", 1}, {"accuracy", 0.4},
      {"accuracy_ci95", {0.11762, 0.76928}}, {"mean_absolute_error", nullptr}, {"usd_per_1k_requests", 1.8},
      {"confusion",
       {{"rows", {"negative", "positive"}}, {"columns", {"negative", "positive", "unparsed"}}, {"counts", {{1, 0, 1}, {1, 1, 1}}}}}};
  json approach_tuned = approach_base;
  approach_tuned["model"] = "ft:gpt-4.1-mini:acme::1";
  approach_tuned["accuracy"] = 0.8;
  approach_tuned["usd_per_1k_requests"] = 0.32;
  // Monthly cost: the prompt 1, 10, 100 at 10, 100, 1,000 requests/day; the fine-tuned model 10 flat.
  const json cost = {{"provider", "azure"},
                     {"pricing_as_of", "2025-08-15"},
                     {"training_usd", 10.0},
                     {"training_source", "option training_usd"},
                     {"hosting_per_hour", 1.7},
                     {"break_even", {{"kind", "at"}, {"requests_per_day", 100.0}}},
                     {"requests_per_day", 1000.0},
                     {"series",
                      {{{"requests_per_day", 10}, {"base_prompt_monthly_usd", 1.0}, {"fine_tuned_monthly_usd", 10.0}},
                       {{"requests_per_day", 100}, {"base_prompt_monthly_usd", 10.0}, {"fine_tuned_monthly_usd", 10.0}},
                       {{"requests_per_day", 1000}, {"base_prompt_monthly_usd", 100.0}, {"fine_tuned_monthly_usd", 10.0}}}}};
  json stage = {{"id", "score"}, {"uses", "evaluate/score"}, {"kind", "artifacts"}};
  stage["report"]["evaluation"] = {{"simulated", false},
                                   {"approaches", {{"base_prompt", approach_base}, {"fine_tuned", approach_tuned}}},
                                   {"cost", cost},
                                   {"accuracy_difference_points", 40.0},
                                   {"recommendation", "use the fine-tuned model: it is 40.0 points more accurate"}};
  return stage;
}

TEST(HtmlReportEvaluation, ShowsAccuracyWithIntervalsCostConfusionAndTheRecommendation) {
  const std::string page = renderHtmlReport(summaryWith({evaluationStage()}));
  EXPECT_THAT(page, HasSubstr("<a href=\"#evaluation\">Evaluation</a>"));
  EXPECT_THAT(page, HasSubstr("<strong>Recommendation:</strong> use the fine-tuned model: it is 40.0 points more accurate</p>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"num\">40.0%</td><td class=\"num\">11.8% \xE2\x80\x93 76.9%</td>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"num\">80.0%</td>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"num\">$1.80</td>"));   // per 1,000 requests
  EXPECT_THAT(page, HasSubstr("<td class=\"num\">$0.3200</td>"));
  EXPECT_THAT(page, HasSubstr("<dd>100 requests/day</dd>"));      // break-even
  // Two confusion matrices, with the unparsed column, the diagonal marked.
  EXPECT_EQ(occurrences(page, "<figure class=\"confusion\">"), 2u);
  EXPECT_THAT(page, HasSubstr("<th class=\"num\">unparsed</th>"));
  EXPECT_EQ(occurrences(page, "<td class=\"num diagonal\"><strong>1</strong></td>"), 4u);
  // Shown as a section, not again as raw JSON among the other stage reports.
  EXPECT_THAT(page, Not(HasSubstr("<code>evaluation</code>")));
  EXPECT_THAT(page, Not(HasSubstr("SIMULATED \xE2\x80\x94")));  // its simulated is false
}

// A replacement scorer (sdk/examples/scorer) reports the documented minimum and its metric: its
// numbers show the same way, and what it does not report (cost, confusion) is left out.
TEST(HtmlReportEvaluation, AReplacementScorersMinimalReportShowsTheSameWay) {
  json stage = {{"id", "score"}, {"uses", "acme/keyword_score"}, {"kind", "artifacts"}};
  stage["report"]["evaluation"] = {
      {"simulated", true},
      {"metric", "keyword match: a reply is right when it contains the expected answer"},
      {"approaches",
       {{"base_prompt",
         {{"model", "gpt-4o-mini"}, {"n", 12}, {"correct", 6}, {"accuracy", 0.5}, {"accuracy_ci95", {0.25381, 0.74619}}}},
        {"fine_tuned",
         {{"model", "gpt-4.1-mini"}, {"n", 12}, {"correct", 9}, {"errors", 0}, {"accuracy", 0.75},
          {"accuracy_ci95", {0.46769, 0.91108}}}}}},
      {"recommendation", "use the fine-tuned model: it is 25.0 points more accurate on keyword match"}};
  const std::string page = renderHtmlReport(summaryWith({stage}));
  EXPECT_THAT(page, HasSubstr("<section id=\"evaluation\">"));
  EXPECT_THAT(page, HasSubstr("stage <q>score</q> (<code>acme/keyword_score</code>)"));
  EXPECT_THAT(page, HasSubstr("<strong>Recommendation:</strong> use the fine-tuned model: it is 25.0 points more "
                              "accurate on keyword match</p>"));
  EXPECT_THAT(page, HasSubstr("<code>gpt-4o-mini</code></th><td class=\"num\">12</td><td class=\"num\">6</td>"
                              "<td class=\"num\">50.0%</td><td class=\"num\">25.4% \xE2\x80\x93 74.6%</td>"));
  EXPECT_THAT(page, HasSubstr("<code>gpt-4.1-mini</code></th><td class=\"num\">12</td><td class=\"num\">9</td>"
                              "<td class=\"num\">75.0%</td><td class=\"num\">46.8% \xE2\x80\x93 91.1%</td>"));
  EXPECT_THAT(page, HasSubstr("<dt>metric</dt><dd>keyword match: a reply is right when it contains the expected "
                              "answer</dd>"));
  // Its own simulated flag labels the block and the page, as a simulated job's does.
  EXPECT_THAT(page, HasSubstr("<span class=\"badge badge-simulated\">simulated</span>"));
  EXPECT_THAT(page, HasSubstr("SIMULATED \xE2\x80\x94 produced by ajuste-emulator"));
  EXPECT_EQ(chart(page, "break-even-chart"), "");
  EXPECT_THAT(page, Not(HasSubstr("<figure class=\"confusion\">")));
  EXPECT_THAT(page, Not(HasSubstr("<dt>break-even</dt>")));
  EXPECT_THAT(page, Not(HasSubstr("<code>evaluation</code>")));
}

TEST(HtmlReportEvaluation, TheBreakEvenChartIsLogLogWithBothCurvesAndMarks) {
  const std::string svg = chart(renderHtmlReport(summaryWith({evaluationStage()})), "break-even-chart");
  ASSERT_FALSE(svg.empty());
  // x: log10 of 10..1,000 across the plot; y: the decades $1..$100 from bottom to top.
  const report::ChartFrame f;
  const double bottom = f.top + f.plotHeight();
  const auto x = [&](double decade) { return f.left + (decade - 1) / 2 * f.plotWidth(); };
  const auto y = [&](double decade) { return bottom - decade / 2 * f.plotHeight(); };
  const auto base = attributes(svg, "<polyline class=\"cost base-prompt\"", "points");
  ASSERT_EQ(base.size(), 1u);
  const auto base_points = points(base[0]);
  ASSERT_EQ(base_points.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(base_points[i].first, x(1.0 + static_cast<double>(i)), 0.01);
    EXPECT_NEAR(base_points[i].second, y(static_cast<double>(i)), 0.01);
  }
  const auto tuned = attributes(svg, "<polyline class=\"cost fine-tuned\"", "points");
  ASSERT_EQ(tuned.size(), 1u);
  for (const auto& [px, py] : points(tuned[0])) EXPECT_NEAR(py, y(1), 0.01);
  const auto even = numbers(attributes(svg, "<line class=\"break-even\"", "x1"));
  ASSERT_EQ(even.size(), 1u);
  EXPECT_NEAR(even[0], x(2), 0.01);
  EXPECT_EQ(attributes(svg, "<line class=\"volume\"", "x1").size(), 1u);
  EXPECT_THAT(svg, HasSubstr(">break-even: 100/day</text>"));
  EXPECT_THAT(svg, HasSubstr(">prompted base model</text>"));
  EXPECT_THAT(svg, HasSubstr(">fine-tuned model</text>"));
  EXPECT_THAT(svg, HasSubstr(">1,000</text>"));
  // Unusable volumes draw nothing.
  EXPECT_EQ(report::breakEvenChartSvg({10, 10}, {{"a", "a", "#000", {1, 2}}}, std::nullopt, std::nullopt), "");
}

TEST(HtmlReportSimulated, BannerAppearsIffAJobOrTheSummaryIsSimulated) {
  constexpr std::string_view kBanner = "SIMULATED \xE2\x80\x94 produced by ajuste-emulator, not a real provider";
  const std::string real = renderHtmlReport(summaryWith({jobStage({{"simulated", false}}, nullptr)}));
  EXPECT_THAT(real, Not(HasSubstr(std::string(kBanner))));
  EXPECT_THAT(real, Not(HasSubstr("simulated</span>")));

  const std::string job = renderHtmlReport(summaryWith({jobStage({{"simulated", true}}, nullptr)}));
  EXPECT_EQ(occurrences(job, kBanner), 1u);
  EXPECT_THAT(job, HasSubstr("<span class=\"badge badge-simulated\">simulated</span>"));
  EXPECT_THAT(job, HasSubstr("<title>[SIMULATED] demo"));

  json whole = summaryWith({jobStage({{"status", "running"}}, nullptr)});
  whole["simulated"] = true;
  const std::string page = renderHtmlReport(whole);
  EXPECT_EQ(occurrences(page, kBanner), 1u);
  EXPECT_THAT(page, HasSubstr("<span class=\"badge badge-simulated\">simulated</span>"));

  json no_job = summaryWith(json::array());
  no_job["simulated"] = true;
  EXPECT_EQ(occurrences(renderHtmlReport(no_job), kBanner), 1u);
  no_job["simulated"] = "yes";  // only a real true counts
  EXPECT_EQ(occurrences(renderHtmlReport(no_job), kBanner), 0u);
}

TEST(HtmlReportEscaping, UserStringsNeverBecomeMarkup) {
  json stage = statsStage(distribution());
  stage["id"] = "<script>alert('id')</script>";
  stage["report"]["statistics"]["labels"] = {
      {"distinct", 1}, {"top", {{{"label", "<script>alert(1)</script>"}, {"count", 3}, {"share", 0.5}}}}};
  stage["counters"] = {{"<b>bold</b>", 1}};
  json summary = summaryWith({stage});
  summary["name"] = "\"><img src=x onerror=alert(1)>";
  summary["artifacts"] = {{"<i>name</i>", {{"path", "a&b.jsonl"}}}};
  summary["outputs"] = {{{"stage", "s"}, {"name", "train"}, {"path", "</td><script>x</script>"}, {"records", 1}}};
  const std::string page = renderHtmlReport(summary);
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("<img")));
  EXPECT_THAT(page, Not(HasSubstr("<b>bold")));
  EXPECT_THAT(page, Not(HasSubstr("<i>name")));
  EXPECT_THAT(page, HasSubstr("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  EXPECT_THAT(page, HasSubstr("<h1>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>"));
  EXPECT_THAT(page, HasSubstr("a&amp;b.jsonl"));
}

TEST(HtmlReportEscaping, InvalidUtf8AndControlCharactersBecomeReplacementCharacters) {
  json summary = summaryWith(json::array());
  summary["name"] = std::string("bad \xC3\x28 byte \x01 and \xE2\x80\xA6 ok");
  std::string page;
  ASSERT_NO_THROW(page = renderHtmlReport(summary));
  EXPECT_THAT(page, HasSubstr("<h1>bad \xEF\xBF\xBD( byte \xEF\xBF\xBD and \xE2\x80\xA6 ok</h1>"));
}

TEST(HtmlReportSelfContained, NoExternalReferenceEvenWhenUserTextHoldsAUrl) {
  for (const char* fixture : {"full_summary.json", "failed_summary.json"}) {
    json summary = readJson(kFixtures / fixture);
    summary["name"] = "see https://example.com/x and http://example.org";
    const std::string page = renderHtmlReport(summary);
    for (const char* forbidden : {"http://", "https://", "src=", "href=\"http", "url(", "@import", "<script", "<link",
                                  "<img", "<iframe", "<object"}) {
      EXPECT_THAT(page, Not(HasSubstr(forbidden))) << fixture;
    }
    EXPECT_THAT(page, HasSubstr("see https&#58;//example.com/x"));
    EXPECT_THAT(page, HasSubstr("default-src 'none'"));
  }
}

TEST(HtmlReportPartial, MissingOrMistypedDataDropsSectionsWithoutThrowing) {
  const std::vector<std::string> summaries = {
      R"(null)",
      R"([])",
      R"("text")",
      R"({})",
      R"({"stages": 5, "records": "x", "rejects": {"by_stage": {"a": "b"}}, "outputs": [1, "x"]})",
      R"({"stages": [null, 1, "x", {"report": []}, {"report": {"statistics": 3}}]})",
      R"({"stages": [{"report": {"statistics": {"tokens_per_example": {"histogram": {"edges": "x", "counts": [1]}},
                                                 "cost": {"estimates": [1, {"usd": "free"}]}},
                                  "findings": ["x", {"severity": 3}]}}]})",
      R"({"stages": [{"report": {"job": {"checkpoints": [1, {"step": "x"}], "error": "text", "trained_tokens": "many"},
                                  "metrics": {"step": [1, "two", null], "train_loss": "x", "valid_loss": [null, [1], 3]}}}]})",
      R"({"stages": [{"report": {"split": {"openai": {"train": {"labels": {"a": "b"}}, "valid": 1}}}}]})",
      R"({"seconds": "long", "status": 7, "error": "boom", "artifacts": {"x": null}})",
  };
  for (const std::string& text : summaries) {
    const json summary = json::parse(text);
    std::string page;
    ASSERT_NO_THROW(page = renderHtmlReport(summary)) << summary.dump();
    EXPECT_THAT(page, HasSubstr("</html>")) << summary.dump();
  }
  const std::string empty = renderHtmlReport(json::object());
  for (const char* section : {"id=\"records\"", "id=\"stages\"", "id=\"dataset\"", "id=\"job\"", "id=\"artifacts\"",
                              "<nav>", "<svg"}) {
    EXPECT_THAT(empty, Not(HasSubstr(section)));
  }
}

TEST(HtmlReportPartial, AFailedRunShowsItsStatusErrorAndWhatItHas) {
  const std::string page = renderHtmlReport(readJson(kFixtures / "failed_summary.json"));
  EXPECT_THAT(page, HasSubstr("<span class=\"status status-failed\">failed</span>"));
  EXPECT_THAT(page, HasSubstr("<strong>provider error</strong>: stage &#39;monitor&#39; (monitor/openai)"));
  EXPECT_THAT(page, HasSubstr("does not balance"));
  EXPECT_THAT(page, HasSubstr("id=\"stages\""));
  EXPECT_THAT(page, HasSubstr("id=\"job\""));
  EXPECT_THAT(page, Not(HasSubstr("id=\"artifacts\"")));
  EXPECT_THAT(page, Not(HasSubstr("id=\"dataset\"")));
  EXPECT_THAT(page, Not(HasSubstr("SIMULATED")));
}

TEST(HtmlReportFixture, TheFullRunHasEverySectionAndChart) {
  const json summary = readJson(kFixtures / "full_summary.json");
  const std::string page = renderHtmlReport(summary);
  for (const char* part : {"id=\"records\"", "id=\"stages\"", "id=\"dataset\"", "id=\"job\"", "id=\"artifacts\""}) {
    EXPECT_THAT(page, HasSubstr(part));
  }
  EXPECT_EQ(occurrences(page, "<svg class=\"chart histogram\""), 2u);    // stats + the training split
  EXPECT_EQ(occurrences(page, "<svg class=\"chart box-summary\""), 1u);  // the validation split has no histogram
  EXPECT_EQ(occurrences(page, "<svg class=\"chart line-chart\""), 2u);   // loss and accuracy
  EXPECT_EQ(occurrences(page, "<svg class=\"chart comparison\""), 1u);
  EXPECT_EQ(occurrences(chart(page, "histogram"), "<rect"), 6u);
  EXPECT_THAT(page, HasSubstr("SIMULATED \xE2\x80\x94 produced by ajuste-emulator"));
  // Artifact values are compact JSON, cut with an ellipsis.
  EXPECT_THAT(page, HasSubstr("xxxx\xE2\x80\xA6</code>"));
}

TEST(HtmlReportDeterminism, TheSameSummaryGivesTheSameBytes) {
  const json summary = readJson(kFixtures / "full_summary.json");
  const std::string first = renderHtmlReport(summary);
  EXPECT_EQ(first, renderHtmlReport(summary));
  EXPECT_EQ(first, renderHtmlReport(json::parse(summary.dump())));
}

TEST(HtmlReportWrite, WritesThePageWithSecretsBlanked) {
  Redactor::instance().add("sk-<secret>&1234");
  json summary = summaryWith(json::array());
  summary["error"] = {{"kind", "provider error"}, {"message", "key sk-<secret>&1234 refused"}};
  const auto path = std::filesystem::temp_directory_path() / ("ajuste-report-test-" + std::to_string(::getpid()) + ".html");
  const Status written = writeHtmlReport(summary, path);
  Redactor::instance().clearForTesting();
  ASSERT_TRUE(written.isOk()) << written.toString();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(path);
  EXPECT_THAT(text.str(), HasSubstr("key *** refused"));
  EXPECT_THAT(text.str(), Not(HasSubstr("secret")));
}

TEST(HtmlText, FormatsNumbersTheSameEverywhere) {
  EXPECT_EQ(report::formatInteger(std::uint64_t{54702}), "54,702");
  EXPECT_EQ(report::formatInteger(std::int64_t{-1234567}), "-1,234,567");
  EXPECT_EQ(report::formatInteger(std::int64_t{999}), "999");
  EXPECT_EQ(report::formatReadable(3.0), "3");
  EXPECT_EQ(report::formatReadable(53.31578947368421), "53.32");
  EXPECT_EQ(report::formatReadable(12345.67), "12,345.7");
  EXPECT_EQ(report::formatReadable(0.27485380116959063), "0.2749");
  EXPECT_EQ(report::formatReadable(0.0001234), "0.000123");
  EXPECT_EQ(report::formatFixed(-0.0001, 2), "0.00");
  EXPECT_EQ(report::formatCoordinate(12.5), "12.5");
  EXPECT_EQ(report::formatCoordinate(40.0), "40");
  EXPECT_EQ(report::formatUsd(0.164106), "$0.1641");
  EXPECT_EQ(report::formatUsd(1367.55), "$1,367.55");
  EXPECT_EQ(report::formatDuration(0.105895738), "0.11 s");
  EXPECT_EQ(report::formatDuration(252.4), "4 min 12 s");
  EXPECT_EQ(report::formatDuration(7380), "2 h 03 min");
  EXPECT_EQ(report::truncateText("a\xC3\xA7\xC3\xA3o", 2), "a\xC3\xA7\xE2\x80\xA6");
}

TEST(SvgChart, NiceAxisRoundsOutToFriendlySteps) {
  const auto axis = [](double low, double high, int ticks, bool integer) {
    const report::NiceAxis a = report::niceAxis(low, high, ticks, integer);
    return std::vector<double>{a.low, a.high, a.step};
  };
  EXPECT_THAT(axis(0, 2.0, 5, false), ElementsAre(0, 2.0, 0.5));
  EXPECT_THAT(axis(0, 0.93, 5, false), ElementsAre(0, 1.0, 0.2));
  EXPECT_THAT(axis(0, 120, 5, true), ElementsAre(0, 125, 25));
  EXPECT_THAT(axis(0, 3, 5, true), ElementsAre(0, 3, 1));
  EXPECT_THAT(axis(5, 5, 5, true), ElementsAre(5, 6, 1));
}

}  // namespace
}  // namespace ajuste
