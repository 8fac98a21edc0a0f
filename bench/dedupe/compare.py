#!/usr/bin/env python3
"""Scores one clean/dedupe bench run against gen-corpus.mjs's ground truth.

usage: compare.py NAME CORPUS RUN_DIR BYTES RECORDS WALL_S RSS_KIB LOAD

Injected duplicates are the truth lines with defect "duplicate" (line n repeats line `of`).
Found: rejected by clean/dedupe with kind duplicate. Any other exact-duplicate reject is checked
against the corpus (the generator can repeat a short example by chance): it counts as genuine
when its line and the line its reason names have the same messages after whitespace collapse.
"""
import json
import re
import sys

name, corpus, run_dir, size, records, wall, rss, load = sys.argv[1:9]
size, records, wall, rss = int(size), int(records), float(wall), int(rss)

truth = {}
with open(corpus + ".truth.jsonl") as f:
    for line in f:
        entry = json.loads(line)
        if entry["defect"] == "duplicate":
            truth[entry["line"]] = entry["of"]

found = {}
near = 0
with open(run_dir + "/rejects.jsonl", encoding="utf-8", errors="replace") as f:
    for line in f:
        reject = json.loads(line)
        if reject.get("uses") != "clean/dedupe":
            continue
        if reject.get("kind") == "near_duplicate":
            near += 1
        elif reject.get("kind") == "duplicate":
            m = re.search(r":(\d+)$", reject["reason"])
            found[reject["line"]] = int(m.group(1)) if m else None

summary = json.load(open(run_dir + "/summary.json"))
stage_seconds = None
report = {}
for stage in summary.get("stages", []):
    if stage.get("uses", stage.get("name")) == "clean/dedupe" or stage.get("id") == "dedupe":
        stage_seconds = stage.get("seconds", stage.get("wall_seconds"))
        report = stage.get("reports", {}).get("dedupe", stage.get("report", {}).get("dedupe", {}))

lines = None


def content(n):
    global lines
    if lines is None:
        with open(corpus, "rb") as f:
            lines = f.read().split(b"\n")
    try:
        messages = json.loads(lines[n - 1])["messages"]
        return [(m.get("role"), " ".join(str(m.get("content")).split())) for m in messages]
    except Exception:  # noqa: BLE001 - any undecodable line is "not a duplicate"
        return ("undecodable", n)


hit = sum(1 for line, of in truth.items() if found.get(line) is not None)
right_first = sum(1 for line, of in truth.items() if found.get(line) == of)
extra = [line for line in found if line not in truth]
genuine = sum(1 for line in extra if content(line) == content(found[line]))
print(f"{name:6} {wall:7.2f} s {size / 1e6 / wall:8.1f} MB/s {records / wall:10.0f} records/s "
      f"{rss / 1024:7.1f} MiB peak RSS  (load before: {load})")
if stage_seconds is not None:
    print(f"       dedupe stage alone: {stage_seconds:.2f} s = {size / 1e6 / stage_seconds:.1f} MB/s")
print(f"       injected duplicates found: {hit}/{len(truth)} (naming the right first line: {right_first}); "
      f"other exact duplicates: {len(extra)} ({genuine} verified identical in the corpus); "
      f"near duplicates: {near}")
if report:
    print("       report:", json.dumps({k: report[k] for k in report if k != "largest_clusters"}))
if hit != len(truth) or genuine != len(extra):
    sys.exit(1)
