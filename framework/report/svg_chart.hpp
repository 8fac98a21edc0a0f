#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Charts for the HTML report, drawn as inline SVG text: no script, no external resource, the
// same input gives the same bytes. Every string argument is escaped here; callers pass raw text.
namespace ajuste::report {

// Where a chart draws. Public so tests can compute the coordinates they expect.
struct ChartFrame {
  double width = 640;
  double height = 260;
  double left = 64;    // y tick labels and the y axis title
  double right = 20;
  double top = 28;     // the legend
  double bottom = 48;  // x tick labels and the x axis title
  [[nodiscard]] double plotWidth() const { return width - left - right; }
  [[nodiscard]] double plotHeight() const { return height - top - bottom; }
};

// Axis bounds rounded out to a "nice" step (1, 2, 2.5 or 5 times a power of ten) for about
// `target_ticks` ticks; `integer_steps` keeps the step a whole number (for counts).
// A degenerate range (high <= low, or not finite) becomes [low, low + 1].
struct NiceAxis {
  double low = 0;
  double high = 1;
  double step = 1;
};
[[nodiscard]] NiceAxis niceAxis(double low, double high, int target_ticks, bool integer_steps);

// Bar chart of a histogram: `edges` has one more entry than `counts`, strictly increasing and
// finite; counts are >= 0. Draws exactly one <rect class="bar"> per non-empty bin and no other
// rect; a bar's height is count / niceAxis(0, max count, 5, true).high * plotHeight().
// Returns "" when the data cannot be drawn (sizes, order, non-finite or negative values).
[[nodiscard]] std::string histogramSvg(const std::vector<double>& edges, const std::vector<double>& counts,
                                       std::string_view x_title, std::string_view y_title,
                                       const ChartFrame& frame = {});

struct LineSeries {
  std::string name;                          // legend text
  std::string css_class;                     // "train", "valid": the polylines' class is "line <css_class>"
  std::string colour;                        // "#2563eb"
  std::vector<std::optional<double>> values; // one per x; nullopt is a missing value
};

// Line chart. `x` has one entry per point (nullopt: the point has no position and is skipped);
// series shorter than `x` are missing their last values. The x range is exactly the data's, so
// the first point sits on the left edge of the plot and the last on the right; the y range is
// niceAxis(min(0, lowest), highest, 5, false).
// Gaps: a series with a value at most steps of its span is drawn as one polyline per run of
// consecutive values (a missing value breaks the line; a lone value is a <circle>). A series
// with values at fewer than half of the steps of its span is sampled (validation loss every N
// steps): its points are joined across the missing ones, and marked.
// Returns "" when no series has a drawable point.
[[nodiscard]] std::string lineChartSvg(const std::vector<std::optional<double>>& x,
                                       const std::vector<LineSeries>& series, std::string_view x_title,
                                       std::string_view y_title, const ChartFrame& frame = {});

struct ComparisonBar {
  std::string label;       // "estimated billed tokens"
  double value = 0;        // >= 0
  std::string value_text;  // "54,702"
  std::string colour;
};
struct ComparisonGroup {
  std::string title;  // "Tokens"
  std::vector<ComparisonBar> bars;
};

// Horizontal bars, one row per bar, each group on its own scale (its largest value is the full
// width), so tokens and dollars can share a chart. Returns "" when there is no bar.
[[nodiscard]] std::string comparisonBarsSvg(const std::vector<ComparisonGroup>& groups, double width = 640);

struct FiveNumbers {
  double min = 0;
  double p5 = 0;
  double median = 0;
  double p95 = 0;
  double max = 0;
};

// A box-like summary on one axis: whiskers from min to max, a box from p5 to p95, a line at the
// median. Returns "" unless min <= p5 <= median <= p95 <= max, all finite.
[[nodiscard]] std::string boxSummarySvg(const FiveNumbers& numbers, std::string_view x_title, double width = 640);

struct CostCurve {
  std::string name;                // legend text
  std::string css_class;           // the polyline's class is "cost <css_class>"
  std::string colour;
  std::vector<double> monthly_usd; // one per volume
};

// Monthly cost against requests per day, both axes logarithmic (costs from 10 to 1M requests a
// day span five decades), ticks at powers of ten. `requests_per_day` must be strictly increasing
// and > 0; a cost that is not finite and > 0 leaves its point out. Draws one
// <polyline class="cost ..."> per curve with two or more points, the first volume on the left
// edge of the plot and the last on the right; `break_even` (when inside the range) as a dashed
// vertical <line class="break-even"> with its label, and `volume` (the declared one) as a dotted
// <line class="volume">. Returns "" when the volumes are unusable or no curve can be drawn.
[[nodiscard]] std::string breakEvenChartSvg(const std::vector<double>& requests_per_day,
                                            const std::vector<CostCurve>& curves, std::optional<double> break_even,
                                            std::optional<double> volume, const ChartFrame& frame = {});

}  // namespace ajuste::report
