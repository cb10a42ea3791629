"""A ConvoKit corpus's ``utterances.jsonl``: a Thread per ``conversation_id``, parents from
``reply_to`` (or the older ``reply-to``), authors from ``speaker``.

A corpus is a folder: its ``utterances.jsonl`` beside ``corpus.json``, ``conversations.json``,
``speakers.json`` and ``index.json``. Named as a folder, the utterances are read and those
companions are taken as part of the corpus (``corpus_companions``), not as inputs of their own.
Corpora run to tens of GB, so the file is read in batches of columns (``readers.batches``), and
only the fields used are kept (``meta`` and ``vectors`` are not decoded). Timestamps are epoch
seconds: UTC.

A corpus commentscope wrote itself (its ``corpus.json`` says ``"commentscope"``) reads back to the
pages it came from: each conversation's root utterance, which holds the article, is left out, the
``SOURCE#`` prefix of ids goes, and a speaker ``(anonymous) SOURCE#ID`` is an anonymous comment.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
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
#: The file of a ConvoKit corpus folder that holds the comments.
UTTERANCES = "utterances.jsonl"
#: The files beside it that describe the corpus (metadata and an index), no comments of their own.
COMPANIONS = ("corpus.json", "conversations.json", "speakers.json", "index.json")
#: How commentscope's ConvoKit export names each anonymous comment's speaker.
ANONYMOUS_SPEAKER = "(anonymous) "
_LINE = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{[^\n]*"conversation_id"\s*:')


def corpus_companions(paths: Iterable[str]) -> set[str]:
    """Of ``paths``, the companion files of a ConvoKit corpus whose utterances are among them too."""
    paths = list(paths)
    folders = {os.path.dirname(path) for path in paths if os.path.basename(path) == UTTERANCES}
    return {path for path in paths if os.path.basename(path) in COMPANIONS and os.path.dirname(path) in folders}


def sniff(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0]
    return (
        _LINE.match(first) is not None and b'"speaker"' in first and (b'"reply_to"' in first or b'"reply-to"' in first)
    )


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    problems: list[Problem] = []
    table = read_json_lines(page, SCHEMA, problems, ids=("id", "conversation_id", "reply_to", "reply-to"))
    own = _written_by_commentscope(source)
    if own:
        table = table.filter(pc.fill_null(pc.not_equal(table.column("id"), table.column("conversation_id")), True))
    parents = pc.coalesce(table.column("reply_to"), table.column("reply-to"))
    seconds = table.column("timestamp").combine_chunks().to_numpy(zero_copy_only=False)
    columns = {
        "thread": table.column("conversation_id"),
        "id": table.column("id"),
        "parent": parents,
        "author": table.column("speaker"),
        "time": epoch_times(seconds),
        "text": table.column("text"),
        "kind": pa.repeat(pa.scalar("comment", pa.large_string()), table.num_rows),
        "line": table.column(LINE).to_numpy(),
    }
    if own:
        columns.update(_as_exported(columns))
    return build_threads(
        columns,
        source,
        lenient=options.lenient,
        timezone="UTC",
        file_problems=problems,
        key_is_source=own,
        texts=options.texts,
    )


def _written_by_commentscope(source: str) -> bool:
    """Whether the corpus beside ``source`` says commentscope wrote it."""
    try:
        with open(os.path.join(os.path.dirname(source), "corpus.json"), encoding="utf-8") as corpus:
            return isinstance(meta := json.load(corpus), dict) and "commentscope" in meta
    except (OSError, ValueError):
        return False


def _as_exported(columns: dict[str, object]) -> dict[str, list[str | None]]:
    """Ids and parents without their ``SOURCE#`` prefix (a parent that is the article: none), and
    the anonymous speakers as no author."""
    pages = columns["thread"].to_pylist()  # type: ignore[attr-defined]

    def unprefixed(values: list[str | None]) -> list[str | None]:
        return [
            None if value is None or value == page else value.removeprefix(f"{page}#")
            for value, page in zip(values, pages, strict=True)
        ]

    speakers = columns["author"].to_pylist()  # type: ignore[attr-defined]
    return {
        "id": unprefixed(columns["id"].to_pylist()),  # type: ignore[attr-defined]
        "parent": unprefixed(columns["parent"].to_pylist()),  # type: ignore[attr-defined]
        "author": [None if name is None or name.startswith(ANONYMOUS_SPEAKER) else name for name in speakers],
    }
