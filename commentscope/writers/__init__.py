"""Every output format commentscope writes, in one list, and the one path a command's result takes to it.

A command builds a ``Result``: the data (a DataFrame, a list of mappings or one mapping), the kind
of data it is (the command's name), and optionally a nested form (reply trees, full reports) and a
table of its own. ``write(result, writer, destination, options)`` hands it to the chosen writer; no
command looks at the format.

**Adding a writer** is one module with one function and one line in ``WRITERS``. The function is
``write(data, destination, options: WriteOptions) -> None`` (``WriteOptions``: the CSV/TSV header
and formula guard, the JSON indent), where ``destination`` depends on the
writer's ``target``:

- ``Target.stream``: an open text stream (standard output or a file replaced whole); text formats.
- ``Target.file``: a ``Path`` to create (``-o FILE`` is required); binary formats such as Parquet.
- ``Target.folder``: a ``Path`` of a folder to create and fill (``-o DIR`` is required), e.g. ConvoKit.

The data is the result's flat form, or its nested form for a writer with ``nested=True`` (JSON). A
writer with ``kinds`` takes only those kinds of data (a graph format: ``("network", "tree")``); the
CLI refuses the others with exit 2. A writer with ``tables=True`` takes a mapping of named tables
at once: ``export`` hands it every report in one call, into one file (SQLite). A writer with
``whole_result=True`` gets the ``Result`` itself (the terminal table, which has views of its own). A
writer with ``graph=True`` takes a result's graph form (``Result.graph``: people for ``network``,
comments for ``tree``), so it suits only the commands that have one. A writer with ``export=True``
writes a whole ``export`` itself (a database it may append to, a corpus folder): it gets an ``Export``
and returns the paths it wrote. Writers are imported
when first used, so naming the formats in ``--help`` loads nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from commentscope.errors import CommentscopeError, ExitCode
from commentscope.writers.text import WriteOptions

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

    from commentscope.model import Thread

__all__ = ["WRITERS", "Result", "Target", "UnsuitedOutput", "WriteOptions", "Writer", "write", "writer_named"]


class UnsuitedOutput(CommentscopeError):
    """An output format or option the command cannot honour: refused before anything is written."""

    exit_code = ExitCode.USAGE


class Target(StrEnum):
    stream = "stream"
    file = "file"
    folder = "folder"


@dataclass(frozen=True)
class Writer:
    """One output format; ``module.function`` is imported only when something is written."""

    name: str
    module: str
    function: str
    summary: str
    extension: str | None  # None: not written to files of reports (the terminal table)
    target: Target = Target.stream
    kinds: tuple[str, ...] = ()  # the kinds of data it suits; empty: every kind
    nested: bool = False  # takes a result's nested form where it has one
    tables: bool = False  # takes a mapping of named tables at once (export writes them into one file)
    options: tuple[str, ...] = ()  # the WriteOptions fields it honours
    whole_result: bool = False  # takes the Result itself, for its own table and table options (the terminal)
    graph: bool = False  # takes the result's graph form (GraphML, GEXF)
    export: bool = False  # writes a whole export itself, given an Export (SQLite, Parquet, ConvoKit)

    def accepts(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def write(self, data: Any, destination: IO[str] | Path, options: WriteOptions) -> Any:
        return getattr(importlib.import_module(self.module), self.function)(data, destination, options)


@dataclass(frozen=True)
class Export:
    """What ``export`` hands a writer that writes it whole: the pages, a row per page, and the reports."""

    threads: list[Thread]
    thread_table: pd.DataFrame
    reports: Mapping[str, Any]  # name -> DataFrame, or the stats' rows
    force: bool = False
    append: bool = False


WRITERS: list[Writer] = [
    Writer("table", "commentscope.writers.terminal", "write_table", "a table or tree to read", None, whole_result=True),
    Writer("json", "commentscope.writers.text", "write_json", "JSON", "json", nested=True, options=("json_indent",)),
    Writer("jsonl", "commentscope.writers.text", "write_jsonl", "JSON Lines, one object a line", "jsonl"),
    Writer("csv", "commentscope.writers.text", "write_csv", "CSV", "csv", options=("header",)),
    Writer("tsv", "commentscope.writers.text", "write_tsv", "tab-separated values", "tsv", options=("header",)),
    Writer(
        "graphml", "commentscope.writers.graphs", "write_graphml", "GraphML (Gephi, networkx)", "graphml", graph=True
    ),
    Writer("gexf", "commentscope.writers.graphs", "write_gexf", "GEXF 1.3 (Gephi)", "gexf", graph=True),
    Writer(
        "sqlite", "commentscope.writers.sqlite", "write_export", "one SQLite database", "db", Target.file, export=True
    ),
    Writer(
        "parquet",
        "commentscope.writers.parquet",
        "write_export",
        "Parquet files",
        "parquet",
        Target.folder,
        export=True,
    ),
    Writer(
        "convokit",
        "commentscope.writers.convokit",
        "write_export",
        "a ConvoKit corpus",
        None,
        Target.folder,
        export=True,
    ),
]


def writer_names() -> list[str]:
    return [writer.name for writer in WRITERS]


def writer_named(name: str) -> Writer:
    """The writer called ``name``; UnsuitedOutput naming the valid ones otherwise."""
    for writer in WRITERS:
        if writer.name == name.lower():
            return writer
    raise UnsuitedOutput(f"unknown output format {name!r} (choose from {', '.join(writer_names())})")


@dataclass(frozen=True)
class Result:
    """What a command produced, in every form a writer may want; the forms are made only when asked for.

    ``data`` is the flat form (rows) every writer takes, ``nested`` the form a nested writer takes
    instead (a reply tree, a full report), ``table`` the terminal view when it is not a plain table
    of the rows. The table options say how a plain table shows the rows.
    """

    kind: str
    data: Any  # or a function giving it, when only some writers want it
    nested: Callable[[], Any] | None = None
    table: Callable[[Any, tuple[str, ...] | None], RenderableType] | None = None  # (data, --fields) -> view
    nested_table: bool = False  # the table shows the nested form
    graph: Callable[[], Any] | None = None  # the graph form, for graph writers
    fields: tuple[str, ...] | None = None  # what --fields kept
    title: str | None = None
    columns: list[str] | None = None
    nulls: Mapping[str, str] = field(default_factory=dict)
    bar: str | None = None
    caption: str | None = None
    total: Callable[[], Mapping[str, Any]] | None = None  # a row summing up the rows, made when shown: last,
    # whatever --sort and --limit do
    total_in_data: bool = False  # the data formats carry it too; else only the table shows it

    def rows(self) -> Any:
        """The flat form without the total."""
        return self.data() if callable(self.data) else self.data

    def flat(self, *, for_table: bool = False) -> Any:
        """The flat form, ending with the total where it belongs: a sum in pandas stays right without it."""
        rows = self.rows()
        if self.total is None or not (for_table or self.total_in_data):
            return rows
        return [*rows, self.total()]

    def nests_for(self, writer: Writer) -> bool:
        """Whether ``writer`` shows this result's nested form."""
        if writer.whole_result:
            return self.nested_table
        return writer.nested and self.nested is not None

    def for_writer(self, writer: Writer) -> Any:
        """What ``writer`` takes of this result."""
        if writer.whole_result:
            return self
        if writer.graph:
            assert self.graph is not None  # check_writer refused it otherwise
            return self.graph()
        return self.nested() if self.nests_for(writer) else self.flat()


