"""The text data formats: JSON, JSON Lines and CSV, carrying data only."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from commentscope.writers.escaping import plain, spreadsheet_safe

if TYPE_CHECKING:  # rich is imported where a table, a tree or a console is made: JSON, CSV and pipes never load it
    pass


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def records(data: Any) -> list[dict[str, Any]]:
    """Rows of plain values from a DataFrame, a list of mappings or one mapping."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):
        data = data.to_dict("records")
    elif isinstance(data, Mapping):
        data = [data]
    return [{key: _plain_tree(value) for key, value in row.items()} for row in data]


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


def json_text(value: Any) -> str:
    """Compact JSON of plain values, without recursion (see ``_plain_tree``)."""
    parts: list[str] = []
    stack: list[tuple[bool, Any]] = [(False, value)]  # (already JSON text, item)
    while stack:
        is_text, item = stack.pop()
        if is_text:
            parts.append(item)
        elif isinstance(item, dict) and _holds_containers(item.values()):
            parts.append("{")
            stack.append((True, "}"))
            entries = list(item.items())
            for index in range(len(entries) - 1, -1, -1):
                key, child = entries[index]
                stack.append((False, child))
                stack.append((True, (", " if index else "") + json.dumps(key, ensure_ascii=False) + ": "))
        elif isinstance(item, list) and _holds_containers(item):
            parts.append("[")
            stack.append((True, "]"))
            for index in range(len(item) - 1, -1, -1):
                stack.append((False, item[index]))
                if index:
                    stack.append((True, ", "))
        else:
            parts.append(json.dumps(item, ensure_ascii=False))
    return "".join(parts)


def _holds_containers(values: Iterable[Any]) -> bool:
    return any(isinstance(value, dict | list) for value in values)


def write_data(data: Any, fmt: OutputFormat, stream: IO[str], *, raw_csv: bool = False) -> None:
    """JSON, JSON Lines or CSV of ``data`` to ``stream``: one mapping is one JSON object, anything else an array."""
    rows = records(data)
    if fmt is OutputFormat.json:
        stream.write(json_text(rows[0] if isinstance(data, Mapping) else rows) + "\n")
    elif fmt is OutputFormat.jsonl:
        for row in rows:
            stream.write(json_text(row) + "\n")
    else:
        for line in _csv_lines(rows, _columns(data, rows), raw_csv):
            stream.write(line)


def _columns(data: Any, rows: list[dict[str, Any]]) -> list[str]:
    """The column names: a frame's own (so an empty one still has a header), else the first row's."""
    if hasattr(data, "columns"):
        return [str(column) for column in data.columns]
    return list(rows[0]) if rows else []


def _csv_lines(rows: list[dict[str, Any]], columns: list[str], raw_csv: bool) -> Iterator[str]:
    if not columns:
        return

    class _Line:
        value = ""

        def write(self, text: str) -> None:
            self.value = text

    line = _Line()
    # Rows end in "\r\n" for the writer, so that it quotes a cell holding either character (with
    # "\n" alone, a carriage return in a path went out unquoted and broke the row); they go out
    # ending in "\n".
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow(columns)
    yield line.value[:-2] + "\n"
    for row in rows:
        cells = [row.get(column) for column in columns]
        cells = [json_text(c) if isinstance(c, list | dict) else c for c in cells]
        writer.writerow(cells if raw_csv else [spreadsheet_safe(c) for c in cells])
        yield line.value[:-2] + "\n"
