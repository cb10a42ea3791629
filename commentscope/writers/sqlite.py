"""Reports as one SQLite database: typed, keyed, indexed and searchable, for sqlite3, Datasette or DB Browser.

``write_database(reports, threads, path, *, force=False, append=False) -> Path`` writes ``reports``
(``stats``, ``comments``, ``commenters``, ``timeline``, ``network``: DataFrames, or the stats as
``export`` builds them, a dict or a list of dicts) and ``threads`` (``analysis.thread_table``) as
tables of those names, and returns ``path``. ``database_comments(path) -> DataFrame`` reads the
comments table back with the schema's dtypes.

- ``threads`` is keyed by ``source``; ``comments`` by ``(source, id)``, with foreign keys to its
  thread and from a reply to its parent, and indexes on ``parent_id``, ``author`` and ``timestamp``.
  A single page's comments, which have no ``source`` column, get their one thread's.
- ``comments_fts`` is an FTS5 index of the comment texts, kept in sync with ``comments`` by triggers.
- Columns are INTEGER, REAL or TEXT from the frames' dtypes; times are ISO 8601 TEXT (naive: the
  ``threads.timezone`` column says when they are UTC); a missing value, an anonymous author
  included, is NULL. ``stats`` keeps one row per page: the corpus totals row is left to SQL.
- A new database is built in a temporary file beside ``path`` and renamed into place, so ``path``
  is whole or absent; ``force`` replaces an existing file. ``append`` adds the pages to an existing
  database in one transaction, refusing sources already in it. In that mode ``commenters``,
  ``timeline`` and ``network``, which span pages, replace the tables there: pass them computed over
  the database's comments and the new ones together (``database_comments`` gives the former).

Raises ``OutputError`` (exit code 5) for an existing file without ``force``/``append``, sources
already in the database, a file that is not such a database, or a file that cannot be written.

The standard library's ``sqlite3``: no dependency, and full control of the DDL (composite and
self-referencing keys, FTS5 triggers), which ``executemany`` over column lists loads at full speed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentscope.errors import OutputError
from commentscope.model import COMMENT_SCHEMA

if TYPE_CHECKING:
    from commentscope.writers import Export
    from commentscope.writers.text import WriteOptions

#: Tables holding one row per page (or per comment of a page): appended to, never replaced.
PAGE_TABLES = ("threads", "comments", "stats")
#: Tables summarising every page at once: replaced on append.
CORPUS_TABLES = ("commenters", "timeline", "network")

_EXISTS = "already exists (use --force to replace it, or --append to add pages)"
#: Key columns, which are never NULL.
_KEYS = {"threads": ("source",), "comments": ("source", "id")}
_COMMENTS_DDL = """
CREATE TABLE comments (
    {columns},
    PRIMARY KEY (source, id),
    FOREIGN KEY (source) REFERENCES threads (source),
    FOREIGN KEY (source, parent_id) REFERENCES comments (source, id)
)"""
_INDEXES = (
    "CREATE INDEX comments_parent ON comments (source, parent_id)",
    "CREATE INDEX comments_author ON comments (author)",
    "CREATE INDEX comments_timestamp ON comments (timestamp)",
)
_FTS = (
    "CREATE VIRTUAL TABLE comments_fts USING fts5(text, content='comments', content_rowid='rowid')",
    # Terms are gathered in memory in big batches while the index is built, then the default is put back.
    "INSERT INTO comments_fts (comments_fts, rank) VALUES ('hashsize', 67108864)",
    "INSERT INTO comments_fts (comments_fts) VALUES ('rebuild')",
    "INSERT INTO comments_fts (comments_fts, rank) VALUES ('hashsize', 1048576)",
    """CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
        INSERT INTO comments_fts (rowid, text) VALUES (new.rowid, new.text);
    END""",
    """CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
        INSERT INTO comments_fts (comments_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END""",
    """CREATE TRIGGER comments_fts_update AFTER UPDATE OF text ON comments BEGIN
        INSERT INTO comments_fts (comments_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO comments_fts (rowid, text) VALUES (new.rowid, new.text);
    END""",
)


def write_database(
    reports: Mapping[str, Any],
    threads: pd.DataFrame,
    path: Path,
    *,
    force: bool = False,
    append: bool = False,
) -> Path:
    """Write the reports and the threads into the database at ``path`` (see the module's docstring)."""
    path = Path(path)
    if force and append:
        raise OutputError("--force replaces the database and --append adds to it: choose one", source=str(path))
    tables = export_tables(reports, threads, path)
    if append and path.exists():
        _append(tables, path)
        return path
    if path.exists() and not force:
        raise OutputError(_EXISTS, source=str(path))
    target = Path(os.path.realpath(path))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with suppress(FileNotFoundError):
            temporary.unlink()
        with closing(sqlite3.connect(temporary, isolation_level=None)) as db:
            db.execute("PRAGMA page_size = 16384")  # comment texts are long rows: fewer overflow pages
            db.execute("PRAGMA journal_mode = OFF")  # a temporary file: a failed build is thrown away whole
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA cache_size = -262144")  # up to 256 MiB: pages are written once, at the end
            db.execute("PRAGMA temp_store = MEMORY")
            db.execute("BEGIN")
            _create(db, tables)
            _check_keys(db, path)
            db.execute("COMMIT")
        _install(temporary, target, replace=force)
    except sqlite3.Error as error:
        raise OutputError(f"cannot write the database ({error})", source=str(path)) from None
    except OSError as error:
        raise OutputError(f"cannot write ({error.strerror or error})", source=str(path)) from None
    finally:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
    return path


def database_comments(path: Path) -> pd.DataFrame:
    """The comments table of a database ``write_database`` made, with ``source`` and the schema's dtypes."""
    path = Path(path)
    if not path.is_file():
        raise OutputError("no such database", source=str(path))
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            frame = pd.read_sql_query("SELECT * FROM comments ORDER BY rowid", db)
    except (sqlite3.Error, pd.errors.DatabaseError) as error:
        raise OutputError(f"cannot read the comments table ({error})", source=str(path)) from None
    dtypes = {"source": "str", **{name: dtype for name, (dtype, _) in COMMENT_SCHEMA.items()}}
    for name, dtype in dtypes.items():
        if name not in frame:
            continue
        if dtype.startswith("datetime64"):
            frame[name] = pd.to_datetime(frame[name], format="ISO8601").astype(dtype)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


def export_tables(reports: Mapping[str, Any], threads: pd.DataFrame, path: Path) -> dict[str, pd.DataFrame]:
    """Every table of an export as a frame, threads first (which the comments point at): the stats as
    one row per page, and a single page's comments with its source. ``path`` names the output in errors."""
    if threads["source"].duplicated().any():
        repeated = threads["source"][threads["source"].duplicated()].iloc[0]
        raise OutputError(f"two threads share the source {repeated!r}", source=str(path))
    tables = {"threads": threads}
    for name, data in reports.items():
        frame = data if isinstance(data, pd.DataFrame) else _rows_frame([data] if isinstance(data, dict) else data)
        if name == "comments" and "source" not in frame:
            if len(threads) != 1:
                raise OutputError("comments without a source column need exactly one thread", source=str(path))
            frame = frame.assign(source=threads["source"].iloc[0])[["source", *frame.columns]]
        tables[name] = frame.reset_index(drop=True)
    return tables


def _rows_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows of plain values as a frame whose integer columns stay integers where some values are None."""
    frame = pd.DataFrame(rows)
    for name in frame.columns:
        present = [row[name] for row in rows if row.get(name) is not None]
        whole = all(isinstance(value, int | np.integer) and not isinstance(value, bool) for value in present)
        if present and whole and frame[name].dtype.kind != "i":
            frame[name] = frame[name].astype("Int64")
    return frame


def _create(db: sqlite3.Connection, tables: Mapping[str, pd.DataFrame]) -> None:
    """Each table made and filled; the comments' indexes are made first (kept up while rows go in costs
    less than a scan of the table per index after) and the full-text index after, in one pass."""
    for name, frame in tables.items():
        keys = _KEYS.get(name, ())
        columns = ", ".join(
            f"{_quote(column)} {_sql_type(frame[column])}" + (" NOT NULL" if column in keys else "")
            for column in frame.columns
        )
        if name == "threads":
            db.execute(f"CREATE TABLE threads ({columns}, PRIMARY KEY (source))")
        elif name == "comments":
            db.execute(_COMMENTS_DDL.format(columns=columns))
            for statement in _INDEXES:
                db.execute(statement)
        else:
            db.execute(f"CREATE TABLE {_quote(name)} ({columns})")
        _insert(db, name, frame)
        if name == "comments" and "text" in frame:  # exported with --no-text: no texts to index
            for statement in _FTS:
                db.execute(statement)


def _append(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Add the page tables' rows and replace the corpus tables, all in one transaction or not at all."""
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as db:
            found = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"threads", "comments"} <= found:
                raise OutputError("is not a commentscope database (no threads or comments table)", source=str(path))
            db.execute("BEGIN IMMEDIATE")
            try:
                new = list(tables["threads"]["source"])
                present = _present(db, new)
                if present:
                    shown = ", ".join(present[:3]) + (f" and {len(present) - 3} more" if len(present) > 3 else "")
                    raise OutputError(f"already holds {len(present)} of these pages: {shown}", source=str(path))
                for name, frame in tables.items():
                    if name in CORPUS_TABLES or name not in found:
                        db.execute(f"DROP TABLE IF EXISTS {_quote(name)}")
                        _create(db, {name: frame})
                    else:
                        _insert(db, name, frame, _table_columns(db, name, frame, path))
                _check_keys(db, path)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
    except sqlite3.Error as error:
        raise OutputError(f"cannot add to the database ({error})", source=str(path)) from None


def _present(db: sqlite3.Connection, sources: list[str]) -> list[str]:
    db.execute("CREATE TEMP TABLE new_sources (source TEXT)")
    db.executemany("INSERT INTO new_sources VALUES (?)", ((source,) for source in sources))
    rows = db.execute("SELECT source FROM new_sources WHERE source IN (SELECT source FROM threads)").fetchall()
    db.execute("DROP TABLE new_sources")
    return [row[0] for row in rows]


def _table_columns(db: sqlite3.Connection, name: str, frame: pd.DataFrame, path: Path) -> list[str]:
    """The existing table's columns, which the frame must match (the same export, another day)."""
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({_quote(name)})")]
    if set(columns) != set(frame.columns):
        differ = sorted(set(columns) ^ set(frame.columns))
        raise OutputError(
            f"the {name} table has other columns than these pages ({', '.join(differ)})", source=str(path)
        )
    return columns


def _check_keys(db: sqlite3.Connection, path: Path) -> None:
    broken = db.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        table, rowid, parent, _ = broken
        raise OutputError(f"row {rowid} of {table} points at no row of {parent}", source=str(path))


def _install(temporary: Path, target: Path, *, replace: bool) -> None:
    """The finished file into place: replacing, or only where no file is (two runs racing: one wins, one is told)."""
    if replace:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise OutputError(_EXISTS, source=str(target)) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise OutputError(_EXISTS, source=str(target)) from None
        os.replace(temporary, target)


def _insert(db: sqlite3.Connection, name: str, frame: pd.DataFrame, columns: Iterable[str] | None = None) -> None:
    order = list(frame.columns if columns is None else columns)
    values = [_sql_values(frame[column]) for column in order]
    names = ", ".join(_quote(column) for column in order)
    marks = ", ".join("?" * len(order))
    db.executemany(f"INSERT INTO {_quote(name)} ({names}) VALUES ({marks})", zip(*values, strict=True))


def _sql_type(column: pd.Series) -> str:
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return "INTEGER"
    if pd.api.types.is_float_dtype(dtype):
        return "REAL"
    return "TEXT"


def _sql_values(column: pd.Series) -> list[Any]:
    """Python values sqlite3 binds directly: int, float, str, or None for every kind of missing value."""
    dtype = column.dtype
    missing = column.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = column.dt.tz_convert("UTC").dt.tz_localize(None) if column.dt.tz is not None else column
        stamps = values.to_numpy(dtype="datetime64[us]")
        seconds_only = not (stamps[~missing].astype(np.int64) % 1_000_000).any()
        text = np.datetime_as_string(stamps, unit="s" if seconds_only else "us").astype(object)
        text[missing] = None
        return text.tolist()
    if pd.api.types.is_bool_dtype(dtype):
        column = column.astype("Int64")
    elif not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
        column = column.map(str, na_action="ignore")  # anything else (a list, a Timestamp in mixed data) as its text
    if not missing.any() and isinstance(dtype, np.dtype) and dtype.kind in "iuf":
        return column.to_numpy().tolist()
    return column.to_numpy(dtype=object, na_value=None).tolist()


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def write_export(export: Export, path: Path, options: WriteOptions) -> list[Path]:
    """The registry's SQLite writer: every report of an export into the one database ``path``."""
    return [write_database(export.reports, export.thread_table, path, force=export.force, append=export.append)]
