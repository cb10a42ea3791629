"""Pushshift / Arctic Shift reddit dumps: one comment object per line (NDJSON), plain or zstd
compressed (``.zst``). Comments are grouped into Threads by ``link_id``, with parents from
``parent_id``; a comment whose parent is not in the file stays, top level, counted.

The file is read in batches of whole lines, each decoded into columns (``readers.batches``).
Times are epoch seconds: UTC.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from commentscope.model import Problem
from commentscope.readers.batches import LINE, ZSTD_MAGIC, read_json_lines
from commentscope.readers.records import build_threads, epoch_times

if TYPE_CHECKING:
    from commentscope.model import Thread
    from commentscope.readers.registry import OwnedBytes, ReadOptions

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
    return threads_of(  # the table is not held here: threads_of lets its texts go
        read_json_lines(page, SCHEMA, problems, ids=("id", "parent_id", "link_id")),
        source,
        problems,
        options.lenient,
        options.texts,
    )


def threads_of(
    table: pa.Table, source: str, problems: list[Problem], lenient: bool = False, texts: bool = True
) -> list[Thread]:
    """The dump's columns as Threads, one per ``link_id``; prefixes dropped, ``[deleted]`` kept in place."""
    link = table.column("link_id").combine_chunks()
    parent = table.column("parent_id").combine_chunks()
    author = table.column("author").combine_chunks()
    deleted = pc.fill_null(pc.is_in(author, pa.array(["[deleted]", "[removed]"])), False)
    to_post = pc.fill_null(pc.starts_with(parent, "t3_"), False)
    null_parent = pc.is_null(parent).to_numpy(zero_copy_only=False)
    seconds = table.column("created_utc").combine_chunks().to_numpy(zero_copy_only=False)
    times = epoch_times(seconds)
    lines = table.column(LINE).combine_chunks().to_numpy(zero_copy_only=False)
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
        "text": table.column("body"),
        "kind": pc.if_else(deleted, "deleted", "comment"),
        "line": lines,
    }
    del table  # the columns hold what is needed; build_threads frees the texts once reordered
    return build_threads(columns, source, lenient=lenient, timezone="UTC", file_problems=problems, texts=texts)


def _bare(names: pa.Array) -> pa.Array:
    """``t1_abc`` -> ``abc``: reddit's type prefix dropped, other values as they are."""
    prefixed = pc.fill_null(pc.match_substring_regex(names, "^t[0-9]_"), False)
    return pc.if_else(prefixed, pc.utf8_slice_codeunits(names, 3), names)
