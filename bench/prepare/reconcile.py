#!/usr/bin/env python3
"""Line-by-line accounting of the prepare benchmark's rejects against the corpus's ground truth.

    reconcile.py CORPUS.jsonl AJUSTE_REJECTS.jsonl PEER_REJECTS.jsonl

gen-corpus.mjs lists every defect it injected in CORPUS.jsonl.truth.jsonl ({"line", "defect",
"of"?}). For each defect kind this prints how many lines carry it and how ajuste and the peer
treated them (which reject kind, or kept), then the rejects that match no injected defect. A
duplicate reject the generator did not inject is checked against the corpus itself: the line and
the line it is said to repeat are compared byte for byte, so "natural" duplicates (two lines the
generator happened to make identical) are told apart from ones equal only once normalized.
"""
import collections
import json
import sys


def load_rejects(path, kind_of):
    rejects = {}
    with open(path, encoding="utf-8") as f:
        for text in f:
            reject = json.loads(text)
            rejects[reject["line"]] = reject | {"_kind": kind_of(reject)}
    return rejects


def peer_kind(reject):
    reason = reject["reason"]
    if reason.startswith("invalid JSON"):
        return "invalid_json"
    if reason == "exact duplicate":
        return "duplicate"
    return reason.replace(" ", "_")


def duplicate_of(reject):
    # ajuste: "duplicate of /path/corpus.jsonl:72278"
    reason = reject.get("reason", "")
    if not reason.startswith("duplicate of "):
        return None
    return int(reason.rsplit(":", 1)[1])


def corpus_lines(path, wanted):
    found = {}
    with open(path, "rb") as f:
        for number, text in enumerate(f, 1):
            if number in wanted:
                found[number] = text.rstrip(b"\n")
    return found


def main():
    corpus, ours_path, peer_path = sys.argv[1:4]
    truth = {}
    with open(corpus + ".truth.jsonl", encoding="utf-8") as f:
        for text in f:
            entry = json.loads(text)
            truth[entry["line"]] = entry
    ours = load_rejects(ours_path, lambda r: r.get("kind") or r.get("stage", "?"))
    peer = load_rejects(peer_path, peer_kind)

    print("%-20s %7s   %-42s %s" % ("injected defect", "lines", "ajuste", "peer"))
    by_defect = collections.defaultdict(list)
    for line, entry in truth.items():
        by_defect[entry["defect"]].append(line)

    def treated(rejects, lines):
        counts = collections.Counter(rejects[l]["_kind"] if l in rejects else "kept" for l in lines)
        return ", ".join("%s %d" % (k, n) for k, n in counts.most_common())

    for defect, lines in sorted(by_defect.items(), key=lambda item: -len(item[1])):
        print("%-20s %7d   %-42s %s" % (defect, len(lines), treated(ours, lines), treated(peer, lines)))

    for name, rejects in (("ajuste", ours), ("peer", peer)):
        extra = [l for l in rejects if l not in truth]
        kinds = collections.Counter(rejects[l]["_kind"] for l in extra)
        print("%s: %d rejects on lines without an injected defect: %s" %
              (name, len(extra), ", ".join("%s %d" % kv for kv in kinds.most_common()) or "none"))

    # ajuste's duplicates: an injected one should name the line it copies; any other is checked
    # against the corpus (byte-identical to the line it names, or equal only once normalized).
    dups = {l: duplicate_of(r) for l, r in ours.items() if r["_kind"] == "duplicate"}
    injected = {l: of for l, of in dups.items() if truth.get(l, {}).get("defect") == "duplicate"}
    agree = sum(1 for l, of in injected.items() if truth[l].get("of") == of)
    print("ajuste: %d of its %d injected duplicates name the line the generator copied" % (agree, len(injected)))
    others = {l: of for l, of in dups.items() if l not in injected and of is not None}
    if others:
        text = corpus_lines(corpus, set(others) | set(others.values()))
        identical = sum(1 for l, of in others.items() if text.get(l) == text.get(of))
        print("ajuste: %d duplicates the generator did not inject: %d byte-identical to the line they name, "
              "%d equal once normalized" % (len(others), identical, len(others) - identical))


if __name__ == "__main__":
    main()
