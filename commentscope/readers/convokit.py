"""A ConvoKit corpus's ``utterances.jsonl``: a Thread per ``conversation_id``, parents from
``reply_to`` (or the older ``reply-to``), authors from ``speaker``.

A corpus is a folder; name the file itself, or the folder with ``--glob utterances.jsonl``.
Corpora run to tens of GB, so the file is read in batches of columns (``readers.batches``), and
only the fields used are kept (``meta`` and ``vectors`` are not decoded). Timestamps are epoch
seconds: UTC.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from commentscope.model import Problem
from commentscope.readers.batches import LINE, read_json_lines
from commentscope.readers.records import build_threads, epoch_times

if TYPE_CHECKING:
    from commentscope.model import Thread
    from commentscope.readers.registry import OwnedBytes, ReadOptions

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("conversation_id", pa.string()),
        ("speaker", pa.string()),
        ("reply_to", pa.string()),
        ("reply-to", pa.string()),
        ("timestamp", pa.float64()),
        ("text", pa.string()),
    ]
)
_LINE = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{[^\n]*"conversation_id"\s*:')


def sniff(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0]
    return (
        _LINE.match(first) is not None and b'"speaker"' in first and (b'"reply_to"' in first or b'"reply-to"' in first)
    )


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    problems: list[Problem] = []
    table = read_json_lines(page, SCHEMA, problems, ids=("id", "conversation_id", "reply_to", "reply-to"))
    parents = pc.coalesce(table.column("reply_to"), table.column("reply-to"))
    seconds = table.column("timestamp").combine_chunks().to_numpy(zero_copy_only=False)
    times = epoch_times(seconds)
    columns = {
        "thread": table.column("conversation_id"),
        "id": table.column("id"),
        "parent": parents,
        "author": table.column("speaker"),
        "time": times,
        "text": table.column("text"),
        "kind": pa.repeat(pa.scalar("comment", pa.large_string()), table.num_rows),
        "line": table.column(LINE).to_numpy(),
    }
    return build_threads(columns, source, lenient=options.lenient, timezone="UTC", file_problems=problems)
