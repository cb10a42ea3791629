"""The text data formats: JSON, JSON Lines, CSV and TSV, carrying data only.

A frame is written a column at a time: each column becomes its cells' text in one pass chosen by
its dtype (numbers, ISO times, JSON strings), and the rows are joined from those columns, a block
of rows at a time so that the text of a large page is never all in memory at once. Lists of
mappings (stats, findings) go through the same cell rules, and so do ``NestedRows`` (a reply tree
as columns), which JSON nests by each row's level.
"""

from __future__ import annotations

import functools
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from commentscope.nested import NestedRows
from commentscope.writers.escaping import plain, spreadsheet_safe

if TYPE_CHECKING:
    import pandas as pd

#: Rows joined and written at a time, and characters of a nested JSON text: bounded memory, few writes.
BLOCK_ROWS = 5_000
WRITE_CHARS = 1 << 20

# json.dumps(..., ensure_ascii=False) spells a string this way (the C encoder when there is one).
_json_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


@dataclass(frozen=True)
class WriteOptions:
    """What a user may tell the text formats."""

    raw_csv: bool = False  # no formula guard on CSV/TSV cells
    header: bool = True  # CSV/TSV header row
    json_indent: int | None = None  # None: compact JSON


def records(data: Any) -> list[dict[str, Any]]:
    """Rows of plain values from a DataFrame, a list of mappings or one mapping."""
    if _is_frame(data):
        data = data.to_dict("records")
    elif isinstance(data, Mapping):
        data = [data]
    return [{key: _plain_tree(value) for key, value in row.items()} for row in data]


def _is_frame(data: Any) -> bool:
    return hasattr(data, "to_dict") and hasattr(data, "columns")


def _plain_tree(value: Any) -> Any:
    """Plain values all the way down, iteratively: reply trees can be thousands of levels deep."""
    if not isinstance(value, list | dict):
        return plain(value)
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(root, 0, value)]
    while stack:
        holder, key, item = stack.pop()
        if isinstance(item, dict):
            copy: Any = dict.fromkeys(item)
            stack.extend((copy, k, v) for k, v in item.items())
        elif isinstance(item, list):
            copy = [None] * len(item)
            stack.extend((copy, i, v) for i, v in enumerate(item))
        else:
            copy = plain(item)
        holder[key] = copy
    return root[0]


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON of ``value`` as ``json.dumps`` spells its plain values (see ``plain``): compact, or indented
    by ``indent``. Iterative, so reply trees thousands of levels deep are no problem."""
    return "".join(json_parts(value, indent))


def json_parts(value: Any, indent: int | None = None) -> Iterator[str]:
    """``json_text`` in pieces, so that a large tree is written without its whole text in memory;
    a run of values that hold no container is one piece."""
    stack: list[tuple[bool, Any, int]] = [(False, value, 0)]  # (already JSON text, item, nesting level)
    comma = ", " if indent is None else ","
    while stack:
        is_text, item, level = stack.pop()
        if is_text:
            yield item
        elif isinstance(item, dict | list) and item:
            inner = "" if indent is None else "\n" + " " * (indent * (level + 1))
            is_dict = isinstance(item, dict)
            yield "{" if is_dict else "["
            pending: list[tuple[bool, Any, int]] = []
            run: list[str] = []
            entries = item.items() if is_dict else enumerate(item)
            for index, (key, child) in enumerate(entries):
                run.append((comma if index else "") + inner + (_json_string(str(key)) + ": " if is_dict else ""))
                if isinstance(child, dict | list) and child:
                    pending.append((True, "".join(run), level))
                    pending.append((False, child, level + 1))
                    run = []
                else:
                    run.append(_json_leaf(child))
            run.append(("" if indent is None else "\n" + " " * (indent * level)) + ("}" if is_dict else "]"))
            pending.append((True, "".join(run), level))
            stack.extend(reversed(pending))
        else:
            yield _json_leaf(item)


def _json_leaf(value: Any) -> str:
    """One value that holds nothing (an empty list or dict at most), as ``json.dumps(plain(value))``."""
    kind = type(value)
    if kind is str:
        return _json_string(value)  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return "null" if value != value else json.dumps(value)  # NaN is missing
    if isinstance(value, list | dict):
        return json.dumps(value)
    plain_value = plain(value)
    return "null" if plain_value is None else _json_leaf(plain_value)


def write_json(data: Any, stream: IO[str], options: WriteOptions) -> None:
    """One mapping is one JSON object; anything else an array."""
    if isinstance(data, Mapping):
        _write_parts(stream, json_parts(dict(data), options.json_indent))
    elif isinstance(data, NestedRows):
        _write_parts(stream, _nested_parts(data, options.json_indent))
    elif not _is_frame(data):
        _write_parts(stream, json_parts([dict(row) for row in data], options.json_indent))
    elif options.json_indent is not None:
        _write_parts(stream, json_parts(records(data), options.json_indent))
    else:
        stream.write("[")
        for index, block in enumerate(_json_blocks(data)):
            stream.write((", " if index else "") + ", ".join(block))
        stream.write("]\n")


def _nested_parts(nested: NestedRows, indent: int | None) -> Iterator[str]:
    """The JSON of ``NestedRows`` as ``json_parts`` spells the same rows built as nested mappings, a
    block of rows at a time: each row's cells come from its columns, and the brackets around it from
    its level and its neighbours' (a deeper row opens the row's array, a shallower one closes arrays)."""
    if len(nested.rows) == 0:
        yield "[]"
        return
    comma = ", " if indent is None else ","

    def newline(nesting: int) -> str:
        return "" if indent is None else "\n" + " " * (indent * nesting)

    keys = [_json_string(str(column)).replace("{", "{{").replace("}", "}}") for column in nested.rows.columns]
    key = _json_string(nested.key).replace("{", "{{").replace("}", "}}")

    @functools.cache
    def opening(level: int) -> Callable[..., str]:
        """A row's object up to its array: the row is nested 2 * level + 1 deep in the JSON."""
        inner = newline(2 * level + 2)
        cells = "".join((comma if index else "") + inner + name + ": {}" for index, name in enumerate(keys))
        return ("{{" + cells + comma + inner + key + ": ").format

    @functools.cache
    def before(previous: int, level: int) -> str:
        """A comma, unless the row is the first in its array."""
        return ("" if level == previous + 1 else comma) + newline(2 * level + 1)

    @functools.cache
    def after(level: int, following: int) -> str:
        """The row's array opened for the deeper row that follows, or closed with those it ends."""
        if following == level + 1:
            return "["
        ends = "".join(
            newline(2 * up + 2) + "]" + newline(2 * up + 1) + "}" for up in range(level - 1, following - 1, -1)
        )
        return "[]" + newline(2 * level + 1) + "}" + ends

    levels = nested.levels.tolist()
    yield "["
    for start in range(0, len(levels), BLOCK_ROWS):
        here = levels[start : start + BLOCK_ROWS]
        end = start + len(here)
        previous = [levels[start - 1] if start else -1, *here[:-1]]
        following = [*here[1:], levels[end] if end < len(levels) else 0]
        cells = [_json_cells(column) for column in _columns_of(nested.rows.iloc[start:end])]
        heads = list(map(before, previous, here))
        bodies = map(operator.call, map(opening, here), *cells)
        tails = map(after, here, following)
        yield "".join([part for row in zip(heads, bodies, tails, strict=True) for part in row])
    yield newline(0) + "]"


