#!/usr/bin/env python3
"""Peer 1 of the benchmark: the textbook datasketch MinHash-LSH recipe.

For every document: lower-case, split on non-word characters, take the word 5-grams as
shingles, and build a ``datasketch.MinHash(num_perm=128)`` from them. Insert every
signature into ``MinHashLSH(threshold=0.8, num_perm=128)``, query every document, and
join each document with every candidate the index returns (union-find). There is no
verification of candidates: that is the recipe as usually deployed, and what its speed
and quality numbers mean.

Writes ``OUT/documents.jsonl`` with one ``{"id": ..., "cluster": ...}`` line per input
document (cluster = the input position of the cluster's first document), the format
``reprint eval`` scores. Documents with fewer than five words get no shingle and stay
singletons.

Usage: peer_datasketch.py CORPUS.jsonl --out DIR
"""

import argparse
import json
import os
import re
import sys
import time

from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
THRESHOLD = 0.8
NGRAM = 5
_SPLIT = re.compile(r"\W+")


def shingles(text):
    words = [w for w in _SPLIT.split(text.lower()) if w]
    return {" ".join(words[i : i + NGRAM]).encode("utf-8") for i in range(len(words) - NGRAM + 1)}


def find(parent, x):
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:  # path compression
        parent[x], x = root, parent[x]
    return root


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="JSONL with 'id' and 'text' per line")
    ap.add_argument("--out", required=True, help="output folder (documents.jsonl)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    ids = []
    sigs = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            ids.append(str(doc["id"]))
            sh = shingles(doc["text"])
            if not sh:
                sigs.append(None)
                continue
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch(list(sh))
            sigs.append(m)
    t1 = time.perf_counter()

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for i, m in enumerate(sigs):
            if m is not None:
                session.insert(i, m, check_duplication=False)
    parent = list(range(len(ids)))
    for i, m in enumerate(sigs):
        if m is None:
            continue
        for j in lsh.query(m):
            a, b = find(parent, i), find(parent, j)
            if a != b:
                parent[max(a, b)] = min(a, b)  # the smallest position is the root
    t2 = time.perf_counter()

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "documents.jsonl"), "w", encoding="utf-8") as out:
        for i, doc_id in enumerate(ids):
            out.write(json.dumps({"id": doc_id, "cluster": find(parent, i)}) + "\n")
    t3 = time.perf_counter()
    clusters = len({find(parent, i) for i in range(len(ids))})
    print(
        f"datasketch: {len(ids)} docs -> {clusters} clusters; "
        f"signatures {t1 - t0:.1f}s, LSH {t2 - t1:.1f}s, write {t3 - t2:.1f}s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
