"""Big JSON Lines inputs (plain or zstd) in batches of whole lines, each decoded into columns.

Each batch is decoded by Arrow's JSON reader against the reader's schema; a batch Arrow refuses
(a bad line, a field whose type drifts from number to string) is decoded line by line with
msgspec instead, so one bad line costs only itself. Batches are independent (``read_batch``
takes a batch and its first line number), so a later engine can map the decoding over the parts
of a file; here they are decoded in turn and only their columns are kept.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa

from commentscope.errors import InputError
from commentscope.model import Problem
from commentscope.parallel import one_ahead
from commentscope.readers import ZSTD_MAGIC
from commentscope.readers.records import as_ids, json_lines
from commentscope.readers.registry import OwnedBytes

#: Bytes of lines decoded at once: large enough that Arrow's per-call cost vanishes, small
#: enough that a batch's objects stay a small part of memory.
BATCH_BYTES = 8 << 20
#: The column added to the schema's: each record's line in the file.
LINE = "__line__"


#: Arrow parses a batch in blocks of this size on its threads; a record longer than a block makes
#: Arrow refuse the batch, which is then read line by line.
_BLOCK_BYTES = 2 << 20
_NEWLINE = 10


def read_json_lines(page: OwnedBytes, schema: pa.Schema, problems: list[Problem], *, ids: tuple[str, ...]) -> pa.Table:
    """The schema's fields of every line, plus ``LINE``; the problems of bad lines go to ``problems``.
    ``ids`` are string fields that may arrive as numbers (read as the same ids, the drift reported)."""
    data = page.take()
    whole = _whole(data, schema)
    if whole is not None:
        _release(data, len(data))
        return _valid_text(whole, problems)
    tables = []
    line = 1
    for chunk in batches(OwnedBytes(data), problems):
        table, found = read_batch(chunk, schema, line, ids=ids)
        tables.append(table)
        problems += found
        newlines = np.frombuffer(chunk, dtype=np.uint8) == _NEWLINE
        line += int(np.count_nonzero(newlines)) + (0 if newlines[-1:].all() else 1)
    if not tables:
        return pa.table({**{f.name: pa.array([], f.type) for f in schema}, LINE: pa.array([], pa.int64())})
    return _valid_text(pa.concat_tables(tables), problems)


def _whole(data: Any, schema: pa.Schema) -> pa.Table | None:
    """A large plain input decoded in one call of Arrow's reader, whose threads then parse its blocks
    without waiting at the end of each batch; None when Arrow refuses it, or when a line is not one
    record (blank, or two on a line), which ``read_batch`` numbers batch by batch."""

    if len(data) < 2 * BATCH_BYTES or bytes(data[:4]) == ZSTD_MAGIC:
        return None
    try:
        table = _arrow_read(data, schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    view = memoryview(data)
    lines = 0
    ended = True  # the slice before ended a line
    for start in range(0, len(data), BATCH_BYTES):
        newlines = np.frombuffer(view[start : start + BATCH_BYTES], dtype=np.uint8) == _NEWLINE
        if (newlines[0] and ended) or (newlines[1:] & newlines[:-1]).any():
            return None
        lines += int(np.count_nonzero(newlines))
        ended = bool(newlines[-1])
    lines += 0 if ended else 1
    if table.num_rows != lines:
        return None
    return table.append_column(LINE, pa.array(np.arange(1, lines + 1, dtype=np.int64)))


def _valid_text(table: pa.Table, problems: list[Problem]) -> pa.Table:
    """Arrow's JSON reader lets bytes that are not UTF-8 through inside strings: those become U+FFFD,
    counted, so that no later step meets invalid text."""
    for index, field in enumerate(table.schema):
        if not pa.types.is_string(field.type) and not pa.types.is_large_string(field.type):
            continue
        column = table.column(index)
        try:
            column.validate(full=True)
        except pa.ArrowInvalid:
            values = column.cast(pa.large_binary()).to_pylist()
            fixed = [None if value is None else value.decode("utf-8", "replace") for value in values]
            bad = sum(1 for value in values if value is not None and not _is_utf8(value))
            table = table.set_column(index, field.name, pa.array(fixed, type=field.type))
            problems.append(Problem("bytes_replaced", f"{bad} {field.name} value(s) held bytes that are not UTF-8"))
    return table


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def batches(page: OwnedBytes, problems: list[Problem]) -> Iterator[bytes | memoryview]:
    """Whole lines, ``BATCH_BYTES`` at a time, from a plain or zstd-compressed input. A plain
    input's batches are views of it, not copies: each is decoded before the next is asked for."""
    data = page.take()
    if bytes(data[:4]) == ZSTD_MAGIC:
        for item in one_ahead(_zstd_batches(data)):  # a problem comes in its place among the batches
            if isinstance(item, Problem):
                problems.append(item)
            else:
                yield item
        return
    view = memoryview(data)
    start = 0
    while start < len(data):
        end = data.find(b"\n", min(start + BATCH_BYTES, len(data) - 1))
        end = len(data) if end < 0 else end + 1
        yield view[start:end]
        _release(data, end)
        start = end


