#!/usr/bin/env bash
# Renders an ajuste HTML report (report.html) in headless Chromium and checks what a browser
# makes of it: every inline SVG chart of the page is in the rendered DOM, no script or external
# reference appears, and a screenshot is written next to the report (REPORT.png) for a person
# to look at.
#
#   scripts/check-report.sh [--min-charts N] REPORT.html
#
# --min-charts N   fail when the page has fewer than N charts (default 1; 0 for a failed run's
#                  report, which may have none)
# CHROMIUM         the browser to use (default: chromium, chromium-browser or google-chrome)
# REPORT_HEIGHT    screenshot height in pixels (default: estimated from the page's length)
#
# Exit codes: 0 the page renders as expected, 1 it does not, 2 usage, 77 no Chromium (CTest
# counts the test as skipped: install Debian's `chromium` package to run it).
set -euo pipefail

min_charts=1
if [[ "${1:-}" == "--min-charts" ]]; then
  min_charts="${2:?--min-charts needs a number}"
  shift 2
fi
if [[ $# -ne 1 ]]; then
  echo "usage: $0 [--min-charts N] REPORT.html" >&2
  exit 2
fi
report="$1"
if [[ ! -f "$report" ]]; then
  echo "check-report: $report: no such file" >&2
  exit 1
fi

browser="${CHROMIUM:-}"
if [[ -z "$browser" ]]; then
  for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser="$(command -v "$candidate")"
      break
    fi
  done
fi
if [[ -z "$browser" ]] || ! command -v "$browser" >/dev/null 2>&1; then
  echo "check-report: SKIPPED: no Chromium found (tried \$CHROMIUM, chromium, chromium-browser, google-chrome);" \
       "install it with 'apt-get install chromium' to check how the report renders" >&2
  exit 77
fi

report="$(realpath "$report")"
screenshot="${report%.html}.png"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Flags for a closed network and a container: no sandbox (no user namespaces), no GPU, and no
# background traffic (updates, sync, QUIC probes) that would wait for a network that is not there.
run_browser() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$1" "${@:2}" "file://$report"
}

fail() {
  echo "check-report: FAILED: $*" >&2
  exit 1
}

# The browser's own output, without the D-Bus complaints every container run prints.
fail_browser() {
  echo "check-report: FAILED: $*" >&2
  if [[ -s "$work/browser.log" ]]; then
    echo "--- browser output (last lines) ---" >&2
    grep -v 'dbus/' "$work/browser.log" | tail -n 20 >&2 || true
  fi
  exit 1
}

count() { { grep -o -- "$1" "$2" || true; } | wc -l | tr -d ' '; }

if ! run_browser dom --dump-dom >"$work/dom.html" 2>"$work/browser.log"; then
  fail_browser "$browser could not render $report"
fi
[[ -s "$work/dom.html" ]] || fail "the rendered DOM of $report is empty"

charts_in_page="$(count '<svg class="chart ' "$report")"
charts_in_dom="$(count '<svg class="chart ' "$work/dom.html")"
(( charts_in_page >= min_charts )) || fail "$report has $charts_in_page charts, expected at least $min_charts"
(( charts_in_dom == charts_in_page )) ||
  fail "the page has $charts_in_page SVG charts but the rendered DOM holds $charts_in_dom"
for element in '<rect class="bar"' '<polyline' '<rect class="compare"'; do
  in_page="$(count "$element" "$report")"
  in_dom="$(count "$element" "$work/dom.html")"
  (( in_page == in_dom )) || fail "the page has $in_page $element elements but the rendered DOM holds $in_dom"
done
grep -q '<h1>' "$work/dom.html" || fail "the rendered DOM has no <h1> heading"
if grep -qi '<script' "$work/dom.html"; then
  fail "the rendered DOM holds a <script> element: some summary text was not escaped"
fi
if grep -Eqi '(src|href|xlink:href|action)="?(https?:)?//' "$work/dom.html" || grep -qi 'url(' "$work/dom.html"; then
  fail "the rendered DOM references an external resource"
fi
if grep -q 'SIMULATED' "$report" && ! grep -q 'SIMULATED' "$work/dom.html"; then
  fail "the page has a SIMULATED banner that the rendered DOM lost"
fi

# A full-page screenshot needs the page's height, which only layout knows: estimate it from the
# rows, charts and findings, generously (white space at the bottom is harmless).
height="${REPORT_HEIGHT:-}"
if [[ -z "$height" ]]; then
  rows="$(count '<tr' "$report")"
  findings="$(count '<li class="finding' "$report")"
  height=$(( 1200 + rows * 34 + charts_in_page * 340 + findings * 70 ))
  if (( height > 16000 )); then height=16000; fi
fi
rm -f "$screenshot"
if ! run_browser shot --hide-scrollbars --window-size="1280,$height" --screenshot="$screenshot" \
    >>"$work/browser.log" 2>&1; then
  fail_browser "$browser could not take a screenshot of $report"
fi
[[ -s "$screenshot" ]] || fail "no screenshot was written to $screenshot"
[[ "$(head -c 8 "$screenshot" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] ||
  fail "$screenshot is not a PNG file"
# An empty white page of this size compresses to a few kilobytes; the report does not.
size="$(wc -c <"$screenshot" | tr -d ' ')"
(( size > 20000 )) || fail "$screenshot is only $size bytes: the page looks blank"

kinds="$({ grep -o '<svg class="chart [a-z-]*' "$work/dom.html" || true; } | sed 's/.*chart //' | sort | uniq -c |
         awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')"
echo "check-report: OK: $charts_in_dom charts rendered${kinds:+ ($kinds)}; screenshot $screenshot (1280x$height)"
