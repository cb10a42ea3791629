"""The options commands share, each group declared once as a plain dataclass.

A group's fields are typer ``Annotated`` options; ``SharedOptionsCommand`` turns them into the
command's options (after its own, in --help order) and hands the values back as one instance of the
group, on the command's context: ``run.get(OutputOptions)``. A command lists the groups it takes;
adding an option to every command that takes a group is one field in it.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand
from typer.main import get_params_convertors_ctx_param_name_from_function

from commentscope.errors import CommentscopeError
from commentscope.readers.paths import DEFAULT_GLOB, STDIN, check_glob
from commentscope.writers import writer_names


def _known_writer(name: str) -> str:
    """The output formats come from the writers' registry, as it is when the command runs."""
    if name.lower() not in writer_names():
        raise typer.BadParameter(f"{name!r} is not a format; choose from {', '.join(writer_names())}")
    return name.lower()


def _format_option(help: str, *aliases: str, export: bool = False) -> Any:
    """``-f``, showing the formats of a command's output, or of ``export``'s reports."""
    from commentscope.writers import WRITERS, Writer

    def offered(writer: Writer) -> bool:
        return not (writer.graph or writer.whole_result) if export else not writer.export

    shown = [writer.name for writer in WRITERS if offered(writer)]
    choices = "<" + "|".join(shown) + ">"
    return typer.Option("--format", "-f", *aliases, help=help, metavar=choices, callback=_known_writer)


class EncodingErrors(StrEnum):
    strict = "strict"
    replace = "replace"


def _known_format(name: str | None) -> str | None:
    from commentscope.readers.registry import reader_names

    if name is not None and name.lower() not in reader_names():
        raise typer.BadParameter(f"{name!r} is not a format; choose from {', '.join(reader_names())}")
    return name


_SIZE = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def _size(value: str | None) -> int | None:
    """``--max-input-size``: bytes, or a number with K, M, G or T (powers of 1024); default a quarter of memory."""
    from commentscope.readers import default_max_input_size

    if value is None:
        return default_max_input_size()
    text = value.strip().lower().removesuffix("b").removesuffix("i")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SIZE else (text, "")
    try:
        size = int(float(number) * _SIZE[unit])
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a size; give bytes, or a number with K, M, G or T") from None
    if size <= 0:
        raise typer.BadParameter(f"{value!r} is not a size above zero")
    return size


def _column_map(text: str | None) -> tuple[tuple[str, str], ...]:
    from commentscope.readers.table import parse_column_map

    try:
        return parse_column_map(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _valid_glob(pattern: str | None) -> str | None:
    if pattern is not None:
        try:
            check_glob(pattern)
        except CommentscopeError as error:
            raise typer.BadParameter(error.message) from None
    return pattern


def _field_list(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    fields = tuple(name.strip() for name in text.split(",") if name.strip())
    if not fields:
        raise typer.BadParameter("name at least one field, e.g. -F id,author")
    return fields


@dataclasses.dataclass(frozen=True)
class OutputOptions:
    """Where a command's result goes, and in which format."""

    format: Annotated[str, _format_option("Output format.")] = "table"
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output ('-': standard output)."),
    ] = None
    fields: Annotated[
        str | None,  # a tuple of names once parsed
        typer.Option(
            "--fields", "-F", help="Columns to show, in this order (e.g. id,author,text).", callback=_field_list
        ),
    ] = None

    @property
    def path(self) -> Path | None:
        """``-o -`` is standard output, as ``-`` is standard input."""
        return None if self.output is None or str(self.output) == STDIN else self.output


@dataclasses.dataclass(frozen=True)
class ExportOptions:
    """Where ``export`` writes its reports, and in which format."""

    format: Annotated[str, _format_option("File format of the reports (--as is deprecated).", "--as", export=True)] = (
        "csv"
    )
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            "--out",
            help="Folder to write the reports into, created if missing (a file for single-file formats; "
            "--out is deprecated).",
        ),
    ] = None

    @property
    def path(self) -> Path | None:
        return self.output


@dataclasses.dataclass(frozen=True)
class FormatFlags:
    """How the text formats spell the data."""

    raw_csv: Annotated[
        bool,
        typer.Option(
            "--raw-csv",
            help="Files too: no guard on CSV/TSV cells that start with = + - @ (files are guarded by default).",
        ),
    ] = False
    safe_csv: Annotated[
        bool,
        typer.Option(
            "--safe-csv",
            help="Standard output too: guard CSV/TSV cells that start with = + - @ against formula injection.",
        ),
    ] = False
    no_header: Annotated[bool, typer.Option("--no-header", help="CSV and TSV without the header row.")] = False
    json_indent: Annotated[
        int | None, typer.Option("--json-indent", min=0, help="Indent JSON by this many spaces (default: compact).")
    ] = None


