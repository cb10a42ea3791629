"""Output: every command's result becomes a table, JSON, JSON Lines or CSV here, and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commentscope.writers.files import open_output, standard_output
from commentscope.writers.text import OutputFormat, _columns, records, write_data

if TYPE_CHECKING:
    from rich.console import RenderableType


def render(
    data: Any,
    fmt: OutputFormat,
    output: Path | None = None,
    *,
    table: RenderableType | None = None,
    title: str | None = None,
    columns: list[str] | None = None,
    nulls: Mapping[str, str] | None = None,
    bar: str | None = None,
    caption: str | None = None,
    raw_csv: bool = False,
) -> None:
    """Write a result to stdout or to ``output`` in the chosen format.

    ``data`` is what json/jsonl/csv carry; ``table``, when given, is what the table
    form shows instead of a plain table of the rows (see ``table_of`` for the rest).
    One mapping renders as one JSON object, anything else as an array.
    """
    with ExitStack() as stack:
        handle = stack.enter_context(open_output(output) if output is not None else standard_output())
        if fmt is OutputFormat.table:
            if table is None:
                rows = records(data)
                from commentscope.writers.table import stdout_console, table_of

                table = table_of(rows, title, columns or _columns(data, rows), nulls=nulls, bar=bar, caption=caption)
            from commentscope.writers.table import stdout_console

            stdout_console(None if output is None else handle).print(table)
        else:
            write_data(data, fmt, handle, raw_csv=raw_csv)
        handle.flush()
