#include "report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "report/html_text.hpp"

namespace ajuste::report {
namespace {

constexpr std::string_view kAxisColour = "#4b5563";
constexpr std::string_view kGridColour = "#e5e7eb";
constexpr std::string_view kBarColour = "#3b82f6";

std::string num(double value) { return formatCoordinate(value); }

// The opening tag: sized by its viewBox so CSS can scale it down on narrow screens and paper.
std::string openSvg(std::string_view kind, double width, double height, std::string_view label) {
  return "<svg class=\"chart " + std::string(kind) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" width=\"" + num(width) + "\" height=\"" + num(height) + "\" role=\"img\" aria-label=\"" +
         escapeHtml(label) + "\" font-size=\"11\">\n<title>" + escapeHtml(label) + "</title>\n";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view colour, double stroke_width = 1) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
         "\" stroke=\"" + std::string(colour) + "\" stroke-width=\"" + num(stroke_width) + "\"/>\n";
}

std::string text(double x, double y, std::string_view anchor, std::string_view content,
                 std::string_view extra = {}) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + std::string(anchor) + "\"" +
         (extra.empty() ? "" : " " + std::string(extra)) + ">" + escapeHtml(content) + "</text>\n";
}

std::vector<double> ticks(const NiceAxis& axis) {
  std::vector<double> out;
  const double tolerance = axis.step * 1e-9;
  for (int i = 0; i < 1000; ++i) {
    const double value = axis.low + axis.step * i;
    if (value > axis.high + tolerance) break;
    out.push_back(value);
  }
  return out;
}

// Horizontal grid lines with labelled ticks on the y axis, and the axis titles.
std::string yAxis(const ChartFrame& frame, const NiceAxis& axis, std::string_view x_title, std::string_view y_title) {
  std::string out;
  const double bottom = frame.top + frame.plotHeight();
  for (const double tick : ticks(axis)) {
    const double y = bottom - (tick - axis.low) / (axis.high - axis.low) * frame.plotHeight();
    out += line(frame.left, y, frame.left + frame.plotWidth(), y, kGridColour);
    out += text(frame.left - 6, y + 4, "end", formatReadable(tick));
  }
  out += line(frame.left, frame.top, frame.left, bottom, kAxisColour);
  out += line(frame.left, bottom, frame.left + frame.plotWidth(), bottom, kAxisColour);
  out += text(frame.left + frame.plotWidth() / 2, frame.height - 8, "middle", x_title);
  const double middle = frame.top + frame.plotHeight() / 2;
  out += text(14, middle, "middle", y_title, "transform=\"rotate(-90 14 " + num(middle) + ")\"");
  return out;
}

