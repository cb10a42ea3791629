"""Reports as Parquet files, one per table in a folder, for pandas, Polars, DuckDB and Spark.

``write_parquet(reports, threads, directory, *, force=False) -> list[Path]`` writes ``threads``
(``analysis.thread_table``) and each report (as for ``sqlite.write_database``: ``stats`` one row per
page, a single page's comments given their source) as ``DIRECTORY/NAME.parquet``, and returns the
paths, threads first.

- Types are kept: times as ``timestamp[us]`` (with their zone where the frame has one; the comments'
  are naive, and ``threads.timezone`` says when they are UTC), nullable integers as int64 with
  nulls, booleans as booleans. Names that repeat (``source``, ``author``, ``kind``, a network's
  ``target``) are dictionary-encoded, which pandas reads back as categories.
- The schema's documentation travels with the data: each documented column's meaning is in its
  field's metadata (``description``), and the whole schema as JSON in the file's metadata under
  ``commentscope.schema``.
- All files or none: each is written to a temporary name and renamed once every one is written
  (``write_files``, which the ConvoKit corpus uses too).

Raises ``OutputError`` (exit code 5) when a file would be overwritten without ``force``, or when
the folder or a file cannot be written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from commentscope import __version__
from commentscope.analysis.thread_table import THREAD_SCHEMA
from commentscope.errors import OutputError
from commentscope.model import COMMENT_SCHEMA
from commentscope.writers.sqlite import export_tables

if TYPE_CHECKING:
    from commentscope.writers import Export
    from commentscope.writers.text import WriteOptions

#: Columns whose values repeat across rows: stored once each, as a dictionary.
DICTIONARY_COLUMNS = frozenset({"source", "author", "kind", "target", "top_commenter", "timezone"})
#: Where each table's columns are documented.
DOCUMENTED: dict[str, dict[str, tuple[str, str]]] = {
    "threads": THREAD_SCHEMA,
    "comments": {"source": ("str", "the page the comment is on (threads.source)"), **COMMENT_SCHEMA},
}
METADATA_KEY = b"commentscope.schema"


def write_parquet(
    reports: Mapping[str, Any], threads: pd.DataFrame, directory: Path, *, force: bool = False
) -> list[Path]:
    """Write every table into ``directory`` as NAME.parquet (see the module's docstring)."""
    directory = Path(directory)
    tables = export_tables(reports, threads, directory)
    targets = {directory / f"{name}.parquet": _parquet_writer(name, frame) for name, frame in tables.items()}
    return write_files(targets, directory, force=force)


def write_files(targets: Mapping[Path, Callable[[Path], None]], directory: Path, *, force: bool = False) -> list[Path]:
    """Each target written by its function to a temporary name, then all renamed into place: all or none.

    Without ``force``, an existing target is refused (OutputError) before anything is written."""
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise OutputError(f"would overwrite {', '.join(existing)} (use --force)", source=str(directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the folder ({error.strerror})", source=str(directory)) from None
    temporaries = {path: path.with_name(f".{path.name}.{os.getpid()}.tmp") for path in targets}
    try:
        for path, write in targets.items():
            write(temporaries[path])
        for path, temporary in temporaries.items():
            os.replace(temporary, path)
    except (OSError, pa.ArrowException) as error:
        reason = getattr(error, "strerror", None) or error
        raise OutputError(f"cannot write ({reason})", source=str(directory)) from None
    finally:
        for temporary in temporaries.values():
            with suppress(OSError):
                temporary.unlink(missing_ok=True)
    return list(targets)


def _parquet_writer(name: str, frame: pd.DataFrame) -> Callable[[Path], None]:
    return lambda path: pq.write_table(arrow_table(name, frame), path)


def arrow_table(name: str, frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table with the repeating names as dictionaries and the schema documented."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    documented = DOCUMENTED.get(name, {})
    fields, columns = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        if field.name in DICTIONARY_COLUMNS and (
            pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
        ):
            column = column.dictionary_encode()
        described = documented.get(field.name)
        metadata = {"description": described[1], "dtype": described[0]} if described else None
        fields.append(pa.field(field.name, column.type, nullable=True, metadata=metadata))
        columns.append(column)
    schema_doc = {column: {"dtype": dtype, "meaning": meaning} for column, (dtype, meaning) in documented.items()}
    metadata = {
        **(table.schema.metadata or {}),
        METADATA_KEY: json.dumps({"table": name, "columns": schema_doc, "commentscope": __version__}).encode(),
    }
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=metadata))


def write_export(export: Export, directory: Path, options: WriteOptions) -> list[Path]:
    """The registry's Parquet writer: a file per report of an export, in ``directory``."""
    return write_parquet(export.reports, export.thread_table, directory, force=export.force)
