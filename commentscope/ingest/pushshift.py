"""Pushshift / Arctic Shift reddit dumps: one comment object per line (NDJSON), plain or zstd
compressed (``.zst``). Comments are grouped into Threads by ``link_id``, with parents from
``parent_id``; a comment whose parent is not in the file stays, top level, counted.

The file is read in batches of whole lines (``batches``), each decoded by Arrow's JSON reader
into columns; a batch Arrow refuses (a bad line, a field whose type drifts from number to string)
is decoded line by line instead, so one bad line costs only itself. The batches are independent,
so a later engine can map ``read_batch`` over the parts of a file. Times are epoch seconds: UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from commentscope.errors import InputError
from commentscope.ingest.records import as_ids, build_threads, json_lines
from commentscope.model import Problem

if TYPE_CHECKING:
    from commentscope.ingest.registry import OwnedBytes, ReadOptions
    from commentscope.model import Thread

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Bytes of lines decoded at once: large enough that Arrow's per-call cost vanishes, small
#: enough that a batch's columns stay a small part of memory.
BATCH_BYTES = 32 << 20
_FIELDS = ("id", "parent_id", "link_id", "author", "created_utc", "body")
SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("parent_id", pa.string()),
        ("link_id", pa.string()),
        ("author", pa.string()),
        ("created_utc", pa.float64()),
        ("body", pa.string()),
    ]
)
_LINE = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{[^\n]*"link_id"\s*:')


def sniff(head: bytes) -> bool:
    """A first line holding ``link_id``, ``parent_id`` and ``body``; a zstd stream is looked into
    (without zstandard installed it is claimed, so that reading it says what to install)."""
    if head.startswith(ZSTD_MAGIC):
        try:
            import zstandard
        except ImportError:
            return True
        try:
            head = zstandard.ZstdDecompressor(max_window_size=2**31).decompressobj().decompress(head)
        except zstandard.ZstdError:
            return False
    first = head.split(b"\n", 1)[0]
    return _LINE.match(first) is not None and b'"parent_id"' in first and b'"body"' in first


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    problems: list[Problem] = []
    tables = []
    line = 1
    for chunk in batches(page, problems):
        table, found = read_batch(chunk, line)
        tables.append(table)
        problems += found
        line += chunk.count(b"\n") + (0 if chunk.endswith(b"\n") else 1)
    table = pa.concat_tables(tables) if tables else _empty()
    return threads_of(table, source, problems, lenient=options.lenient)


def batches(page: OwnedBytes, problems: list[Problem]) -> Iterator[bytes]:
    """Whole lines, ``BATCH_BYTES`` at a time, from a plain or zstd-compressed input."""
    data = page.take()
    if bytes(data[:4]) == ZSTD_MAGIC:
        yield from _zstd_batches(data, problems)
        return
    view = memoryview(data)
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + BATCH_BYTES, len(data) - 1))
        end = len(data) if end < 0 else end + 1
        yield bytes(view[start:end])
        start = end


def _zstd_batches(data: Any, problems: list[Problem]) -> Iterator[bytes]:
    """Decompressed whole lines; a stream cut short (no frame end) is reported as truncated."""
    try:
        import zstandard
    except ImportError:
        raise InputError("is zstd-compressed: pip install 'commentscope[zstd]' to read it") from None

    decompressor = zstandard.ZstdDecompressor(max_window_size=2**31)
    frame = decompressor.decompressobj()
    view = memoryview(data)
    pending: list[bytes] = []
    size = 0
    step = BATCH_BYTES // 8  # compressed bytes fed at a time
    offset = 0
    try:
        while offset < len(view):
            block = frame.decompress(bytes(view[offset : offset + step]))
            offset += step
            while frame.eof and frame.unused_data:  # a file of several frames
                rest = frame.unused_data
                frame = decompressor.decompressobj()
                block += frame.decompress(rest)
            pending.append(block)
            size += len(block)
            if size >= BATCH_BYTES:
                joined = b"".join(pending)
                cut = joined.rfind(b"\n") + 1
                if cut:
                    yield joined[:cut]
                    pending, size = [joined[cut:]], len(joined) - cut
    except zstandard.ZstdError as error:
        problems.append(Problem("truncated", f"the compressed data is damaged ({error}); what came before is kept"))
    else:
        if not frame.eof:
            problems.append(
                Problem("truncated", "the compressed file ends before its last frame does; what came before is kept")
            )
    rest = b"".join(pending)
    if rest:
        yield rest


def read_batch(chunk: bytes, first_line: int = 1) -> tuple[pa.Table, list[Problem]]:
    """One batch of lines as columns (``SCHEMA`` plus ``line``), and the problems of its lines."""
    import pyarrow.json as pj

    try:
        table = pj.read_json(
            pa.BufferReader(chunk),
            read_options=pj.ReadOptions(block_size=max(1 << 20, min(len(chunk) + 1, 1 << 30))),
            parse_options=pj.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="ignore"),
        ).select(list(_FIELDS))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _line_by_line(chunk, first_line)
    if b"\n\n" in chunk or chunk.startswith(b"\n"):  # line numbers would shift: count them honestly
        return _line_by_line(chunk, first_line)
    lines = pa.array(np.arange(first_line, first_line + table.num_rows, dtype=np.int64))
    return table.append_column("line", lines), []


def _line_by_line(chunk: bytes, first_line: int) -> tuple[pa.Table, list[Problem]]:
    values, problems = json_lines(chunk, "comment")
    problems = [Problem(p.kind, p.message, (p.line or 1) + first_line - 1) for p in problems]
    objects = [(line + first_line - 1, value) for line, value in values if isinstance(value, dict)]
    columns: dict[str, Any] = {}
    drift = 0
    for name in ("id", "parent_id", "link_id"):
        ids, numbers = as_ids(value.get(name) for _, value in objects)
        columns[name] = pa.array(ids, type=pa.string())
        drift += int(numbers.sum())
    columns["author"] = pa.array([_text(value.get("author")) for _, value in objects], type=pa.string())
    columns["created_utc"] = pa.array([_seconds(value.get("created_utc")) for _, value in objects], type=pa.float64())
    columns["body"] = pa.array([_text(value.get("body")) for _, value in objects], type=pa.string())
    columns["line"] = pa.array([line for line, _ in objects], type=pa.int64())
    if drift:
        first = objects[0][0] if objects else first_line
        problems.append(
            Problem("mixed_id_types", f"{drift} id(s) in these lines are numbers where others are strings", first)
        )
    bad = [line for line, value in values if not isinstance(value, dict)]
    problems += [Problem("bad_line", "not a JSON object", line + first_line - 1) for line in bad]
    return pa.table(columns), problems


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _seconds(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _empty() -> pa.Table:
    return pa.table({**{f.name: pa.array([], f.type) for f in SCHEMA}, "line": pa.array([], pa.int64())})


def threads_of(table: pa.Table, source: str, problems: list[Problem], *, lenient: bool = False) -> list[Thread]:
    """The dump's columns as Threads, one per ``link_id``; prefixes dropped, ``[deleted]`` kept in place."""
    link = table.column("link_id").combine_chunks()
    parent = table.column("parent_id").combine_chunks()
    author = table.column("author").combine_chunks()
    deleted = pc.fill_null(pc.is_in(author, pa.array(["[deleted]", "[removed]"])), False)
    to_post = pc.fill_null(pc.starts_with(parent, "t3_"), False)
    null_parent = pc.is_null(parent).to_numpy(zero_copy_only=False)
    seconds = table.column("created_utc").combine_chunks().to_numpy(zero_copy_only=False)
    times = np.full(len(seconds), np.datetime64("NaT"), dtype="datetime64[us]")
    known = ~np.isnan(seconds)
    times[known] = (seconds[known] * 1_000_000).astype(np.int64).astype("datetime64[us]")
    lines = table.column("line").combine_chunks().to_numpy(zero_copy_only=False)
    if null_parent.any():
        at = np.flatnonzero(null_parent)
        problems.append(
            Problem("null_parent", f"{len(at)} comment(s) have no parent_id; kept as top level", int(lines[at[0]]))
        )
    columns = {
        "thread": _bare(link),
        "id": table.column("id").combine_chunks(),
        "parent": pc.if_else(to_post, pa.scalar(None, pa.string()), _bare(parent)),
        "author": pc.if_else(deleted, pa.scalar(None, pa.string()), author),
        "time": times,
        "text": pc.fill_null(table.column("body").combine_chunks(), ""),
        "kind": pc.if_else(deleted, "deleted", "comment"),
        "line": lines,
    }
    return build_threads(columns, source, lenient=lenient, timezone="UTC", file_problems=problems)


def _bare(names: pa.Array) -> pa.Array:
    """``t1_abc`` -> ``abc``: reddit's type prefix dropped, other values as they are."""
    prefixed = pc.fill_null(pc.match_substring_regex(names, "^t[0-9]_"), False)
    return pc.if_else(prefixed, pc.utf8_slice_codeunits(names, 3), names)
