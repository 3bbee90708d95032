"""reprint.spark in local mode: pass 1 in the executors, the rest on the driver, with
the CLI's output on the same records, byte for byte; reruns under the same job reuse
every shard; bad rows name their partition and row."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import reprint

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed")
if shutil.which("java") is None:
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

# Before the session starts: its Python workers then run this interpreter.
import reprint.spark  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / "examples" / "seeds"
FILES = ("documents.jsonl", "clusters.jsonl", "matches.jsonl", "texts.jsonl")


def cli() -> Path:
    for profile in ("debug", "release"):
        binary = REPO / "target" / profile / "reprint"
        if binary.exists():
            return binary
    pytest.skip("no reprint binary built (cargo build -p reprint)")


@pytest.fixture(scope="module")
def spark():
    session = (
        SparkSession.builder.master("local[2]")
        .appName("reprint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A few hundred generated press documents (copies of every kind), as JSONL."""
    dir = tmp_path_factory.mktemp("corpus")
    path = dir / "corpus.jsonl"
    subprocess.run(
        [
            str(cli()),
            "generate",
            "--seeds",
            str(SEEDS),
            "-n",
            "400",
            "--seed",
            "11",
            "--out",
            str(path),
            "--gold",
            str(dir / "gold.jsonl"),
            "--quiet",
        ],
        check=True,
    )
    return path


def test_the_spark_job_gives_the_cli_output(spark, corpus, tmp_path):
    out_cli = tmp_path / "cli"
    subprocess.run(
        [str(cli()), "scan", str(corpus), "--out", str(out_cli), "--quiet"], check=True
    )
    import pandas as pd

    rows = [json.loads(line) for line in corpus.read_text().splitlines()]
    # A local data frame is cut into consecutive slices of the rows, one per
    # partition, in order; columns keep the records' order.
    df = spark.createDataFrame(pd.DataFrame(rows))
    partitions = df.rdd.getNumPartitions()
    assert partitions >= 2, "the test needs several partitions"

    work = tmp_path / "work"
    out = tmp_path / "spark"
    result = reprint.spark.scan(df, str(work), out=str(out), job="corpus")
    for name in FILES:
        assert (out / name).read_bytes() == (out_cli / name).read_bytes(), name
    cli_clusters = [json.loads(l) for l in (out_cli / "clusters.jsonl").read_text().splitlines()]
    assert result.families() == [c["members"] for c in cli_clusters]
    assert len(result.families()) > 5
    shards = sorted(p.name for p in (work / "pass1").iterdir())
    assert shards == [f"shard-{i:05d}-of-{partitions:05d}" for i in range(partitions)]

    # A rerun of the same job reuses every shard (none rewritten) and gives the same.
    stamps = {s: (work / "pass1" / s / "shard.json").stat().st_mtime_ns for s in shards}
    again = reprint.spark.scan(df, str(work), job="corpus")
    assert again.documents == result.documents
    assert again.matches == result.matches
    for s in shards:
        assert (work / "pass1" / s / "shard.json").stat().st_mtime_ns == stamps[s]


def test_bad_rows_name_their_partition_or_are_counted(spark, tmp_path):
    df = spark.createDataFrame(
        [("a", "Un premier texte assez long pour compter."), ("a", "Le même identifiant.")],
        ["id", "text"],
    ).coalesce(1)
    with pytest.raises(reprint.ReprintError, match=r"<partition 0>:2"):
        reprint.spark.scan(df, str(tmp_path / "work"))
    result = reprint.spark.scan(df, str(tmp_path / "work2"), skip_invalid=True)
    assert [d["id"] for d in result.documents] == ["a"]
    assert "1 skipped" in result.summary
