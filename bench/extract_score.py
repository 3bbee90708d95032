#!/usr/bin/env python3
"""The article-extraction benchmark's metric, for bench/extract.sh.

    extract_score.py GROUND_TRUTH.json PREDICTIONS

PREDICTIONS is either {key: {"articleBody": text}} (JSON) or `reprint extract` output
(JSONL, key = id without .html[.gz]). Prints `precision recall f1`.

The metric is the benchmark's own (scrapinghub/article-extraction-benchmark evaluate.py,
described in its PROVENANCE.md): per page, word 4-gram shingles of `\\w+` tokens with
counts; TP/FP/FN by min counts, normalised by their sum; precision = mean TP/(TP+FP)
over pages with TP+FP > 0, recall = mean TP/(TP+FN) over pages with TP+FN > 0 (FP = FN
= 0 scores 1); F1 from the two means. crates/web/tests/article_extraction.rs implements
the same in Rust.
"""
import json
import re
import statistics
import sys
from collections import Counter

TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text, n=4):
    tokens = TOKEN.findall(text or "")
    out = Counter()
    for i in range(0, max(1, len(tokens) - n + 1)):
        gram = tuple(tokens[i : i + n])
        if gram:
            out[gram] += 1
    return out


def counts(truth, pred):
    t, p = shingles(truth), shingles(pred)
    tp = fp = fn = 0.0
    for k in set(t) | set(p):
        a, b = t.get(k, 0), p.get(k, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def load_predictions(path):
    with open(path, encoding="utf8") as f:
        data = f.read()
    try:
        obj = json.loads(data)
        if isinstance(obj, dict) and all(isinstance(v, dict) for v in obj.values()):
            return {k: v.get("articleBody") or "" for k, v in obj.items()}
    except json.JSONDecodeError:
        pass
    preds = {}
    for line in data.splitlines():
        if line.strip():
            rec = json.loads(line)
            key = rec["id"].rsplit("/", 1)[-1]
            for suffix in (".html.gz", ".htm.gz", ".html", ".htm"):
                if key.endswith(suffix):
                    key = key[: -len(suffix)]
                    break
            preds[key] = rec.get("text") or ""
    return preds


def main():
    truth = json.load(open(sys.argv[1], encoding="utf8"))
    preds = load_predictions(sys.argv[2])
    pages = [counts(v.get("articleBody", ""), preds.get(k, "")) for k, v in truth.items()]
    p = statistics.mean(precision(*c) for c in pages if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in pages if c[0] + c[2] > 0)
    print(f"{p:.4f} {r:.4f} {2 * p * r / (p + r):.4f}")


if __name__ == "__main__":
    main()