@dataclasses.dataclass(frozen=True)
class RowOptions:
    """Which of the listed rows, in which order."""

    sort: Annotated[
        str | None, typer.Option("--sort", help="Order rows by this field; a leading '-' for largest first.")
    ] = None
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="Keep this many rows.")] = None


@dataclasses.dataclass(frozen=True)
class ReadingOptions:
    """How to find and read pages."""

    glob: Annotated[
        str | None,
        typer.Option(
            "--glob",
            help="Files to read inside folders (recursively); default: every kind commentscope reads "
            "(*.txt, *.html, …).",
            callback=_valid_glob,
        ),
    ] = DEFAULT_GLOB
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first page that cannot be read or parsed.")] = (
        False
    )
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar, no per-page warnings, no 'wrote' lines.")
    ] = False
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes parsing pages and sharing one big input's work (default: every core).",
        ),
    ] = None
    no_text: Annotated[
        bool, typer.Option("--no-text", help="Drop comment texts while parsing (structure only, less memory).")
    ] = False
    encoding: Annotated[
        str, typer.Option("--encoding", "-e", help="Text encoding of the input pages (e.g. cp1252).")
    ] = "utf-8"
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Input format, instead of detecting it from the content.", callback=_known_format),
    ] = None
    max_input_size: Annotated[
        str | None,  # a size once parsed (the callback gives bytes)
        typer.Option(
            "--max-input-size",
            help="Refuse an input larger than this (bytes, or e.g. 500M, 2G; default: a quarter of the memory).",
            callback=_size,
        ),
    ] = None
    map_: Annotated[
        str | None,
        typer.Option(
            "--map",
            help="CSV / JSON Lines columns, e.g. id=comment_id,parent=in_reply_to,time=created.",
            callback=_column_map,
        ),
    ] = None
    day_first: Annotated[
        bool | None,
        typer.Option(
            "--dayfirst/--monthfirst",
            help="Order of numeric dates when the page leaves it open (03/04/2020).",
            show_default=False,
        ),
    ] = None
    now: Annotated[
        datetime | None,
        typer.Option(
            "--now",
            help="When the page was saved (2024-05-01 or 2024-05-01T12:00): relative dates ('3 days ago') count "
            "back from it, and are reported as approximate. Without it they stay empty, with a warning.",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
            show_default=False,
        ),
    ] = None
    encoding_errors: Annotated[
        EncodingErrors,
        typer.Option(
            "--encoding-errors", help="Bytes that cannot be decoded: refuse the page, or replace them by U+FFFD."
        ),
    ] = EncodingErrors.strict

    @property
    def column_map(self) -> tuple[tuple[str, str], ...]:
        return self.map_ or ()  # type: ignore[return-value]

    def reading(self) -> dict[str, Any]:
        """What every reader is told, as the keywords of ``load_pages`` and ``load_with_text``."""
        return {
            "encoding": self.encoding,
            "reader": self.from_,
            "max_input_size": self.max_input_size,
            "column_map": self.column_map,
            "day_first": self.day_first,
            "encoding_errors": self.encoding_errors.value,
            "processes": self.jobs,  # a big input shared among the cores (ReadOptions.processes)
            "now": self.now,
        }


Group = TypeVar("Group")


class Run(typer.Context):
    """A command's context, holding the option groups it was given (``run.get(OutputOptions)``)."""

    groups: dict[type, Any]

    def get(self, group: type[Group]) -> Group:
        return self.groups[group]  # type: ignore[no-any-return]


class SharedOptionsCommand(TyperCommand):
    """A typer command that also takes the options of ``groups``, after its own."""

    context_class = Run
    groups: tuple[type, ...] = ()

    def __init__(self, *args: Any, params: list[Any] | None = None, **kwargs: Any) -> None:
        self._convertors: dict[str, Any] = {}
        shared: list[Any] = []
        for group in self.groups:
            group_params, convertors = _group_options(group)
            shared.extend(group_params)
            self._convertors.update(convertors)
        super().__init__(*args, params=[*(params or []), *shared], **kwargs)

    def invoke(self, ctx: Any) -> Any:
        ctx.groups = {}
        for group in self.groups:
            values = {}
            for item in dataclasses.fields(group):
                value = ctx.params.pop(item.name)
                values[item.name] = self._convertors[item.name](value) if item.name in self._convertors else value
            ctx.groups[group] = group(**values)
        return super().invoke(ctx)


@cache
def _group_options(group: type) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A group's click options and value convertors, made once however many commands take it: typer
    reads a signature's annotations anew each time. The options hold no state of a run, so the
    commands can share them."""
    params, convertors, _ = get_params_convertors_ctx_param_name_from_function(group)
    return tuple(params), convertors


def taking(*groups: type) -> type[SharedOptionsCommand]:
    """The command class for a command that takes these option groups."""
    return type("SharedOptionsCommand", (SharedOptionsCommand,), {"groups": groups})
