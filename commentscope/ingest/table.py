"""Any CSV or JSON Lines of comments, one row per comment: columns found by their common names, or
mapped with ``--map id=comment_id,parent=in_reply_to``.

commentscope's own ``comments -f csv`` / ``-f jsonl`` output reads back to the same Threads: its
``source`` column names the thread, and its ``number`` and ``line`` are kept; depth, position and
words are worked out again from the tree and the texts.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from commentscope.errors import InputError

if TYPE_CHECKING:
    from commentscope.ingest.registry import OwnedBytes, ReadOptions
    from commentscope.model import Thread

#: Field -> the column names recognised for it without a map, most likely first (case does not matter).
NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "comment_id", "cid"),
    "parent": ("parent_id", "parent", "reply_to", "in_reply_to", "reply-to"),
    "author": ("author", "user", "speaker", "username", "author_name"),
    "time": ("timestamp", "created_at", "time", "date", "created_utc", "created"),
    "text": ("text", "body", "message", "content", "comment"),
    "thread": ("thread", "link_id", "conversation_id", "thread_id", "post_id", "source"),
    "kind": ("kind",),
    "number": ("number",),
    "line": ("line",),
}
REQUIRED = ("id", "text")
#: The fields ``--map`` may name.
MAPPABLE = ("id", "parent", "author", "time", "text", "thread", "kind")


def parse_column_map(text: str | None) -> tuple[tuple[str, str], ...]:
    """``id=comment_id,parent=in_reply_to`` as pairs; ValueError saying what is wrong."""
    if not text:
        return ()
    pairs = []
    for part in text.split(","):
        field, equals, column = part.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not equals or not column:
            raise ValueError(f"{part.strip()!r} is not FIELD=COLUMN")
        if field not in MAPPABLE:
            raise ValueError(f"{field!r} is not a field; choose from {', '.join(MAPPABLE)}")
        pairs.append((field, column))
    return tuple(pairs)


def _first_line(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0]


def _names(keys: list[str]) -> bool:
    lowered = {key.strip().lower() for key in keys}
    return all(any(name in lowered for name in NAMES[field]) for field in REQUIRED)


def sniff(head: bytes) -> bool:
    """A JSON object per line, or a CSV header, holding an id and a text column by a common name."""
    first = _first_line(head)
    if first.startswith(b"{"):
        try:
            value = json.loads(first)
        except ValueError:
            return False
        return isinstance(value, dict) and _names(list(value))
    try:
        header = next(csv.reader([first.decode("utf-8", "replace").rstrip("\r")]))
    except (csv.Error, StopIteration):
        return False
    return len(header) > 1 and _names(header)


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    data = bytes(page.take()).removeprefix(b"\xef\xbb\xbf")
    if data.lstrip().startswith(b"{"):
        return _json_lines(data, source, options)
    return _csv(data, source, options)


def _columns(available: list[str], options: ReadOptions, source: str) -> dict[str, str]:
    """Field -> column of this file: the map first, then the common names; InputError listing what is missing."""
    by_lower = {name.strip().lower(): name for name in available}
    chosen = {}
    mapped = dict(options.column_map)
    for field, names in NAMES.items():
        if field in mapped:
            if mapped[field] not in available:
                raise InputError(f"--map names column {mapped[field]!r}, which the file lacks", source=source)
            chosen[field] = mapped[field]
            continue
        for name in names:
            if name in by_lower and by_lower[name] not in chosen.values():
                chosen[field] = by_lower[name]
                break
    missing = [field for field in REQUIRED if field not in chosen]
    if missing:
        wanted = "; ".join(f"{field} ({' / '.join(NAMES[field])})" for field in missing)
        raise InputError(
            f"no column for {wanted}; name one with --map, e.g. --map {missing[0]}=COLUMN "
            f"(columns: {', '.join(available[:20])})",
            source=source,
        )
    return chosen


def _csv(data: bytes, source: str, options: ReadOptions) -> list[Thread]:
    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""], on_bad_lines="error")
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError(f"not a CSV of comments ({str(error).strip()})", source=source) from None
    chosen = _columns(list(frame.columns), options, source)
    rows = {field: frame[column].tolist() for field, column in chosen.items()}
    return _threads(rows, len(frame), source, options, [], chosen.get("thread") == "source")


def _json_lines(data: bytes, source: str, options: ReadOptions) -> list[Thread]:
    from commentscope.ingest.records import json_lines
    from commentscope.model import Problem

    values, problems = json_lines(data, "comment")
    objects = [(line, value) for line, value in values if isinstance(value, dict)]
    problems += [
        Problem("bad_line", f"not a JSON object: {str(value)[:60]!r}", line)
        for line, value in values
        if not isinstance(value, dict)
    ]
    keys = list(dict.fromkeys(key for _, value in objects[:1000] for key in value))
    chosen = _columns(keys, options, source)
    rows = {field: [value.get(column) for _, value in objects] for field, column in chosen.items()}
    rows.setdefault("line", [line for line, _ in objects])
    return _threads(rows, len(objects), source, options, problems, chosen.get("thread") == "source")


def _threads(
    rows: dict[str, list[Any]], count: int, source: str, options: ReadOptions, problems: list, own: bool
) -> list[Thread]:
    """The rows a file gave, as Threads: times as written (UTC when they carry a zone). ``own``: a
    ``source`` column (commentscope's own output) names each thread's source as it was."""
    from commentscope.ingest.records import build_threads, written_times
    from commentscope.model import Problem

    times, unread, utc = written_times(rows.get("time", [None] * count))
    threads = rows.get("thread", [None] * count)
    parents = rows.get("parent", [None] * count)
    to_post = [i for i, (p, t) in enumerate(zip(parents, threads, strict=True)) if p is not None and p == t]
    if to_post:  # a reply to the post itself: a top-level comment, written another way
        skip = set(to_post)
        parents = [None if i in skip else p for i, p in enumerate(parents)]
        problems.append(
            Problem("parent_is_post", f"{len(to_post)} comment(s) give the thread itself as parent; read as top level")
        )
    columns = {
        "thread": threads,
        "id": rows["id"],
        "parent": parents,
        "author": [None if a is None or a != a else str(a) for a in rows.get("author", [None] * count)],
        "time": times,
        "text": [t if isinstance(t, str) else "" if t is None or t != t else str(t) for t in rows["text"]],
        "kind": [k if isinstance(k, str) else "comment" for k in rows.get("kind", [None] * count)],
        "line": rows.get("line", range(1, count + 1)),
    }
    columns["line"] = [int(x) if x is not None and x == x else i for i, x in enumerate(columns["line"], 1)]
    extra = {"number": [None if n is None or n != n else int(n) for n in rows["number"]]} if "number" in rows else {}
    return build_threads(
        columns,
        source,
        lenient=options.lenient,
        timezone="UTC" if utc else None,
        extra=extra,
        file_problems=problems,
        unread_times=(unread, rows.get("time")),
        key_is_source=own,
    )
