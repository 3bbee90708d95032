"""reprint on Spark: pass 1 in the executors, the rest of the scan on the driver.

Pass 1 (tokenising, fingerprints, passage and story keys, boilerplate and repetition
found in each document alone) is most of a scan's work on raw text, and all of it on
web pages. :func:`scan` runs it where the data is: each partition of the DataFrame
goes through ``mapInArrow`` to the extension, which analyses its rows (read from the
Arrow buffers, no Python object per row) and writes them as one shard of a work
folder (the same stage files as ``reprint scan --work``). The driver then merges the
shards in partition order and runs the matching plan, pass 2, families, stories and
provenance through the same library as the CLI, with their checkpoints in the same
folder; the result is the CLI's on the same records in the same order, byte for byte.

The executors need the package installed (the same wheel as the driver); import
``reprint.spark`` before the Spark session starts in local mode, so that its Python
workers run this interpreter (``PYSPARK_PYTHON``, unless already set).

The work folder must be one path that the executors and the driver all see (a local
folder in local mode, a shared file system on a cluster). Shards are keyed by ``job``,
the analysis settings and the id and text column names: a rerun with the same ``job``
reuses every shard (and checkpoint) already finished, so a failed job resumes; leave
``job`` out to start afresh. Keep speculative execution off (Spark's default): two
attempts of one partition would write the same shard.

What still runs on the driver, in its memory: the plan (candidate search over every
document's keys), pass 2 and the grouping. Distributing those (band keys and postings
shuffled by key, pairs verified partitioned by document) is the next step (issue 19).
"""

from __future__ import annotations

import itertools
import os
import sys
import uuid
from typing import Any, Optional

from . import ScanResult, _reprint

__all__ = ["scan", "stage_partitions"]

# Spark's Python workers run `python3` from the PATH unless told otherwise; in local
# mode that is rarely the interpreter (or venv) where reprint is installed. Set before
# the session starts, this makes them run this one; a cluster sets its own.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)


def _arrow_schema(df: Any) -> Any:
    try:  # Spark 4
        from pyspark.sql.pandas.types import to_arrow_schema
    except ImportError:  # pragma: no cover - older layouts
        from pyspark.sql.types import to_arrow_schema  # type: ignore
    return to_arrow_schema(df.schema)


def stage_partitions(
    df: Any,
    work: str,
    job: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    **options: Any,
) -> int:
    """Runs pass 1 of every partition of ``df`` in the executors, as shards of ``work``.

    Returns the number of shards (the DataFrame's partitions). Options are those of
    :func:`reprint.scan` that concern pass 1 (``ngram``, ``fold_accents``, ...); give
    the same ones to :func:`scan`.
    """
    import pyarrow as pa

    count = df.rdd.getNumPartitions()
    schema = _arrow_schema(df)
    work = os.path.abspath(os.fspath(work))
    opts = dict(options)

    def stage(batches: Any) -> Any:
        from pyspark import TaskContext

        from reprint import _reprint as ext

        index = TaskContext.get().partitionId()
        batches = iter(batches)
        first = next(batches, None)
        if first is None:  # an empty partition: an empty shard, so every index is there
            reader = pa.RecordBatchReader.from_batches(schema, [])
        else:
            # The batches' own schema: Spark may hand over large or view string types.
            reader = pa.RecordBatchReader.from_batches(
                first.schema, itertools.chain([first], batches)
            )
        documents, run = ext.stage_arrow(
            reader.__arrow_c_stream__(),
            work,
            index,
            count,
            job,
            text_field,
            id_field,
            opts,
        )
        yield pa.RecordBatch.from_pydict(
            {"shard": [index], "documents": [documents], "run": [run]},
            schema=pa.schema(
                [("shard", pa.int32()), ("documents", pa.int64()), ("run", pa.bool_())]
            ),
        )

    try:
        done = df.mapInArrow(stage, "shard int, documents long, run boolean").collect()
    except Exception as e:
        # A bad row (or a failed write) in an executor arrives wrapped in Spark's
        # exception, its message in the worker's traceback: raised again as the
        # ReprintError it was.
        text = str(e)
        marker = "ReprintError: "
        if marker in text:
            message = text[text.rindex(marker) + len(marker) :].splitlines()[0]
            raise _reprint.ReprintError(message) from e
        raise
    shards = sorted(row["shard"] for row in done)
    if shards != list(range(count)):
        raise _reprint.ReprintError(
            f"{len(shards)} of {count} partitions reported a shard: {shards[:10]}"
        )
    return count


def scan(
    df: Any,
    work: str,
    *,
    out: Optional[str] = None,
    job: Optional[str] = None,
    text_field: str = "text",
    id_field: str = "id",
    skip_invalid: bool = False,
    **options: Any,
) -> ScanResult:
    """Scans a Spark DataFrame (a ``text_field`` column, optionally an ``id_field``
    column; columns of plain types carried to ``documents``): pass 1 in the executors,
    the rest on the driver (see the module documentation).

    Documents are in partition order, then row order, as if the partitions were one
    input. ``work``: a folder the executors and the driver share. ``out``: also write
    the CLI's output folder there. ``job``: names the data, so that a rerun reuses the
    shards and checkpoints already finished (default: a fresh name, nothing reused).
    Other options are those of :func:`reprint.scan`. Bad rows raise
    :class:`reprint.ReprintError` naming ``<partition I>:N`` (N the row's 1-based
    position in partition I), unless ``skip_invalid=True``.
    """
    job = job if job is not None else uuid.uuid4().hex
    opts = dict(options, skip_invalid=skip_invalid)
    count = stage_partitions(
        df, work, job, text_field=text_field, id_field=id_field, **opts
    )
    docs, clusters, matches, summary = _reprint.scan_staged_shards(
        os.path.abspath(os.fspath(work)),
        count,
        job,
        text_field,
        id_field,
        None if out is None else os.path.abspath(os.fspath(out)),
        opts,
    )
    return ScanResult(docs, clusters, matches, summary, {})
