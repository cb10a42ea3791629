"""The table format: a command's result as a rich table or tree, for a person at a terminal."""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

from commentscope.writers.text import WriteOptions, column_names, records

if TYPE_CHECKING:
    from commentscope.writers import Result


def write_table(result: Result, stream: IO[str], options: WriteOptions) -> None:
    """The result's own view when it has one, else a plain table of its rows."""
    from commentscope.writers.table import stdout_console, table_of

    if result.table is not None:
        view = result.table(None if result.nested_table else result.flat(for_table=True), result.fields)
    else:
        data = result.flat(for_table=True)
        rows = data if hasattr(data, "columns") else records(data)  # a frame's columns are read as they are
        columns = result.columns or column_names(data)
        view = table_of(rows, result.title, columns, nulls=result.nulls, bar=result.bar, caption=result.caption)
    stdout_console(None if stream is sys.stdout else stream).print(view)
