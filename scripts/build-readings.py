#!/usr/bin/env python3
"""Builds crates/search/data/readings.tsv from IPAdic, as Debian's mecab-ipadic package ships it.

    apt-get download mecab-ipadic && dpkg-deb -x mecab-ipadic_*.deb ipadic
    python3 scripts/build-readings.py ipadic/usr/share/mecab/dic/ipadic > crates/search/data/readings.tsv

Nouns only (common, verbal, adjectival, places, proper nouns; no personal names): the words
people search a job board for. A line per reading in hiragana, sorted by code point, then a
tab and the spellings that hold a kanji, most common (lowest cost) first. Run by hand when
the dictionary changes; the build and the server never fetch anything.
"""
import sys, csv, unicodedata, collections
src = sys.argv[1]
files = ["Noun.csv","Noun.verbal.csv","Noun.adjv.csv","Noun.place.csv","Noun.proper.csv"]
def is_kanji(c): return '\u4e00' <= c <= '\u9fff' or '\u3400' <= c <= '\u4dbf' or c in '々'
def hira(s): return ''.join(chr(ord(c)-0x60) if '\u30a1' <= c <= '\u30f6' else c for c in s)
m = collections.defaultdict(dict)
for f in files:
    with open(f"{src}/{f}", encoding="euc_jp", errors="replace") as fh:
        for row in csv.reader(fh):
            if len(row) < 12: continue
            surface, cost, reading = unicodedata.normalize("NFKC", row[0]), int(row[3]), row[11]
            if not any(is_kanji(c) for c in surface): continue
            if not all(is_kanji(c) or '\u3041' <= c <= '\u30ff' for c in surface): continue
            r = hira(reading)
            if len(r) < 2 or not all('\u3041' <= c <= '\u309f' or c == 'ー' for c in r): continue
            prev = m[r].get(surface)
            if prev is None or cost < prev: m[r][surface] = cost
out = sys.stdout
for r in sorted(m):
    surfaces = sorted(m[r], key=lambda s: (m[r][s], s))
    out.write(r + "\t" + " ".join(surfaces) + "\n")