bool allFinite(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace

NiceAxis niceAxis(double low, double high, int target_ticks, bool integer_steps) {
  if (!std::isfinite(low)) low = 0;
  if (!std::isfinite(high) || high <= low) high = low + 1;
  if (target_ticks < 1) target_ticks = 1;
  const double raw = (high - low) / target_ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double residual = raw / magnitude;
  const double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10;
  double step = nice * magnitude;
  if (integer_steps) step = std::max(1.0, std::ceil(step));
  // The small tolerance keeps 0.30000000000000004 / 0.1 from adding a whole step.
  NiceAxis axis;
  axis.step = step;
  axis.low = std::floor(low / step + 1e-9) * step;
  axis.high = std::ceil(high / step - 1e-9) * step;
  if (axis.high <= axis.low) axis.high = axis.low + step;
  return axis;
}

std::string histogramSvg(const std::vector<double>& edges, const std::vector<double>& counts,
                         std::string_view x_title, std::string_view y_title, const ChartFrame& frame) {
  if (counts.empty() || edges.size() != counts.size() + 1 || !allFinite(edges) || !allFinite(counts)) return {};
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    if (!(edges[i] < edges[i + 1])) return {};
  }
  if (std::any_of(counts.begin(), counts.end(), [](double c) { return c < 0; })) return {};

  const double max_count = *std::max_element(counts.begin(), counts.end());
  const NiceAxis axis = niceAxis(0, max_count, 5, true);
  const double first = edges.front();
  const double span = edges.back() - first;
  const double bottom = frame.top + frame.plotHeight();
  const auto xOf = [&](double edge) { return frame.left + (edge - first) / span * frame.plotWidth(); };

  std::string out = openSvg("histogram", frame.width, frame.height, std::string(x_title) + " histogram");
  out += yAxis(frame, axis, x_title, y_title);
  const bool label_bars = counts.size() <= 24;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] <= 0) continue;
    double x0 = xOf(edges[i]);
    double x1 = xOf(edges[i + 1]);
    if (x1 - x0 > 3) {  // a hairline gap between neighbours, when there is room for one
      x0 += 0.5;
      x1 -= 0.5;
    }
    const double height = counts[i] / axis.high * frame.plotHeight();
    const std::string tip = formatReadable(edges[i]) + "\xE2\x80\x93" + formatReadable(edges[i + 1]) + ": " +
                            formatReadable(counts[i]);
    out += "<rect class=\"bar\" x=\"" + num(x0) + "\" y=\"" + num(bottom - height) + "\" width=\"" + num(x1 - x0) +
           "\" height=\"" + num(height) + "\" fill=\"" + std::string(kBarColour) + "\"><title>" + escapeHtml(tip) +
           "</title></rect>\n";
    if (label_bars) out += text((x0 + x1) / 2, bottom - height - 3, "middle", formatReadable(counts[i]), "font-size=\"10\"");
  }
  // Edge labels, thinned so they do not collide.
  const std::size_t every = (edges.size() + 7) / 8;
  for (std::size_t i = 0; i < edges.size(); i += every) {
    const double x = xOf(edges[i]);
    out += line(x, bottom, x, bottom + 4, kAxisColour);
    out += text(x, bottom + 16, "middle", formatReadable(edges[i]));
  }
  out += "</svg>\n";
  return out;
}

