#!/usr/bin/env python3
"""Peer 2 of the benchmark: datatrove's four-stage MinHash deduplication, run locally.

The pipeline is datatrove's own recipe (its examples/minhash_deduplication.py), with the
default ``MinhashConfig()`` (word 5-grams, 14 buckets x 8 hashes, 64-bit xxhash) and the
``LocalPipelineExecutor``:

1. ``JsonlReader`` -> ``MinhashDedupSignature``      (``--tasks`` tasks, ``--workers`` workers)
2. ``MinhashDedupBuckets``                           (one task per bucket, ``--workers`` workers)
3. ``MinhashDedupCluster(save_cluster_id=True)``     (one task, as datatrove requires)
4. ``JsonlReader`` -> ``MinhashDedupFilter(load_cluster_ids=True, exclusion_writer=...)``
   -> ``JsonlWriter``                                (``--tasks`` tasks, ``--workers`` workers)

datatrove gives each task whole input files, so the corpus is first split into ``--tasks``
JSONL shards (round-robin by line; this takes well under a second and is part of the
measured run), otherwise all tasks but one would sit idle.

Recovering a clustering: datatrove's product is a deduplicated dataset, not clusters. With
``save_cluster_id`` (stage 3) and ``load_cluster_ids`` (stage 4), *every* document that is in
a duplicate cluster, whether kept or removed, carries ``metadata.minhash_cluster_id``
(a global cluster number), and documents in no cluster carry -1. Stage 4 writes kept
documents to ``deduplicated/`` and removed ones to ``removed/`` (the exclusion writer);
reading both back gives every document's cluster, so removed documents land in the cluster
of the document that was kept for them. That read-back is part of the measured time, as
writing ``documents.jsonl`` is for the other tools.

Writes ``OUT/documents.jsonl`` (``{"id": ..., "cluster": ...}`` lines) for ``reprint eval``.

Usage: peer_datatrove.py CORPUS.jsonl --out DIR --workdir DIR [--tasks 2] [--workers 2]
"""

import argparse
import glob
import gzip
import os
import shutil
import sys
import time

import orjson
from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers.jsonl import JsonlWriter


def split_corpus(corpus, folder, shards):
    os.makedirs(folder, exist_ok=True)
    outs = [open(os.path.join(folder, f"{i:05d}.jsonl"), "wb") for i in range(shards)]
    n = 0
    with open(corpus, "rb") as f:
        for line in f:
            if line.strip():
                outs[n % shards].write(line if line.endswith(b"\n") else line + b"\n")
                n += 1
    for o in outs:
        o.close()
    return n


def read_outputs(folder):
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.jsonl*"), recursive=True)):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            for line in f:
                if line.strip():
                    yield orjson.loads(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="JSONL with 'id' and 'text' per line")
    ap.add_argument("--out", required=True, help="output folder (documents.jsonl)")
    ap.add_argument("--workdir", required=True, help="scratch folder (emptied first)")
    ap.add_argument("--tasks", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)  # datatrove skips tasks it finds completed
    t0 = time.perf_counter()
    input_dir = os.path.join(work, "input")
    n_docs = split_corpus(args.corpus, input_dir, args.tasks)
    t_split = time.perf_counter()

    config = MinhashConfig()
    logs = os.path.join(work, "logs")
    sigs = os.path.join(work, "signatures")
    buckets = os.path.join(work, "buckets")
    remove_ids = os.path.join(work, "remove_ids")
    kept = os.path.join(work, "deduplicated")
    removed = os.path.join(work, "removed")

    stages = [
        LocalPipelineExecutor(
            pipeline=[JsonlReader(input_dir), MinhashDedupSignature(output_folder=sigs, config=config)],
            tasks=args.tasks,
            workers=args.workers,
            logging_dir=os.path.join(logs, "signatures"),
        ),
        LocalPipelineExecutor(
            pipeline=[MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=config)],
            tasks=config.num_buckets,
            workers=args.workers,
            logging_dir=os.path.join(logs, "buckets"),
        ),
        LocalPipelineExecutor(
            pipeline=[
                MinhashDedupCluster(
                    input_folder=buckets, output_folder=remove_ids, config=config, save_cluster_id=True
                )
            ],
            tasks=1,
            logging_dir=os.path.join(logs, "clusters"),
        ),
        LocalPipelineExecutor(
            pipeline=[
                JsonlReader(input_dir),
                MinhashDedupFilter(
                    input_folder=remove_ids,
                    exclusion_writer=JsonlWriter(removed),
                    load_cluster_ids=True,
                ),
                JsonlWriter(kept),
            ],
            tasks=args.tasks,
            workers=args.workers,
            logging_dir=os.path.join(logs, "filter"),
        ),
    ]
    stage_times = []
    for stage in stages:
        s = time.perf_counter()
        stage.run()
        stage_times.append(time.perf_counter() - s)

    t_read = time.perf_counter()
    os.makedirs(args.out, exist_ok=True)
    seen = 0
    n_kept = 0
    clusters = set()
    with open(os.path.join(args.out, "documents.jsonl"), "wb") as out:
        for folder, is_kept in ((kept, True), (removed, False)):
            for doc in read_outputs(folder):
                cid = doc.get("metadata", {}).get("minhash_cluster_id", -1)
                label = f"c{cid}" if cid is not None and cid >= 0 else f"single:{doc['id']}"
                clusters.add(label)
                out.write(orjson.dumps({"id": str(doc["id"]), "cluster": label}) + b"\n")
                seen += 1
                n_kept += is_kept
    t_end = time.perf_counter()
    if seen != n_docs:
        print(f"datatrove: warning: {n_docs} docs in, {seen} recovered", file=sys.stderr)
    print(
        f"datatrove: {n_docs} docs -> {n_kept} kept, {len(clusters)} clusters; "
        f"split {t_split - t0:.1f}s, signatures {stage_times[0]:.1f}s, buckets {stage_times[1]:.1f}s, "
        f"cluster {stage_times[2]:.1f}s, filter {stage_times[3]:.1f}s, read-back {t_end - t_read:.1f}s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
