#!/usr/bin/env python3
"""Builds tests/data/duplicates/pairs.jsonl: pairs of Reuters-21578 stories
labelled near-duplicate or not, for measuring newsdex's near-duplicate
signatures.

    python3 scripts/make_duplicate_fixture.py target/bench/reuters-1x.jsonl

(the JSON Lines that `newsdex bench --prepare --scales 1` writes). Four
kinds of pair, 20 of each, chosen deterministically:

- resend:    the same title sent again within two days with a body that is
             at least 90% the same (difflib ratio, characters): corrected or
             updated copies of one story. Near-duplicates.
- edited:    a story and a light rewrite of it made here: one sentence
             dropped, one number changed, a dateline and a sign-off added.
             Near-duplicates.
- same-title: the same title, a body less than 50% the same: another story
             under a recurring headline (a market report, a follow-up).
             Not near-duplicates.
- same-topic: two stories of the same day and the same single topic
             (cocoa, crude, ...), different titles. Not near-duplicates.

Two pairs the rules labelled "not" were read and relabelled (REVIEWED).
"""
import collections
import difflib
import json
import random
import re
import sys

def main(path):
    arts = [json.loads(l) for l in open(path)]
    arts = [a for a in arts if 300 <= len(a.get("body") or "") <= 2500 and a.get("title")]
    rng = random.Random(1987)
    out = []

    by_title = collections.defaultdict(list)
    for a in arts:
        by_title[a["title"].strip()].append(a)
    resend, same_title = [], []
    for title in sorted(by_title):
        v = by_title[title]
        if len(v) < 2 or v[0]["body"] == v[1]["body"]:
            continue
        a, b = v[0], v[1]
        ratio = difflib.SequenceMatcher(None, a["body"], b["body"]).ratio()
        days = abs(int(a["date"].replace("-", "")) - int(b["date"].replace("-", "")))
        if ratio >= 0.9 and days <= 2:
            resend.append((a, b, ratio))
        elif ratio < 0.5:
            same_title.append((a, b, ratio))
    for kind, pairs, dup in (("resend", resend, True), ("same-title", same_title, False)):
        for a, b, ratio in rng.sample(pairs, 20):
            out.append(pair(kind, dup, a, b, f"difflib ratio {ratio:.2f}"))

    used = {p["a"]["id"] for p in out} | {p["b"]["id"] for p in out}
    singles = [a for a in arts if a["id"] not in used and len(a["body"]) >= 600]
    for a in rng.sample(singles, 20):
        out.append(pair("edited", True, a, edit(a, rng), "a light rewrite made here"))

    by_day_topic = collections.defaultdict(list)
    for a in arts:
        if len(a.get("topics") or []) == 1 and a["id"] not in used:
            by_day_topic[(a["date"], a["topics"][0])].append(a)
    groups = [v for k, v in sorted(by_day_topic.items()) if len(v) >= 2 and k[1] != "earn"]
    for v in rng.sample(groups, 20):
        a, b = v[0], v[1]
        if a["title"] != b["title"]:
            out.append(pair("same-topic", False, a, b, f"both {a['topics'][0]}, {a['date']}"))
    with open("tests/data/duplicates/pairs.jsonl", "w") as f:
        for p in out:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"{len(out)} pairs", collections.Counter(p["kind"] for p in out))

# Pairs whose label the rules above got wrong, read by hand.
REVIEWED = {
    ("reuters-16103", "reuters-16241"): "read by hand: one story, the second extended",
    ("reuters-1773", "reuters-1885"): "read by hand: one story under a shorter headline",
}

def pair(kind, dup, a, b, why):
    if (a["id"], b["id"]) in REVIEWED:
        dup, why = True, REVIEWED[(a["id"], b["id"])]
    keep = lambda x: {"id": x["id"], "title": x["title"], "body": x["body"]}
    return {"kind": kind, "duplicate": dup, "why": why, "a": keep(a), "b": keep(b)}

def edit(a, rng):
    sentences = re.split(r"(?<=[.!?])\s+", a["body"].strip())
    if len(sentences) > 3:
        del sentences[rng.randrange(1, len(sentences))]
    body = " ".join(sentences)
    numbers = list(re.finditer(r"\d+", body))
    if numbers:
        m = rng.choice(numbers)
        body = body[: m.start()] + str(int(m.group()) + 1) + body[m.end():]
    body = "LONDON (Wire) - " + body + " (Reporting by the wire desk; editing by staff)"
    return {"id": a["id"] + "-edited", "title": a["title"].title(), "body": body}

if __name__ == "__main__":
    main(sys.argv[1])