def _release(data: Any, end: int) -> None:
    """Hand a mapped file's pages before ``end`` back to the system: they are decoded already."""
    if isinstance(data, mmap.mmap) and end >= mmap.PAGESIZE:
        data.madvise(mmap.MADV_DONTNEED, 0, end - end % mmap.PAGESIZE)


def _zstd_batches(data: Any) -> Iterator[bytes | Problem]:
    """Decompressed whole lines; a stream cut short (no frame end) is reported as truncated, in
    its place among the batches (they are made on the worker: ``batches``)."""
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
            _release(data, min(offset, len(view)))
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
        yield Problem("truncated", f"the compressed data is damaged ({error}); what came before is kept")
    else:
        if not frame.eof:
            yield Problem("truncated", "the compressed file ends before its last frame does; what came before is kept")
    rest = b"".join(pending)
    if rest:
        yield rest


def read_batch(
    chunk: bytes | memoryview, schema: pa.Schema, first_line: int = 1, *, ids: tuple[str, ...] = ()
) -> tuple[pa.Table, list[Problem]]:
    """One batch of lines as the schema's columns plus ``LINE``, and the problems of its lines."""

    newlines = np.frombuffer(chunk, dtype=np.uint8) == _NEWLINE
    if newlines[:1].any() or (newlines[1:] & newlines[:-1]).any():  # Arrow skips blank lines: number them honestly
        return _line_by_line(bytes(chunk), schema, first_line, ids)
    try:
        table = _arrow_read(chunk, schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _line_by_line(bytes(chunk), schema, first_line, ids)
    lines = pa.array(np.arange(first_line, first_line + table.num_rows, dtype=np.int64))
    return table.append_column(LINE, lines), []


def _line_by_line(
    chunk: bytes, schema: pa.Schema, first_line: int, ids: tuple[str, ...]
) -> tuple[pa.Table, list[Problem]]:
    values, problems = json_lines(chunk, "record")
    problems = [Problem(p.kind, p.message, (p.line or 1) + first_line - 1) for p in problems]
    objects = [(line + first_line - 1, value) for line, value in values if isinstance(value, dict)]
    problems += [
        Problem("bad_line", "not a JSON object", line + first_line - 1)
        for line, value in values
        if not isinstance(value, dict)
    ]
    columns: dict[str, Any] = {}
    drift = strings = 0
    for field in schema:
        given = [value.get(field.name) for _, value in objects]
        if field.name in ids:
            texts, numbers = as_ids(given)
            columns[field.name] = pa.array(texts, type=field.type)
            drift += int(numbers.sum())
            strings += sum(1 for v in given if isinstance(v, str))
        elif pa.types.is_floating(field.type):
            columns[field.name] = pa.array([_number(v) for v in given], type=field.type)
            unread = [
                (line, v) for (line, _), v in zip(objects, given, strict=True) if v is not None and _number(v) is None
            ]
            if unread:
                line, value = unread[0]
                message = f"{len(unread)} {field.name} value(s) are not numbers, first {value!r}; left empty"
                problems.append(Problem("unreadable_date", message, line))
        else:
            columns[field.name] = pa.array([None if v is None else str(v) for v in given], type=field.type)
    columns[LINE] = pa.array([line for line, _ in objects], type=pa.int64())
    if drift and strings:
        first = objects[0][0] if objects else first_line
        message = f"{drift} id(s) arrive as numbers where others are strings (read as the same ids)"
        problems.append(Problem("mixed_id_types", message, first))
    return pa.table(columns), problems


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _arrow_read(data: bytes | memoryview, schema: pa.Schema) -> pa.Table:
    """The schema's columns of JSON lines, by Arrow's reader (ArrowInvalid where a line is not a record)."""
    import pyarrow.json as pj

    return pj.read_json(
        pa.BufferReader(pa.py_buffer(data)),
        read_options=pj.ReadOptions(block_size=_BLOCK_BYTES),
        parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore"),
    ).select(schema.names)
