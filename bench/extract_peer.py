#!/usr/bin/env python3
"""Python trafilatura over the same pages as `reprint extract`, for bench/extract.sh.

    extract_peer.py --jobs 2 --out OUT.json HTML_DIR

Reads every *.html / *.html.gz under HTML_DIR, runs trafilatura.extract() on each with
its defaults (comments excluded, like reprint), in JOBS worker processes, and writes
{page key: {"articleBody": text}} (key = file name without .html[.gz]). Prints the
extraction time (after imports and pool start) on stderr as `extract_seconds=S`.
"""
import argparse
import gzip
import json
import multiprocessing
import os
import sys
import time

import trafilatura


def key_of(name):
    for suffix in (".html.gz", ".htm.gz", ".html", ".htm"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def extract(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    # Bytes in: trafilatura detects the encoding itself, as reprint does.
    text = trafilatura.extract(data, include_comments=False) or ""
    return key_of(os.path.basename(path)), text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", required=True)
    parser.add_argument("html_dir")
    args = parser.parse_args()
    paths = sorted(
        os.path.join(args.html_dir, n)
        for n in os.listdir(args.html_dir)
        if key_of(n) != n
    )
    with multiprocessing.Pool(args.jobs) as pool:
        start = time.perf_counter()
        results = pool.map(extract, paths, chunksize=4)
        seconds = time.perf_counter() - start
    with open(args.out, "w", encoding="utf8") as f:
        json.dump({k: {"articleBody": t} for k, t in results}, f, ensure_ascii=False)
    print(f"extract_seconds={seconds:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()
