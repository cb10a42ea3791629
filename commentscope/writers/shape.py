"""--fields, --sort and --limit: the rows and columns of a result a user asked for, before any writer sees it."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from commentscope.nested import NestedRows
from commentscope.writers.text import column_names

if TYPE_CHECKING:
    from commentscope.writers import Result, Writer


def shaped(
    result: Result, writer: Writer, *, fields: tuple[str, ...] | None, sort: str | None, limit: int | None
) -> Result:
    """The result with only ``fields`` (in that order), sorted by ``sort`` (``-name``: largest first), ``limit`` rows.

    UnsuitedOutput (exit 2) names the valid fields when one is not there, and refuses these
    options where the writer takes the nested form (a reply tree)."""
    from commentscope.writers import UnsuitedOutput

    if fields is None and sort is None and limit is None:
        return result
    if result.nests_for(writer):
        raise UnsuitedOutput(
            f"--fields, --sort and --limit apply to rows; {result.kind} -f {writer.name} nests them "
            "(-f jsonl or -f csv give the rows)"
        )
    data = result.rows()
    names = column_names(data)
    key = None if sort is None else sort.removeprefix("-")
    for name in [*(fields or ()), *([key] if key else [])]:
        if name not in names:
            raise UnsuitedOutput(f"{name!r} is not a field of {result.kind}; choose from {', '.join(names)}")
    if isinstance(data, Mapping):
        if sort is not None or limit is not None:
            raise UnsuitedOutput(f"--sort and --limit apply to rows; {result.kind} of one page is one record")
        data = {name: data[name] for name in fields or names}
    elif hasattr(data, "columns"):
        if key is not None:
            data = data.sort_values(key, ascending=not sort.startswith("-"), na_position="last", kind="stable")  # type: ignore[union-attr]
        if limit is not None:
            data = data.head(limit)
        if fields is not None:
            data = data[list(fields)]
    else:
        rows = list(data)
        if key is not None:
            rows = _sorted(rows, key, descending=sort.startswith("-"))  # type: ignore[union-attr]
        if limit is not None:
            rows = rows[:limit]
        data = rows if fields is None else [{name: row.get(name) for name in fields} for row in rows]
    columns = list(fields) if fields is not None else result.columns
    total = result.total
    if total is not None and fields is not None:
        total = functools.partial(_picked, total, fields)
    return dataclasses.replace(result, data=data, columns=columns, fields=fields, total=total)


def _picked(row: Callable[[], Mapping[str, Any]], fields: tuple[str, ...]) -> dict[str, Any]:
    whole = row()
    return {name: whole.get(name) for name in fields}


def _sorted(rows: list[dict[str, Any]], key: str, *, descending: bool) -> list[dict[str, Any]]:
    """Stable, missing values last either way; mixed kinds of value compare as text."""
    present = [row for row in rows if row.get(key) is not None]
    missing = [row for row in rows if row.get(key) is None]
    try:
        present.sort(key=lambda row: row[key], reverse=descending)
    except TypeError:
        present.sort(key=lambda row: str(row[key]), reverse=descending)
    return present + missing


def without(result: Result, names: frozenset[str]) -> Result:
    """The result with these fields left out of every form, the nested ones too (--no-text: no text column,
    rather than an empty one)."""
    rows, nested = result.data, result.nested
    return dataclasses.replace(
        result,
        data=(lambda: _dropped(rows(), names)) if callable(rows) else _dropped(rows, names),
        nested=None if nested is None else (lambda: _dropped(nested(), names)),
        columns=None if result.columns is None else [name for name in result.columns if name not in names],
    )


def _dropped(data: Any, names: frozenset[str]) -> Any:
    """``data`` without the fields ``names``: a frame's columns, ``NestedRows``' columns, or the keys of
    mappings nested in lists and mappings at any depth (walked with a stack, since a reply tree can
    nest thousands of levels)."""
    if hasattr(data, "columns"):
        return data.drop(columns=[name for name in names if name in data.columns])
    if isinstance(data, NestedRows):
        return dataclasses.replace(data, rows=_dropped(data.rows, names))
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for name in names & item.keys():
                del item[name]
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return data
