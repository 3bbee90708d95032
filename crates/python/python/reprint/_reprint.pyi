"""Type stubs of the extension module (see `crates/python/src/lib.rs`)."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

__version__: str

class ReprintError(Exception): ...

def scan_columns(
    lines: Sequence[int],
    ids: Sequence[Optional[str]],
    texts: Sequence[str],
    fields: Sequence[Sequence[Tuple[str, str]]],
    options: Optional[Dict[str, Any]] = ...,
) -> Tuple[bytes, bytes, bytes, str]: ...
def scan_paths(
    paths: Sequence[str],
    text_field: str = ...,
    id_field: str = ...,
    options: Optional[Dict[str, Any]] = ...,
) -> Tuple[bytes, bytes, bytes, str]: ...
def scan_arrow(
    stream: Any,
    text_field: str = ...,
    id_field: str = ...,
    options: Optional[Dict[str, Any]] = ...,
) -> Tuple[bytes, bytes, bytes, str]: ...
def compare_texts(
    a_id: str, a_text: str, b_id: str, b_text: str, options: Optional[Dict[str, Any]] = ...
) -> str: ...
def stage_arrow(
    stream: Any,
    work: str,
    index: int,
    count: int,
    job: str,
    text_field: str = ...,
    id_field: str = ...,
    options: Optional[Dict[str, Any]] = ...,
) -> Tuple[int, bool]: ...
def scan_staged_shards(
    work: str,
    count: int,
    job: str,
    text_field: str = ...,
    id_field: str = ...,
    out: Optional[str] = ...,
    options: Optional[Dict[str, Any]] = ...,
) -> Tuple[bytes, bytes, bytes, str]: ...
