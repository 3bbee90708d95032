"""Times the Python package beside the CLI on one corpus: reprint.scan from a path, from
a list of dicts (the JSONL parsed by Python first, not timed), from a pyarrow Table, and
from the table with every result row parsed into dicts (tables are parsed on first
use; the others parse only the clusters); median of RUNS runs each, wall seconds. The families of every run are checked equal to
the CLI's.

    python bench/python_scan.py CORPUS.jsonl [RUNS]

Needs the package installed (README, *Python*), pyarrow, and target/release/reprint.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

import reprint


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main():
    corpus = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    binary = Path(__file__).resolve().parents[1] / "target" / "release" / "reprint"
    rows = [json.loads(line) for line in corpus.read_text().splitlines()]
    table = pa.Table.from_pylist(rows)
    with tempfile.TemporaryDirectory() as out:
        cli = []
        for _ in range(runs):
            t, _ = timed(lambda: subprocess.run(
                [str(binary), "scan", str(corpus), "--out", out, "--quiet"], check=True))
            cli.append(t)
        want = [json.loads(l)["members"] for l in (Path(out) / "clusters.jsonl").read_text().splitlines()]
    def parsed(result):
        len(result.documents), len(result.matches)  # every table as dicts
        return result

    cases = {"path": lambda: reprint.scan(corpus), "dicts": lambda: reprint.scan(rows),
             "arrow": lambda: reprint.scan(table),
             "arrow, every row parsed": lambda: parsed(reprint.scan(table))}
    print(f"{len(rows)} documents, {runs} runs, median wall seconds")
    print(f"CLI scan             {statistics.median(cli):7.2f}  ({', '.join(f'{t:.2f}' for t in cli)})")
    for name, fn in cases.items():
        times = []
        for _ in range(runs):
            t, result = timed(fn)
            assert result.families() == want, name
            times.append(t)
        print(f"reprint.scan({name}) {statistics.median(times):7.2f}  ({', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
