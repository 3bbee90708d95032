"""The Python package: the same results as the CLI, from every kind of input; errors
that name the record; the GIL released while the job runs."""

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

import reprint

REPO = Path(__file__).resolve().parents[3]
NEWS = REPO / "examples" / "news" / "articles.jsonl"
SEEDS = REPO.parent / "shared" / "data" / "seeds"


def cli() -> Path:
    for profile in ("debug", "release"):
        binary = REPO / "target" / profile / "reprint"
        if binary.exists():
            return binary
    pytest.skip("no reprint binary built (cargo build -p reprint)")


def cli_scan(tmp_path: Path, *inputs: Path) -> dict:
    out = tmp_path / "cli"
    subprocess.run(
        [str(cli()), "scan", *map(str, inputs), "--out", str(out), "--quiet"], check=True
    )
    return {
        name: [json.loads(l) for l in (out / f"{name}.jsonl").read_text().splitlines()]
        for name in ("documents", "clusters", "matches")
    }


def records():
    return [json.loads(line) for line in NEWS.read_text().splitlines()]


def test_the_example_gives_the_cli_output_from_paths_and_from_records(tmp_path):
    want = cli_scan(tmp_path, NEWS)
    for data in (NEWS, str(NEWS), [NEWS], records()):
        got = reprint.scan(data)
        assert got.documents == want["documents"]
        assert got.clusters == want["clusters"]
        assert got.matches == want["matches"]
    result = reprint.scan(records())
    assert result.families() == [c["members"] for c in want["clusters"]]
    assert result.summary == "read 17 records: 17 accepted, 0 skipped"
    assert {m["kind"] for m in result.matches} >= {"exact", "near", "partial"}


def test_a_work_folder_is_reused_and_changes_nothing(tmp_path):
    want = reprint.scan(NEWS)
    work = tmp_path / "work"
    first = reprint.scan(NEWS, work=str(work), shards=1)
    shards = sorted(p.name for p in (work / "pass1").iterdir())
    assert shards == ["shard-00000-of-00001"]
    stamp = (work / "pass1" / shards[0] / "shard.json").stat().st_mtime_ns
    again = reprint.scan(NEWS, work=work)
    # Reused, not rewritten.
    assert (work / "pass1" / shards[0] / "shard.json").stat().st_mtime_ns == stamp
    for got in (first, again):
        assert (got.documents, got.clusters, got.matches) == (
            want.documents,
            want.clusters,
            want.matches,
        )
    with pytest.raises(TypeError, match="need paths"):
        reprint.scan(records(), work=str(work))
    with pytest.raises(TypeError, match="needs work"):
        reprint.scan(NEWS, shards=2)


def test_seeds_families_and_stories_as_the_cli(tmp_path):
    if not SEEDS.is_dir():
        print(f"skipped: {SEEDS} not found")
        return
    want = cli_scan(tmp_path, SEEDS)
    got = reprint.scan(SEEDS)
    assert got.documents == want["documents"]
    by_id = {d["id"][:3]: d for d in got.documents}
    assert by_id["000"]["cluster"] == by_id["001"]["cluster"]
    assert by_id["000"]["story"] == by_id["002"]["story"]
    assert by_id["003"]["story"] != by_id["000"]["story"]


def test_data_frames_and_arrow_tables_scan_as_their_records():
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    rows = records()
    want = reprint.scan(rows)
    frame = pd.DataFrame(rows)
    for data in (frame, pa.Table.from_pylist(rows)):
        got = reprint.scan(data)
        assert [d["cluster"] for d in got.documents] == [d["cluster"] for d in want.documents]
        assert got.matches == want.matches
    table = want.to_arrow("matches")
    assert table.num_rows == len(want.matches)
    assert list(want.to_pandas("documents")["id"]) == [r["id"] for r in rows]


def test_fields_are_carried_and_ids_generated():
    rows = [
        {"text": "Une dépêche de l'agence, reprise mot pour mot.", "n": 3, "meta": {"k": [1]}},
        {"text": "Un autre texte, sans rapport.", "score": float("nan")},
    ]
    docs = reprint.scan(rows).documents
    assert [d["id"] for d in docs] == ["<records>:1", "<records>:2"]
    assert docs[0]["n"] == 3 and docs[0]["meta"] == {"k": [1]}
    assert docs[1]["score"] is None


