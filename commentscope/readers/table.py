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
    from commentscope.model import Thread
    from commentscope.readers.registry import OwnedBytes, ReadOptions

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


_BOM = b"\xef\xbb\xbf"


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    data = page.take()  # a large file stays mapped: no copy of it is made
    if data[:3] == _BOM:
        data = bytes(data)[3:]
    if bytes(data[:4096]).lstrip().startswith(b"{"):
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


def _csv(data: Any, source: str, options: ReadOptions) -> list[Thread]:
    """Arrow's CSV reader, in batches of ``BATCH_BYTES``, decoding only the mapped columns; a file it
    refuses (rows short of cells, which pandas fills with nulls, or broken quoting) is read whole by
    pandas, which says what is wrong."""
    import pyarrow as pa

    try:
        table = _arrow_csv(data, options, source)
    except pa.ArrowException:
        table = None
    if table is None:
        return _pandas_csv(data, source, options)
    chosen = _columns(table.column_names, options, source)
    rows = {field: table.column(column) for field, column in chosen.items()}
    for field in ("time", "number", "line"):  # read value by value
        if field in rows:
            rows[field] = rows[field].to_pylist()
    return _threads(rows, table.num_rows, source, options, [], chosen.get("thread") == "source")


def _arrow_csv(data: Any, options: ReadOptions, source: str) -> Any:
    """The chosen columns as text (empty cells null), or None when the header has duplicate names
    (pandas tells those apart as ``name.1``)."""
    import pyarrow as pa
    import pyarrow.csv as pv

    from commentscope.readers.batches import BATCH_BYTES

    buffer = pa.py_buffer(data)
    parse = pv.ParseOptions(newlines_in_values=True)
    names = pv.open_csv(pa.BufferReader(buffer), parse_options=parse).schema.names
    if len(set(names)) != len(names):
        return None
    wanted = list(dict.fromkeys(_columns(names, options, source).values()))
    convert = pv.ConvertOptions(
        include_columns=wanted,
        column_types=dict.fromkeys(wanted, pa.large_string()),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    reader = pv.open_csv(
        pa.BufferReader(buffer),
        read_options=pv.ReadOptions(block_size=BATCH_BYTES),
        parse_options=parse,
        convert_options=convert,
    )
    return pa.Table.from_batches(list(reader), reader.schema)


def _pandas_csv(data: Any, source: str, options: ReadOptions) -> list[Thread]:
    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""], on_bad_lines="error")
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError(f"not a CSV of comments ({str(error).strip()})", source=source) from None
    chosen = _columns(list(frame.columns), options, source)
    import pyarrow as pa

    # Text columns stay Arrow strings (pandas' own); the few read value by value become lists.
    rows = {
        field: frame[column].tolist() if field in ("time", "number", "line") else pa.array(frame[column])
        for field, column in chosen.items()
    }
    return _threads(rows, len(frame), source, options, [], chosen.get("thread") == "source")


def _json_lines(data: Any, source: str, options: ReadOptions) -> list[Thread]:
    """Read in batches of columns (``readers.batches``): only the mapped fields are decoded."""
    import msgspec
    import pyarrow as pa

    from commentscope.readers.batches import LINE, read_json_lines
    from commentscope.readers.registry import OwnedBytes

    sample: dict[str, Any] = {}  # each key's first value, over the first thousand objects
    for line in bytes(data[: 1 << 20]).split(b"\n")[:1000]:
        try:
            value = msgspec.json.decode(line)
        except msgspec.DecodeError:
            continue
        if isinstance(value, dict):
            sample = {**value, **sample}
    chosen = _columns(list(sample), options, source)
    numeric = ("time", "number", "line")
    schema = pa.schema(
        [
            (column, pa.float64() if field in numeric and _is_number(sample.get(column)) else pa.string())
            for field, column in chosen.items()
        ]
    )
    problems: list = []
    id_columns = tuple(chosen[field] for field in ("id", "parent", "thread") if field in chosen)
    table = read_json_lines(OwnedBytes(data), schema, problems, ids=id_columns)
    del data
    rows: dict[str, Any] = {field: table.column(column) for field, column in chosen.items()}
    for field in ("time", "number", "line"):
        if field in rows:
            rows[field] = rows[field].to_pylist()
    rows.setdefault("line", table.column(LINE).to_pylist())
    return _threads(rows, table.num_rows, source, options, problems, chosen.get("thread") == "source")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _threads(
    rows: dict[str, list[Any]], count: int, source: str, options: ReadOptions, problems: list, own: bool
) -> list[Thread]:
    """The rows a file gave, as Threads: times as written (UTC when they carry a zone). ``own``: a
    ``source`` column (commentscope's own output) names each thread's source as it was."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from commentscope.model import Problem
    from commentscope.readers.records import as_ids, build_threads, written_times

    def _strings(values: Any) -> pa.Array | pa.ChunkedArray:
        """Arrow strings: a JSON Lines column as it is, a CSV's cells (or ids given as numbers) as text."""
        if isinstance(values, pa.Array | pa.ChunkedArray):
            return values.cast(pa.large_string())
        return pa.array(as_ids(values)[0], type=pa.large_string())

    times, unread, utc = written_times(rows.get("time", [None] * count))
    threads = _strings(rows.get("thread", [None] * count))
    parents = _strings(rows.get("parent", [None] * count))
    to_post = pc.fill_null(pc.equal(parents, threads), False)
    if pc.any(to_post).as_py():  # a reply to the post itself: a top-level comment, written another way
        parents = pc.if_else(to_post, pa.scalar(None, pa.large_string()), parents)
        message = f"{pc.sum(to_post).as_py()} comment(s) give the thread itself as parent; read as top level"
        problems.append(Problem("parent_is_post", message))
    columns = {
        "thread": threads,
        "id": rows["id"],
        "parent": parents,
        "author": _strings(rows.get("author", [None] * count)),
        "time": times,
        "text": pc.fill_null(_strings(rows["text"]), ""),
        "kind": pc.fill_null(_strings(rows.get("kind", [None] * count)), "comment"),
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
        texts=options.texts,
    )
