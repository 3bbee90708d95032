"""Times reprint.spark.scan in Spark local mode beside the CLI on one corpus, and checks
that both give the same families.

    python bench/spark_scan.py CORPUS.jsonl [RUNS] [CORES]

The corpus is read into a DataFrame by `spark.read.json` (columns then come in
alphabetical order, so the carried fields' order differs from the CLI's and only the
families and matches are compared, not the files' bytes). The session is started once,
before the timed runs (its start-up is printed apart); each Spark run uses a fresh work
folder and job, so nothing is reused. Median of RUNS runs each, wall seconds.

Needs the package installed (README, *Python*), pyspark, Java, and target/release/reprint.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import reprint.spark  # before the session: its workers run this interpreter
from pyspark.sql import SparkSession


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main():
    corpus = Path(sys.argv[1]).resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    cores = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    binary = Path(__file__).resolve().parents[1] / "target" / "release" / "reprint"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cli = []
        for _ in range(runs):
            t, _ = timed(
                lambda: subprocess.run(
                    [str(binary), "scan", str(corpus), "--out", str(tmp / "cli"), "--quiet"],
                    check=True,
                )
            )
            cli.append(t)
        want_families = [
            json.loads(l)["members"]
            for l in (tmp / "cli" / "clusters.jsonl").read_text().splitlines()
        ]
        want_matches = (tmp / "cli" / "matches.jsonl").read_text()

        started, spark = timed(
            lambda: SparkSession.builder.master(f"local[{cores}]")
            .appName("reprint-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        df = spark.read.json(str(corpus))
        partitions = df.rdd.getNumPartitions()
        times = []
        for n in range(runs):
            t, result = timed(
                lambda: reprint.spark.scan(
                    df, str(tmp / f"work{n}"), out=str(tmp / f"spark{n}"), job=f"run{n}"
                )
            )
            times.append(t)
            assert result.families() == want_families, "families differ from the CLI's"
            got_matches = (tmp / f"spark{n}" / "matches.jsonl").read_text()
            assert got_matches == want_matches, "matches differ from the CLI's"
        spark.stop()
    print(f"corpus: {corpus} ({len(want_families)} families); Spark partitions: {partitions}")
    print(f"Spark session start-up: {started:.2f} s (not in the times below)")
    print(f"CLI scan:          {statistics.median(cli):.2f} s median ({', '.join(f'{t:.2f}' for t in cli)})")
    print(
        f"reprint.spark.scan: {statistics.median(times):.2f} s median "
        f"({', '.join(f'{t:.2f}' for t in times)}), local[{cores}]; families and matches equal"
    )


if __name__ == "__main__":
    main()
