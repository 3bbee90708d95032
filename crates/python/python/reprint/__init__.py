"""reprint: find reused text in document collections and trace it to its source.

The same scan as the ``reprint`` command line (the Rust library runs it, with Python's
GIL released), from Python objects::

    import reprint

    result = reprint.scan([
        {"id": "a", "text": "...", "date": "2024-10-03"},
        {"id": "b", "text": "..."},
    ])
    result.families()        # [["a", "b"], ...]: copy families of two or more
    result.matches           # verified links with their evidence, as dicts
    result.to_pandas("documents")

``scan`` takes a list (or any iterable) of dicts, a pandas or polars DataFrame, a
pyarrow Table, or paths (a ``str``/``os.PathLike`` or a list of them: JSONL files, plain
or compressed, folders of ``.txt``, HTML or WARC files, read as the CLI reads them).
Options are the CLI's flags with ``_`` for ``-`` (``threshold=0.8``, ``no_stories=True``,
``memory_gb=4``...; for paths, ``work="DIR"`` and ``shards=N`` keep pass 1 in a work
folder, as ``--work``/``--shards`` do, so a rerun reuses it). Rows of ``documents``, ``clusters`` and ``matches`` have exactly the
keys of the README's output contract.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ._reprint import (
    ReprintError,
    __version__,
    compare_texts,
    scan_arrow,
    scan_columns,
    scan_paths,
)

__all__ = ["ReprintError", "ScanResult", "compare", "dedup", "scan", "__version__"]

PathLike = Union[str, "os.PathLike[str]"]


class ScanResult:
    """What a scan found: the rows of its three result tables, as dicts.

    Each table is parsed from the JSONL rows the scan wrote on first use, so a caller
    that only wants the families does not pay for the matches' evidence.
    """

    def __init__(
        self,
        documents: bytes,
        clusters: bytes,
        matches: bytes,
        summary: str,
        skipped: Dict[str, int],
    ) -> None:
        self._raw = {"documents": documents, "clusters": clusters, "matches": matches}
        self._parsed: Dict[str, List[Dict[str, Any]]] = {}
        #: What was read (``read N records: A accepted, S skipped``).
        self.summary = summary
        #: Records left out by ``skip_invalid=True``, by reason (Python-side checks).
        self.skipped = skipped

    def _rows_of(self, table: str) -> List[Dict[str, Any]]:
        if table not in self._parsed:
            self._parsed[table] = _parse(self._raw.pop(table))
        return self._parsed[table]

    @property
    def documents(self) -> List[Dict[str, Any]]:
        """One row per accepted document, in input order (``id``, ``cluster``, ``story``,
        ``relation``, ``representative``, ``source``, evidence, carried fields)."""
        return self._rows_of("documents")

    @property
    def clusters(self) -> List[Dict[str, Any]]:
        """One row per copy family of two or more documents."""
        return self._rows_of("clusters")

    @property
    def matches(self) -> List[Dict[str, Any]]:
        """The verified links (``a``, ``b``, ``kind``, ``similarity``, evidence)."""
        return self._rows_of("matches")

    def families(self) -> List[List[str]]:
        """The copy families of two or more documents, as lists of ids."""
        return [list(c["members"]) for c in self.clusters]

    def stories(self) -> List[List[str]]:
        """Documents grouped by story (families telling one story), groups of two or more."""
        groups: Dict[int, List[str]] = {}
        for d in self.documents:
            groups.setdefault(d["story"], []).append(d["id"])
        return [g for g in groups.values() if len(g) > 1]

    def to_arrow(self, table: str = "documents") -> Any:
        """A table (``documents``, ``clusters`` or ``matches``) as a pyarrow Table."""
        import pyarrow as pa

        return pa.Table.from_pylist(self._table(table))

    def to_pandas(self, table: str = "documents") -> Any:
        """A table (``documents``, ``clusters`` or ``matches``) as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self._table(table))

    def _table(self, table: str) -> List[Dict[str, Any]]:
        if table not in ("documents", "clusters", "matches"):
            raise ValueError(f"no table {table!r}: documents, clusters or matches")
        return self._rows_of(table)

    def __repr__(self) -> str:
        return (
            f"ScanResult({len(self.documents)} documents, {len(self.clusters)} families, "
            f"{len(self.matches)} matches)"
        )


def _rows(data: Any) -> Iterable[Any]:
    """Rows of a pyarrow Table, a pandas or polars DataFrame, or any iterable."""
    if hasattr(data, "to_dicts"):  # polars DataFrame
        return data.to_dicts()
    if hasattr(data, "schema") and hasattr(data, "to_pylist"):  # pyarrow Table / RecordBatch
        return data.to_pylist()
    if hasattr(data, "to_dict") and hasattr(data, "columns") and hasattr(data, "iloc"):
        return data.to_dict("records")  # pandas DataFrame
    if isinstance(data, dict):
        raise TypeError("scan takes a list of records (dicts), not one dict")
    return data