def suits(writer: Writer, result: Result) -> bool:
    """Whether ``writer`` can write ``result`` as a command's output (a whole export is written apart)."""
    return writer.accepts(result.kind) and not writer.export and (not writer.graph or result.graph is not None)


def check_writer(writer: Writer, result: Result, options: WriteOptions, destination: Path | None) -> None:
    """UnsuitedOutput (exit 2) when the writer cannot honour what was asked: the data, an option, the destination."""
    if not suits(writer, result):
        suited = ", ".join(w.name for w in WRITERS if suits(w, result))
        raise UnsuitedOutput(f"-f {writer.name} does not suit {result.kind}; choose from {suited}")
    # --raw-csv is honoured by every format: only CSV and TSV ever guard a cell.
    given = {"header": not options.header, "json_indent": options.json_indent is not None}
    spelled = {"header": "--no-header", "json_indent": "--json-indent"}
    for name, used in given.items():
        if used and name not in writer.options:
            takers = ", ".join(w.name for w in WRITERS if name in w.options)
            raise UnsuitedOutput(f"{spelled[name]} applies to -f {takers}, not to -f {writer.name}")
    if writer.target is not Target.stream and destination is None:
        raise UnsuitedOutput(f"-f {writer.name} writes a {writer.target.value}; name it with -o")


def write(result: Result, writer: Writer, destination: Path | None, options: WriteOptions) -> None:
    """Write a result to standard output or to ``destination`` (a file replaced whole, or a new file or folder)."""
    from commentscope.writers.files import open_output, standard_output

    check_writer(writer, result, options, destination)
    if writer.target is Target.stream:
        opened = standard_output() if destination is None else open_output(destination)
        with opened as handle:
            writer.write(result.for_writer(writer), handle, options)
            handle.flush()
    else:
        from commentscope.writers.files import atomic_path

        assert destination is not None  # check_writer refused it otherwise
        with atomic_path(destination) as temporary:
            writer.write(result.for_writer(writer), temporary, options)