std::string lineChartSvg(const std::vector<std::optional<double>>& x, const std::vector<LineSeries>& series,
                         std::string_view x_title, std::string_view y_title, const ChartFrame& frame) {
  const auto valueAt = [&](const LineSeries& s, std::size_t i) -> std::optional<double> {
    if (i >= x.size() || !x[i] || !std::isfinite(*x[i]) || i >= s.values.size() || !s.values[i] ||
        !std::isfinite(*s.values[i])) {
      return std::nullopt;
    }
    return s.values[i];
  };
  double x_low = 0, x_high = 0, y_low = 0, y_high = 0;
  bool any = false;
  for (const LineSeries& s : series) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto value = valueAt(s, i);
      if (!value) continue;
      if (!any) {
        x_low = x_high = *x[i];
        y_low = y_high = *value;
        any = true;
      }
      x_low = std::min(x_low, *x[i]);
      x_high = std::max(x_high, *x[i]);
      y_low = std::min(y_low, *value);
      y_high = std::max(y_high, *value);
    }
  }
  if (!any) return {};
  if (x_high <= x_low) {  // one step: centre it
    x_low -= 1;
    x_high += 1;
  }
  const NiceAxis y_axis = niceAxis(std::min(0.0, y_low), y_high, 5, false);
  const double bottom = frame.top + frame.plotHeight();
  const auto px = [&](double v) { return frame.left + (v - x_low) / (x_high - x_low) * frame.plotWidth(); };
  const auto py = [&](double v) { return bottom - (v - y_axis.low) / (y_axis.high - y_axis.low) * frame.plotHeight(); };

  std::string out = openSvg("line-chart", frame.width, frame.height, std::string(y_title) + " by " + std::string(x_title));
  out += yAxis(frame, y_axis, x_title, y_title);
  const NiceAxis x_axis = niceAxis(x_low, x_high, 6, true);
  for (const double tick : ticks(x_axis)) {
    if (tick < x_low || tick > x_high) continue;
    out += line(px(tick), bottom, px(tick), bottom + 4, kAxisColour);
    out += text(px(tick), bottom + 16, "middle", formatReadable(tick));
  }

  double legend_x = frame.left + frame.plotWidth();
  std::string legend;
  for (auto it = series.rbegin(); it != series.rend(); ++it) {  // right-aligned, drawn last to first
    const LineSeries& s = *it;
    std::size_t first = x.size(), last = 0, present = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!valueAt(s, i)) continue;
      first = std::min(first, i);
      last = i;
      ++present;
    }
    if (present == 0) continue;
    const bool sampled = present * 2 < last - first + 1;
    const std::string attributes = "class=\"line " + s.css_class + "\" fill=\"none\" stroke=\"" + s.colour +
                                   "\" stroke-width=\"2\" stroke-linejoin=\"round\"";
    const auto dot = [&](std::size_t i) {
      return "<circle class=\"point " + s.css_class + "\" cx=\"" + num(px(*x[i])) + "\" cy=\"" +
             num(py(*valueAt(s, i))) + "\" r=\"2.5\" fill=\"" + s.colour + "\"/>\n";
    };
    std::vector<std::vector<std::size_t>> runs;
    for (std::size_t i = first; i <= last; ++i) {
      if (!valueAt(s, i)) {
        if (!sampled && !runs.empty() && !runs.back().empty()) runs.emplace_back();
        continue;
      }
      if (runs.empty()) runs.emplace_back();
      runs.back().push_back(i);
    }
    std::string drawn;
    for (const auto& run : runs) {
      if (run.empty()) continue;
      if (run.size() == 1) {
        drawn += dot(run.front());
        continue;
      }
      drawn += "<polyline " + attributes + " points=\"";
      for (std::size_t k = 0; k < run.size(); ++k) {
        drawn += (k == 0 ? "" : " ") + num(px(*x[run[k]])) + "," + num(py(*valueAt(s, run[k])));
      }
      drawn += "\"/>\n";
      if (sampled && run.size() <= 200) {
        for (const std::size_t i : run) drawn += dot(i);
      }
    }
    out += drawn;
    // Legend entry: a short stroke and the name; about 7 px per character at this size.
    const double text_width = 7.0 * static_cast<double>(s.name.size());
    legend_x -= text_width;
    legend += text(legend_x, frame.top - 10, "start", s.name);
    legend += line(legend_x - 22, frame.top - 14, legend_x - 6, frame.top - 14, s.colour, 2);
    legend_x -= 34;
  }
  out += "<g class=\"legend\">\n" + legend + "</g>\n</svg>\n";
  return out;
}

std::string comparisonBarsSvg(const std::vector<ComparisonGroup>& groups, double width) {
  constexpr double kLabelWidth = 210;
  constexpr double kValueWidth = 110;
  constexpr double kRow = 24;
  constexpr double kTitleRow = 22;
  const double bar_space = std::max(40.0, width - kLabelWidth - kValueWidth);
  std::string body;
  double y = 4;
  for (const ComparisonGroup& group : groups) {
    if (group.bars.empty()) continue;
    double largest = 0;
    for (const ComparisonBar& bar : group.bars) {
      if (std::isfinite(bar.value)) largest = std::max(largest, bar.value);
    }
    body += text(0, y + 15, "start", group.title, "font-weight=\"bold\"");
    y += kTitleRow;
    for (const ComparisonBar& bar : group.bars) {
      const double value = std::isfinite(bar.value) && bar.value > 0 ? bar.value : 0;
      double length = largest > 0 ? value / largest * bar_space : 0;
      if (value > 0 && length < 1) length = 1;
      body += text(kLabelWidth - 8, y + 15, "end", bar.label);
      body += "<rect class=\"compare\" x=\"" + num(kLabelWidth) + "\" y=\"" + num(y + 3) + "\" width=\"" +
              num(length) + "\" height=\"" + num(kRow - 6) + "\" fill=\"" + bar.colour + "\"><title>" +
              escapeHtml(bar.label + ": " + bar.value_text) + "</title></rect>\n";
      body += text(kLabelWidth + length + 6, y + 15, "start", bar.value_text);
      y += kRow;
    }
    y += 6;
  }
  if (body.empty()) return {};
  return openSvg("comparison", width, y, "estimate versus actual") + body + "</svg>\n";
}

