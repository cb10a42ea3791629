"""A ConvoKit corpus's ``utterances.jsonl``: a Thread per ``conversation_id``, parents from
``reply_to`` (or the older ``reply-to``), authors from ``speaker``.

A corpus is a folder; name the file itself, or the folder with ``--glob utterances.jsonl``.
Timestamps are epoch seconds in most corpora: read as UTC (ISO strings with a zone too).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from commentscope.ingest.records import Records, json_lines

if TYPE_CHECKING:
    from commentscope.ingest.registry import OwnedBytes, ReadOptions
    from commentscope.model import Thread

_LINE = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{[^\n]*"conversation_id"\s*:')


def sniff(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0]
    return (
        _LINE.match(first) is not None and b'"speaker"' in first and (b'"reply_to"' in first or b'"reply-to"' in first)
    )


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    values, problems = json_lines(bytes(page.take()), "utterance")
    records = Records()
    for line, item in values:
        if not isinstance(item, dict):
            continue
        parent = item.get("reply_to", item.get("reply-to"))
        records.add(
            item.get("conversation_id"),
            item.get("id"),
            parent,
            item.get("speaker"),
            item.get("timestamp"),
            item.get("text") or "",
            "comment",
            line,
        )
    return records.threads(source, lenient=options.lenient, file_problems=problems)