def test_bad_records_name_their_position_or_are_counted():
    rows = [{"id": "a", "text": "x"}, {"id": "b", "text": 7}, {"id": "a", "text": "y"}]
    with pytest.raises(reprint.ReprintError, match=r"<records>:2: field `text` is not a string"):
        reprint.scan(rows)
    with pytest.raises(reprint.ReprintError, match=r'<records>:2: duplicate id "a"'):
        reprint.scan([rows[0], rows[2]])
    kept = reprint.scan(rows[:2], skip_invalid=True)
    assert [d["id"] for d in kept.documents] == ["a"]
    assert kept.skipped == {"text_not_string": 1}
    with pytest.raises(TypeError, match="unknown option"):
        reprint.scan(rows[:1], no_such_option=True)
    with pytest.raises(reprint.ReprintError, match="--threshold"):
        reprint.scan(rows[:1], threshold=2.0)


def test_compare_and_dedup():
    rows = records()
    by_id = {r["id"]: r for r in rows}
    report = reprint.compare(by_id["a01"], by_id["a02"])
    assert report["relation"] == "exact"
    assert report["a"]["id"] == "a01"
    unrelated = reprint.compare("Le conseil a voté le budget.", "The harbour opened at dawn.")
    assert unrelated["relation"] is None
    kept = reprint.dedup(rows)
    scanned = reprint.scan(rows, no_passages=True).documents
    assert [r["id"] for r in kept] == [d["id"] for d in scanned if d["representative"]]
    assert len(kept) < len(rows)
    pd = pytest.importorskip("pandas")
    assert list(reprint.dedup(pd.DataFrame(rows))["id"]) == [r["id"] for r in kept]


def test_the_gil_is_released_while_a_scan_runs():
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
    rows = [
        {"id": str(i), "text": " ".join(words[(i * 7 + j * 3) % len(words)] + str(j % 50) for j in range(300))}
        for i in range(4000)
    ]
    from reprint import _reprint

    lines, ids, texts, fields, _ = reprint._columns(rows, "text", "id", False)
    done = threading.Event()
    ticks = []

    def count():
        while not done.is_set():
            for _ in range(1000):
                pass
            ticks.append(time.perf_counter())

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.01)
    started = time.perf_counter()
    _reprint.scan_columns(lines, ids, texts, fields, {})
    ended = time.perf_counter()
    done.set()
    counter.join()
    # Only the Rust call is looked at: with the GIL held through it, the counting
    # thread could not tick at all between its start and its end.
    assert ended - started > 0.05, ended - started
    inside = [t for t in ticks if started + 0.01 < t < ended - 0.01]
    assert len(inside) > 20, (len(inside), ended - started)


def test_arrow_streams_are_read_without_python_rows():
    pa = pytest.importorskip("pyarrow")
    rows = records()
    want = reprint.scan(rows)
    table = pa.Table.from_pylist(rows)
    got = reprint.scan(table)
    assert got.documents == want.documents
    assert got.matches == want.matches
    # A streaming reader, a batch at a time.
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=4))
    assert reprint.scan(reader).documents == want.documents

    # Bad rows name their row; with skip_invalid they are counted in the summary.
    bad = pa.table({"id": ["a", "b", "a"], "text": ["un texte", None, "deux"]})
    with pytest.raises(reprint.ReprintError, match=r"<arrow>:2: field `text` is not a string"):
        reprint.scan(bad)
    skipped = reprint.scan(bad, skip_invalid=True)
    assert [d["id"] for d in skipped.documents] == ["a"]
    assert "2 skipped" in skipped.summary
    with pytest.raises(reprint.ReprintError, match="no `body` field"):
        reprint.scan(bad, text_field="body")
    no_ids = reprint.scan(pa.table({"text": ["un", "deux"]}))
    assert [d["id"] for d in no_ids.documents] == ["<arrow>:1", "<arrow>:2"]


def test_polars_frames_scan_and_dedup_as_their_records():
    pl = pytest.importorskip("polars")
    rows = records()
    frame = pl.DataFrame(rows)
    assert reprint.scan(frame).documents == reprint.scan(rows).documents
    kept = reprint.dedup(frame)
    assert list(kept["id"]) == [r["id"] for r in reprint.dedup(rows)]


def test_tables_are_parsed_on_first_use():
    result = reprint.scan(records())
    assert result.families()
    assert "matches" not in result._parsed, "the matches were parsed without being asked for"
    assert result.matches == result.matches and "matches" in result._parsed