def _write_parts(stream: IO[str], parts: Iterable[str]) -> None:
    """The pieces of one JSON text and its newline, a megabyte or so at a time."""
    batch: list[str] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size > WRITE_CHARS:
            stream.write("".join(batch))
            batch, size = [], 0
    stream.write("".join(batch) + "\n")


def write_jsonl(data: Any, stream: IO[str], options: WriteOptions) -> None:
    """One JSON object a line."""
    if _is_frame(data):
        for block in _json_blocks(data):
            stream.write("\n".join(block) + "\n")
    else:
        for row in [data] if isinstance(data, Mapping) else data:
            stream.write(json_text(dict(row)) + "\n")


def write_csv(data: Any, stream: IO[str], options: WriteOptions) -> None:
    _write_delimited(data, stream, options, ",")


def write_tsv(data: Any, stream: IO[str], options: WriteOptions) -> None:
    _write_delimited(data, stream, options, "\t")


def column_names(data: Any) -> list[str]:
    """A frame's own columns (so an empty one still has a header), else the first row's keys."""
    if _is_frame(data):
        return [str(column) for column in data.columns]
    if isinstance(data, Mapping):
        return [str(key) for key in data]
    return [str(key) for key in data[0]] if data else []


def _json_blocks(frame: pd.DataFrame) -> Iterator[list[str]]:
    """Each row's JSON object, as ``json.dumps`` of its plain values spells it, a block of rows at a time."""
    keys = [_json_string(str(column)).replace("{", "{{").replace("}", "}}") for column in frame.columns]
    row = "{{" + ", ".join(f"{key}: {{}}" for key in keys) + "}}"
    for block in _blocks(frame):
        cells = [_json_cells(column) for column in _columns_of(block)]
        yield list(map(row.format, *cells)) if cells else ["{}"] * len(block)


