#!/usr/bin/env python3
"""Regenerate src/ner/data/wordclass.tsv from Reuters-21578.

Usage: python3 scripts/make_word_classes.py ../shared/corpora/reuters21578

Counts, over the story bodies, how each word is written: in lower case,
capitalised inside a sentence, or capitalised only where a sentence starts.
Words with a clear habit get a class, which the entity tagger uses as a
feature (a capitalised word that is usually lower case is rarely a name):

  L  mostly lower case           (according, officials)
  C  mostly capitalised mid-sentence  (Reagan, Tokyo)
  I  capitalised, but only at the start of sentences  (Additionally, Meanwhile)

Only word counts are kept, not text.
"""
import collections
import pathlib
import re
import sys

WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")


def main(folder):
    lower = collections.Counter()
    cap_mid = collections.Counter()
    cap_initial = collections.Counter()
    for f in sorted(pathlib.Path(folder).glob("*.sgm")):
        text = f.read_text(encoding="latin-1")
        for body in re.findall(r"<BODY>(.*?)</BODY>", text, re.S):
            body = re.sub(r"&#\d+;|&lt;|&amp;", " ", body)
            for para in re.split(r"\n\s{3,}", body):
                for line_ in [para]:
                    initial = True
                    for m in re.finditer(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]|[.!?]", line_):
                        tok = m.group(0)
                        if tok in ".!?":
                            initial = True
                            continue
                        if tok.isupper() and len(tok) > 1:
                            initial = False
                            continue
                        low = tok.lower()
                        if tok[0].islower():
                            lower[low] += 1
                        elif initial:
                            cap_initial[low] += 1
                        else:
                            cap_mid[low] += 1
                        initial = False
    out = []
    for w in set(lower) | set(cap_mid) | set(cap_initial):
        lo, cm, ci = lower[w], cap_mid[w], cap_initial[w]
        total = lo + cm + ci
        if total < 3:
            continue
        if lo >= 0.9 * (lo + cm) and lo >= 2:
            cls = "L"
        elif cm >= 0.9 * (lo + cm) and cm >= 2:
            cls = "C"
        elif ci >= 3 and lo == 0 and cm == 0:
            cls = "I"
        else:
            continue
        out.append(f"{w}\t{cls}")
    out.sort()
    dest = pathlib.Path(__file__).resolve().parent.parent / "src" / "ner" / "data" / "wordclass.tsv"
    dest.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(dest, len(out), collections.Counter(l.split("\t")[1] for l in out))


if __name__ == "__main__":
    main(sys.argv[1])