std::string boxSummarySvg(const FiveNumbers& n, std::string_view x_title, double width) {
  const std::vector<double> values{n.min, n.p5, n.median, n.p95, n.max};
  if (!allFinite(values) || !std::is_sorted(values.begin(), values.end())) return {};
  constexpr double kHeight = 96;
  constexpr double kLeft = 24;
  constexpr double kRight = 24;
  constexpr double kMiddle = 34;
  const NiceAxis axis = niceAxis(n.min, n.max, 6, false);
  const double plot = width - kLeft - kRight;
  const auto px = [&](double v) { return kLeft + (v - axis.low) / (axis.high - axis.low) * plot; };
  std::string out = openSvg("box-summary", width, kHeight, std::string(x_title) + " summary");
  out += line(px(n.min), kMiddle, px(n.max), kMiddle, kAxisColour);
  out += line(px(n.min), kMiddle - 8, px(n.min), kMiddle + 8, kAxisColour);
  out += line(px(n.max), kMiddle - 8, px(n.max), kMiddle + 8, kAxisColour);
  out += "<rect class=\"box\" x=\"" + num(px(n.p5)) + "\" y=\"" + num(kMiddle - 12) + "\" width=\"" +
         num(std::max(1.0, px(n.p95) - px(n.p5))) + "\" height=\"24\" fill=\"#bfdbfe\" stroke=\"" +
         std::string(kBarColour) + "\"><title>" +
         escapeHtml("p5 " + formatReadable(n.p5) + " to p95 " + formatReadable(n.p95)) + "</title></rect>\n";
  out += line(px(n.median), kMiddle - 12, px(n.median), kMiddle + 12, "#1e3a8a", 2);
  const double axis_y = kMiddle + 22;
  out += line(kLeft, axis_y, kLeft + plot, axis_y, kAxisColour);
  for (const double tick : ticks(axis)) {
    out += line(px(tick), axis_y, px(tick), axis_y + 4, kAxisColour);
    out += text(px(tick), axis_y + 15, "middle", formatReadable(tick));
  }
  out += text(kLeft + plot / 2, kHeight - 4, "middle",
              std::string(x_title) + " (whiskers min\xE2\x80\x93max, box p5\xE2\x80\x93p95, line median)");
  out += "</svg>\n";
  return out;
}