def _json_cells(values: list[Any]) -> list[str]:
    """Each value's JSON, in one pass chosen by the kinds of value the column holds."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return list(map(_json_string, values))
    if kinds <= {int}:
        return list(map(int.__repr__, values))
    if kinds <= {str, type(None)}:  # text with gaps: an author, a parent id
        return ["null" if value is None else _json_string(value) for value in values]
    if kinds <= {int, type(None)}:  # nullable numbers
        return ["null" if value is None else int.__repr__(value) for value in values]
    return list(map(_json_cell, values))


def _json_cell(value: Any) -> str:
    return json_text(value) if isinstance(value, list | dict) and value else _json_leaf(value)


_CSV_SPECIAL = {",": re.compile('[,"\r\n]'), "\t": re.compile('[\t"\r\n]')}


def _write_delimited(data: Any, stream: IO[str], options: WriteOptions, delimiter: str) -> None:
    """CSV as Python's csv module writes it (minimal quoting; a carriage return is quoted too), rows ending in \\n."""
    names = column_names(data)
    if not names:
        return
    special = _CSV_SPECIAL[delimiter]
    if options.header:
        stream.write(delimiter.join(_quoted(names, special)) + "\n")
    blocks = _blocks(data) if _is_frame(data) else [_record_block(data, names)]
    for block in blocks:
        columns = [_csv_cells(column, special, options.raw_csv) for column in _columns_of(block)]
        if len(columns) == 1:  # a row of one empty cell would be a blank line: csv writes it as ""
            columns = [[cell or '""' for cell in columns[0]]]
        stream.write("".join(line + "\n" for line in map(delimiter.join, zip(*columns, strict=True))))


def _record_block(data: Any, names: list[str]) -> list[list[Any]]:
    rows = [data] if isinstance(data, Mapping) else data
    return [[_plain_tree(row.get(name)) for row in rows] for name in names]


# The first characters of the cells spreadsheet_safe may change: a formula's, and the quote it adds.
_GUARDED_FIRST = frozenset(c for c in map(chr, range(128)) if spreadsheet_safe(c) != c) | {"'"}


def _csv_cells(values: list[Any], special: re.Pattern[str], raw: bool) -> list[str]:
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:  # text, with or without gaps: one pass, and the guard only where it may apply
        cells = ["" if value is None else value for value in values] if type(None) in kinds else values
        if not raw:
            cells = [spreadsheet_safe(cell) if cell[:1] in _GUARDED_FIRST else cell for cell in cells]
        return _quoted(cells, special)
    if kinds <= {int, type(None)}:
        return ["" if value is None else int.__repr__(value) for value in values]  # no digit needs quotes
    if raw:
        cells = [value if type(value) is str else _csv_text(value) for value in values]
    else:  # only text is guarded: a negative number is a number
        cells = [spreadsheet_safe(value) if type(value) is str else _csv_text(value) for value in values]
    return _quoted(cells, special)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json_text(value)
    return str(value)


def _quoted(cells: Iterable[str], special: re.Pattern[str]) -> list[str]:
    search = special.search
    return [('"' + cell.replace('"', '""') + '"') if search(cell) else cell for cell in cells]


def _blocks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), BLOCK_ROWS):
        yield frame.iloc[start : start + BLOCK_ROWS]


def _columns_of(block: pd.DataFrame | Sequence[list[Any]]) -> list[list[Any]]:
    """Each column of a block as plain Python values (what ``plain`` gives for each cell)."""
    if not _is_frame(block):
        return list(block)  # type: ignore[arg-type]
    return [_plain_column(block.iloc[:, index]) for index in range(block.shape[1])]


def _plain_column(column: pd.Series) -> list[Any]:
    """``[plain(v) for v in column]``, by dtype: whole columns at once where the dtype allows."""
    import numpy as np
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC":
        return _iso_times(column.dt.tz_localize(None).to_numpy(), "+00:00")
    if dtype.kind == "M" and not isinstance(dtype, pd.DatetimeTZDtype):
        return _iso_times(column.to_numpy(), "")
    if dtype.kind in "iub" and isinstance(dtype, np.dtype):
        return column.to_numpy().tolist()
    if dtype.kind == "f" and isinstance(dtype, np.dtype):
        values = column.to_numpy()
        cells = values.tolist()
        for index in np.flatnonzero(np.isnan(values)).tolist():
            cells[index] = None
        return cells
    if isinstance(dtype, pd.StringDtype):
        return column.to_numpy(dtype=object, na_value=None).tolist()
    if not isinstance(dtype, np.dtype):  # nullable integers come out as ints and None, already plain
        cells = column.to_numpy(dtype=object, na_value=None).tolist()
        if set(map(type, cells)) <= {int, type(None)}:
            return cells
    return [value if type(value) is str else _plain_tree(value) for value in column.to_numpy(dtype=object).tolist()]


def _iso_times(values: Any, zone: str) -> list[Any]:
    """``Timestamp.isoformat()`` of each time: seconds, and micro- or nanoseconds only where a time has them."""
    import numpy as np

    missing = np.isnat(values)
    seconds = values.astype("datetime64[s]")
    text = np.char.add(np.datetime_as_string(seconds, unit="s"), zone).astype(object)
    fraction = (values != seconds) & ~missing
    if fraction.any():
        nanos = values.astype("datetime64[ns]")
        micro = nanos.astype("datetime64[us]")
        for unit, mask in (("us", fraction & (micro == nanos)), ("ns", fraction & (micro != nanos))):
            if mask.any():
                text[mask] = np.char.add(np.datetime_as_string(nanos[mask], unit=unit), zone)
    text[missing] = None
    return text.tolist()