def _plain(value: Any) -> Any:
    """A value JSON can hold: NaN (pandas' missing value) as null, dates as ISO text."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _json(value: Any) -> str:
    return json.dumps(
        _plain(value),
        ensure_ascii=False,
        allow_nan=False,
        default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v),
    )


def _columns(
    data: Any, text_field: str, id_field: str, skip_invalid: bool
) -> Tuple[List[int], List[Optional[str]], List[str], List[List[Tuple[str, str]]], Dict[str, int]]:
    lines: List[int] = []
    ids: List[Optional[str]] = []
    texts: List[str] = []
    fields: List[List[Tuple[str, str]]] = []
    skipped: Dict[str, int] = {}
    for n, row in enumerate(_rows(data), start=1):
        problem = None
        if not isinstance(row, dict):
            problem = ("not_an_object", "not a mapping")
        else:
            text = row.get(text_field)
            rid = _plain(row.get(id_field))
            if text_field not in row:
                problem = ("missing_text", f"no `{text_field}` field")
            elif not isinstance(text, str):
                problem = ("text_not_string", f"field `{text_field}` is not a string")
            elif rid is not None and (isinstance(rid, bool) or not isinstance(rid, (str, int))):
                problem = ("bad_id", f"field `{id_field}` is not a string or an integer")
        if problem:
            if skip_invalid:
                skipped[problem[0]] = skipped.get(problem[0], 0) + 1
                continue
            raise ReprintError(f"<records>:{n}: {problem[1]}")
        lines.append(n)
        ids.append(None if rid is None else str(rid))
        texts.append(text)
        fields.append([(k, _json(v)) for k, v in row.items() if k not in (text_field, id_field)])
    return lines, ids, texts, fields, skipped


def _arrow_stream(data: Any) -> Any:
    """The Arrow C stream of a pyarrow Table or RecordBatchReader, or of a polars or
    pandas DataFrame (PyCapsule interface), when it has one; else ``None``."""
    export = getattr(data, "__arrow_c_stream__", None)
    if export is None or isinstance(data, (str, bytes, list, tuple, dict)):
        return None
    try:
        return export()
    except (ImportError, NotImplementedError, TypeError):
        return None


def _is_paths(data: Any) -> bool:
    if isinstance(data, (str, os.PathLike)):
        return True
    return (
        isinstance(data, (list, tuple))
        and len(data) > 0
        and all(isinstance(p, (str, os.PathLike)) for p in data)
    )


def _parse(jsonl: bytes) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in jsonl.splitlines() if line]


def scan(
    data: Any,
    *,
    text_field: str = "text",
    id_field: str = "id",
    skip_invalid: bool = False,
    **options: Any,
) -> ScanResult:
    """Finds the copies, rewrites and shared passages among documents.

    ``data``: records (dicts) with a ``text_field`` and optionally an ``id_field`` (a
    string or an integer; records without one get ``<records>:N``, N its 1-based
    position), other fields carried to ``documents``; or an Arrow table or a pandas or
    polars DataFrame, read through the Arrow C stream interface without making a Python
    object per row (ids ``<arrow>:N``; columns of plain types carried, as for Parquet
    input); or paths. Bad records raise :class:`ReprintError` naming the record, unless
    ``skip_invalid=True`` (then they are counted in :attr:`ScanResult.skipped`, or the
    summary for paths). Raises :class:`TypeError` for an unknown option.

    With paths, ``work="DIR"`` (and optionally ``shards=N``) keeps pass 1 in a work
    folder: a later scan of the same files with the same options reuses it, and shards
    made by ``reprint scan --shard I/N`` are merged (README, *Work folders*).
    """
    opts = dict(options, skip_invalid=skip_invalid)
    if _is_paths(data):
        paths = [os.fspath(data)] if isinstance(data, (str, os.PathLike)) else [os.fspath(p) for p in data]
        docs, clusters, matches, summary = scan_paths(paths, text_field, id_field, opts)
        skipped: Dict[str, int] = {}
    elif _arrow_stream(data) is not None:
        docs, clusters, matches, summary = scan_arrow(
            _arrow_stream(data), text_field, id_field, opts
        )
        skipped = {}
    else:
        lines, ids, texts, fields, skipped = _columns(data, text_field, id_field, skip_invalid)
        docs, clusters, matches, summary = scan_columns(lines, ids, texts, fields, opts)
    return ScanResult(docs, clusters, matches, summary, skipped)


def dedup(
    data: Any, *, text_field: str = "text", id_field: str = "id", **options: Any
) -> Any:
    """Keeps one document per group of exact and near copies (as ``reprint dedup``).

    Returns the kept records: a filtered DataFrame or Arrow table for those, else a list
    of the kept records (or of the kept ids, for paths).
    """
    if options.pop("skip_invalid", False):
        raise TypeError("dedup keeps or drops every record it is given: skip_invalid is not taken")
    options.setdefault("no_passages", True)
    result = scan(data, text_field=text_field, id_field=id_field, **options)
    keep = [d["representative"] for d in result.documents]
    if _is_paths(data):
        return [d["id"] for d, k in zip(result.documents, keep) if k]
    if hasattr(data, "to_dicts") and hasattr(data, "filter"):  # polars
        import polars as pl

        return data.filter(pl.Series(keep))
    if type(data).__module__.startswith("pyarrow") and hasattr(data, "filter"):
        import pyarrow as pa

        return data.filter(pa.array(keep))
    if hasattr(data, "iloc"):  # pandas
        return data[keep]
    rows = list(_rows(data))
    return [r for r, k in zip(rows, keep) if k]


def compare(
    a: Union[str, Dict[str, Any]], b: Union[str, Dict[str, Any]], **options: Any
) -> Dict[str, Any]:
    """Two documents in depth: ``relation`` (``None`` when no reuse), ``coverage_a``,
    ``coverage_b``, aligned ``passages``, ``sentences`` and ``facts`` with their texts,
    as ``reprint compare --json`` prints them. ``a`` and ``b``: texts, or records with
    ``text`` (and ``id``)."""

    def side(doc: Union[str, Dict[str, Any]], name: str) -> Tuple[str, str]:
        if isinstance(doc, str):
            return name, doc
        text = doc.get("text")
        if not isinstance(text, str):
            raise ReprintError(f"{name}: field `text` is not a string")
        return str(doc.get("id", name)), text

    (a_id, a_text), (b_id, b_text) = side(a, "a"), side(b, "b")
    return json.loads(compare_texts(a_id, a_text, b_id, b_text, options))
