#!/usr/bin/env python3
"""Regenerate corpus/reuters-1987-sample.jsonl from Reuters-21578.

Usage: python3 scripts/make_reuters_sample.py ../shared/corpora/reuters21578/reut2-000.sgm 300

Takes the first N stories that have a <BODY>, in file order, and writes one JSON
object per line with the field names newsdex's JSON reader accepts. The body's
hard-wrapped lines are joined; Reuters starts each paragraph with an indent,
which becomes a blank line. The trailing "Reuter" sign-off is dropped.
"""
import html
import json
import re
import sys

MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def tag(block, name):
    m = re.search(r"<%s>(.*?)</%s>" % (name, name), block, re.S)
    return m.group(1) if m else None


def tags(block, name):
    inner = tag(block, name) or ""
    return [html.unescape(d) for d in re.findall(r"<D>(.*?)</D>", inner)]


def clean(text):
    text = re.sub(r"&#\d+;", "", text)
    return html.unescape(text)


def paragraphs(body):
    paras, cur = [], []
    for line in body.split("\n"):
        if line.startswith("    ") and cur:
            paras.append(" ".join(cur))
            cur = []
        if line.strip():
            cur.append(line.strip())
    if cur:
        paras.append(" ".join(cur))
    if paras and paras[-1].strip() in ("Reuter", "REUTER"):
        paras.pop()
    # The sign-off usually ends the last paragraph: "... dlrs. Reuter".
    if paras:
        paras[-1] = re.sub(r"\s*\breuters?\W*$", "", paras[-1], flags=re.I)
    return "\n\n".join(p for p in paras if p.strip())


def main(path, limit):
    data = open(path, encoding="latin-1").read()
    out = []
    for m in re.finditer(r"<REUTERS(.*?)>(.*?)</REUTERS>", data, re.S):
        attrs, block = m.group(1), m.group(2)
        body = tag(block, "BODY")
        if body is None:
            continue
        newid = re.search(r'NEWID="(\d+)"', attrs).group(1)
        d = re.match(r"\s*(\d+)-([A-Z]{3})-(\d{4})", tag(block, "DATE"))
        date = "%s-%02d-%02d" % (d.group(3), MONTHS[d.group(2)], int(d.group(1)))
        def name(code):
            return " ".join(w.capitalize() for w in code.split("-") if w)

        rec = {
            "id": "reuters-" + newid,
            "title": clean(tag(block, "TITLE") or "").strip(),
            "date": date,
            "source": "Reuters",
            "dateline": clean(tag(block, "DATELINE") or "").strip().rstrip(" -"),
            "body": paragraphs(clean(body)),
            # Codes made names, as the SGML reader does: west-germany -> West Germany.
            "places": [name(c) for c in tags(block, "PLACES")],
            "people": [name(c) for c in tags(block, "PEOPLE")],
            "orgs": [c.upper() for c in tags(block, "ORGS")],
            "topics": tags(block, "TOPICS"),
        }
        out.append(rec)
        if len(out) >= limit:
            break
    for rec in out:
        print(json.dumps(rec, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
