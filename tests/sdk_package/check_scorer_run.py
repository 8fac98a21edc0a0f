#!/usr/bin/env python3
"""Checks a run scored by example/keyword_score against its own predictions file.

usage: check_scorer_run.py SUMMARY_JSON REPORT_HTML PIPELINE_YAML

Recomputes, independently of the plugin, every approach's n, correct, errors, accuracy, Wilson
interval and the recommendation from the predictions file the summary names, using the
pipeline's `ignore_words` and the example's defaults (ASCII case folded, punctuation ignored,
`contains`, tie_points 1). Then checks that summary.json reports exactly those under the
example's stage and that report.html shows them in its Evaluation section, labelled simulated.
Prints every mismatch and exits 1 when there is one.
"""
import html
import json
import math
import re
import string
import sys

APPROACHES = ("base_prompt", "fine_tuned")
Z95 = 1.959963984540054
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
SEPARATORS = re.compile("[" + re.escape(" \t\n\r\f\v" + string.punctuation) + "]+")

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def ignore_words(pipeline):
    with open(pipeline, encoding="utf-8") as f:
        found = re.search(r"^\s*ignore_words:\s*\[(.*)\]\s*$", f.read(), re.M)
    return {w.strip().translate(ASCII_LOWER) for w in found.group(1).split(",")} if found else set()


def words(text, ignored):
    return [w for w in (part.translate(ASCII_LOWER) for part in SEPARATORS.split(text)) if w and w not in ignored]


def contains(haystack, needle):
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def wilson(k, n):
    p, z2 = k / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def pct(fraction):
    return "%.1f%%" % (100 * fraction)


def recommendation(base, tuned, tie_points=1.0):
    diff = 100 * (tuned["accuracy"] - base["accuracy"])
    both = " (fine-tuned %s, prompt %s)" % (pct(tuned["accuracy"]), pct(base["accuracy"]))
    if abs(diff) <= tie_points:
        return ("keep the prompt: the fine-tuned model is within %.1f points of it on keyword match%s, "
                "and the prompt needs no training or hosting" % (tie_points, both))
    if diff > 0:
        line = "use the fine-tuned model: it is %.1f points more accurate on keyword match%s" % (diff, both)
        if wilson(tuned["correct"], tuned["n"])[0] <= wilson(base["correct"], base["n"])[1]:
            line += "; the 95% intervals overlap, so more examples would make it surer"
        return line
    return "keep the prompt: it is %.1f points more accurate than the fine-tuned model on keyword match%s" % (-diff, both)


def recompute(path, ignored):
    tallies = {a: {"n": 0, "correct": 0, "errors": 0, "model": ""} for a in APPROACHES}
    records = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            p = json.loads(line)
            t = tallies[p["approach"]]
            records += 1
            t["n"] += 1
            t["model"] = t["model"] or p.get("model", "")
            if p["output"] is None:
                t["errors"] += 1
            elif contains(words(p["output"], ignored), words(p["expected"], ignored)):
                t["correct"] += 1
    for t in tallies.values():
        t["accuracy"] = t["correct"] / t["n"]
        t["accuracy_ci95"] = list(wilson(t["correct"], t["n"]))
    return tallies, records


def check_summary(summary, ignored):
    expect(summary["status"] == "succeeded", "run status is %r" % summary["status"])
    expect(summary.get("simulated") is True, "summary.json is not marked simulated")
    expect(not any(s["uses"] == "evaluate/score" for s in summary["stages"]), "evaluate/score ran too")
    scored = [s for s in summary["stages"] if "evaluation" in s.get("report", {})]
    expect([s["uses"] for s in scored] == ["example/keyword_score"],
           "the evaluation reports come from %r, not from example/keyword_score alone" % [s["uses"] for s in scored])
    evaluation = scored[0]["report"]["evaluation"]
    path = evaluation["predictions"]["path"]
    expect(path == summary["artifacts"]["evaluation_predictions"]["path"], "scored %s, not evaluate/chat's file" % path)
    tallies, records = recompute(path, ignored)
    expect(evaluation["predictions"]["records"] == records, "records %r, the file has %d" %
           (evaluation["predictions"]["records"], records))
    for name, want in tallies.items():
        got = evaluation["approaches"][name]
        expect(want["n"] > 0, "%s: no predictions" % name)
        for key in ("model", "n", "correct", "errors"):
            expect(got[key] == want[key], "%s: %s is %r, the predictions give %r" % (name, key, got[key], want[key]))
        expect(abs(got["accuracy"] - want["accuracy"]) < 1e-12,
               "%s: accuracy is %r, the predictions give %r" % (name, got["accuracy"], want["accuracy"]))
        expect(all(abs(g - w) < 1e-12 for g, w in zip(got["accuracy_ci95"], want["accuracy_ci95"])),
               "%s: accuracy_ci95 is %r, the Wilson interval is %r" % (name, got["accuracy_ci95"], want["accuracy_ci95"]))
    want_recommendation = recommendation(tallies["base_prompt"], tallies["fine_tuned"])
    expect(evaluation["recommendation"] == want_recommendation,
           "recommendation is %r, expected %r" % (evaluation["recommendation"], want_recommendation))
    expect(evaluation["simulated"] is True, "the evaluation is not marked simulated")
    return tallies, want_recommendation


def check_report(page, tallies, want_recommendation):
    expect("SIMULATED \u2014 produced by ajuste-emulator" in page, "report.html has no SIMULATED banner")
    section = re.search(r'<section id="evaluation">.*?</section>', page, re.S)
    expect(section is not None, "report.html has no Evaluation section")
    if section is None:
        return
    section = section.group(0)
    expect("<code>example/keyword_score</code>" in section, "the Evaluation section does not name the example's stage")
    expect('<span class="badge badge-simulated">simulated</span>' in section,
           "the Evaluation section is not labelled simulated")
    expect("<strong>Recommendation:</strong> " + html.escape(want_recommendation, quote=False) + "</p>" in section,
           "the Evaluation section does not show the recommendation")
    for name, t in tallies.items():
        low, high = t["accuracy_ci95"]
        row = ('<code>%s</code></th><td class="num">%d</td><td class="num">%d</td><td class="num">%s</td>'
               '<td class="num">%s \u2013 %s</td>' % (html.escape(t["model"]), t["n"], t["correct"], pct(t["accuracy"]),
                                                      pct(low), pct(high)))
        expect(row in section, "the Evaluation section has no row %s for %s" % (row, name))


def main(summary_path, report_path, pipeline_path):
    with open(summary_path, encoding="utf-8") as f:
        summary = json.load(f)
    with open(report_path, encoding="utf-8") as f:
        page = f.read()
    tallies, want_recommendation = check_summary(summary, ignore_words(pipeline_path))
    check_report(page, tallies, want_recommendation)
    for problem in problems:
        print("FAIL: " + problem, file=sys.stderr)
    if not problems:
        print("keyword_score: %s" % ", ".join("%s %d/%d" % (n, t["correct"], t["n"]) for n, t in tallies.items()))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