std::string breakEvenChartSvg(const std::vector<double>& requests_per_day, const std::vector<CostCurve>& curves,
                              std::optional<double> break_even, std::optional<double> volume, const ChartFrame& frame) {
  if (requests_per_day.size() < 2 || !allFinite(requests_per_day) || requests_per_day.front() <= 0) return {};
  for (std::size_t i = 0; i + 1 < requests_per_day.size(); ++i) {
    if (!(requests_per_day[i] < requests_per_day[i + 1])) return {};
  }
  const auto drawable = [](double usd) { return std::isfinite(usd) && usd > 0; };
  double y_low = 0, y_high = 0;
  bool any = false;
  for (const CostCurve& curve : curves) {
    for (std::size_t i = 0; i < curve.monthly_usd.size() && i < requests_per_day.size(); ++i) {
      const double usd = curve.monthly_usd[i];
      if (!drawable(usd)) continue;
      y_low = any ? std::min(y_low, usd) : usd;
      y_high = any ? std::max(y_high, usd) : usd;
      any = true;
    }
  }
  if (!any) return {};
  // Whole decades on the cost axis, at least one.
  const double decade_low = std::floor(std::log10(y_low));
  const double decade_high = std::max(decade_low + 1, std::ceil(std::log10(y_high)));
  const double x_low = std::log10(requests_per_day.front());
  const double x_high = std::log10(requests_per_day.back());
  const double bottom = frame.top + frame.plotHeight();
  const auto px = [&](double r) { return frame.left + (std::log10(r) - x_low) / (x_high - x_low) * frame.plotWidth(); };
  const auto py = [&](double usd) {
    return bottom - (std::log10(usd) - decade_low) / (decade_high - decade_low) * frame.plotHeight();
  };

  std::string out = openSvg("break-even-chart", frame.width, frame.height, "monthly cost by requests per day");
  for (double decade = decade_low; decade <= decade_high + 1e-9; ++decade) {
    const double y = py(std::pow(10.0, decade));
    out += line(frame.left, y, frame.left + frame.plotWidth(), y, kGridColour);
    out += text(frame.left - 6, y + 4, "end", formatUsd(std::pow(10.0, decade)));
  }
  for (double decade = std::ceil(x_low - 1e-9); decade <= x_high + 1e-9; ++decade) {
    const double x = px(std::pow(10.0, decade));
    out += line(x, bottom, x, bottom + 4, kAxisColour);
    out += text(x, bottom + 16, "middle", formatReadable(std::pow(10.0, decade)));
  }
  out += line(frame.left, frame.top, frame.left, bottom, kAxisColour);
  out += line(frame.left, bottom, frame.left + frame.plotWidth(), bottom, kAxisColour);
  out += text(frame.left + frame.plotWidth() / 2, frame.height - 8, "middle", "requests per day (log scale)");
  const double middle = frame.top + frame.plotHeight() / 2;
  out += text(14, middle, "middle", "USD per month (log scale)", "transform=\"rotate(-90 14 " + num(middle) + ")\"");

  const auto inside = [&](std::optional<double> r) {
    return r && std::isfinite(*r) && *r >= requests_per_day.front() && *r <= requests_per_day.back();
  };
  if (inside(volume)) {
    out += "<line class=\"volume\" x1=\"" + num(px(*volume)) + "\" y1=\"" + num(frame.top) + "\" x2=\"" +
           num(px(*volume)) + "\" y2=\"" + num(bottom) + "\" stroke=\"" + std::string(kAxisColour) +
           "\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n";
    out += text(px(*volume) + 4, bottom - 6, "start", "your volume: " + formatReadable(*volume) + "/day");
  }
  if (inside(break_even)) {
    out += "<line class=\"break-even\" x1=\"" + num(px(*break_even)) + "\" y1=\"" + num(frame.top) + "\" x2=\"" +
           num(px(*break_even)) + "\" y2=\"" + num(bottom) + "\" stroke=\"#b91c1c\" stroke-width=\"1.5\" "
           "stroke-dasharray=\"6 4\"/>\n";
    out += text(px(*break_even) + 4, frame.top + 12, "start",
                "break-even: " + formatReadable(std::ceil(*break_even)) + "/day", "fill=\"#b91c1c\"");
  }
  double legend_x = frame.left;
  for (const CostCurve& curve : curves) {
    std::string points;
    std::size_t drawn = 0;
    for (std::size_t i = 0; i < curve.monthly_usd.size() && i < requests_per_day.size(); ++i) {
      if (!drawable(curve.monthly_usd[i])) continue;
      points += (drawn++ == 0 ? "" : " ") + num(px(requests_per_day[i])) + "," + num(py(curve.monthly_usd[i]));
    }
    if (drawn < 2) continue;
    out += "<polyline class=\"cost " + curve.css_class + "\" fill=\"none\" stroke=\"" + curve.colour +
           "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"" + points + "\"/>\n";
    out += line(legend_x, frame.top - 14, legend_x + 18, frame.top - 14, curve.colour, 2);
    out += text(legend_x + 22, frame.top - 10, "start", curve.name);
    legend_x += 30 + 6.5 * static_cast<double>(curve.name.size());
  }
  return out + "</svg>\n";
}

}  // namespace ajuste::report
