"""The command line: parse options, call ingest -> analysis -> render, map errors to exit codes.

Nothing here computes. pandas is imported inside commands only, so that ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from commentscope import __version__
from commentscope.errors import CommentscopeError, ExitCode
from commentscope.render import (
    OutputFormat,
    grouped_table,
    records,
    render,
    stderr_console,
    terminal_safe,
    tree_view,
    write_reports,
)

if TYPE_CHECKING:
    from commentscope.model import Thread

app = typer.Typer(
    name="commentscope",
    help="Analyse reader-comment threads saved from article pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.", dir_okay=False)
]
RawCsvOption = Annotated[
    bool, typer.Option("--raw-csv", help="Do not guard CSV cells that start with = + - @ against formula injection.")
]
EncodingOption = Annotated[
    str, typer.Option("--encoding", "-e", help="Text encoding of the input pages (e.g. cp1252).")
]
PageArgument = Annotated[str, typer.Argument(help="A saved page; '-' reads standard input.", metavar="FILE")]
PagesArgument = Annotated[list[str], typer.Argument(help="Saved pages; '-' reads standard input.", metavar="FILE...")]

_settings: dict[str, bool] = {"traceback": False}

Command = TypeVar("Command", bound=Callable[..., Any])


def fail(message: str, code: int) -> typer.Exit:
    stderr_console().print(f"Error: {terminal_safe(message)}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    stderr_console().print(f"Warning: {terminal_safe(message)}", markup=False, soft_wrap=True)


def command(name: str | None = None) -> Callable[[Command], Command]:
    """Register a command whose errors become one line on stderr and an exit code, never a traceback."""

    def register(func: Command) -> Command:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except CommentscopeError as error:
                if _settings["traceback"]:
                    raise
                raise fail(str(error), error.exit_code) from None
            except BrokenPipeError:  # the reader went away (| head): stop quietly, as cat does
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(ExitCode.OK) from None
            except (typer.Exit, typer.Abort, KeyboardInterrupt):
                raise
            except Exception as error:  # a bug: still one line, with the way to see more
                if _settings["traceback"]:
                    raise
                raise fail(
                    f"internal error: {type(error).__name__}: {error} (rerun with --traceback and report it)",
                    ExitCode.INTERNAL,
                ) from None

        app.command(name)(run)
        return func

    return register


def _version(value: bool) -> None:
    if value:
        typer.echo(f"commentscope {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    traceback: Annotated[bool, typer.Option("--traceback", help="Show full tracebacks (for bug reports).")] = False,
) -> None:
    """Analyse reader-comment threads saved from article pages."""
    _settings["traceback"] = traceback


def load_page(path: str, encoding: str) -> Thread:
    """Parse one page and say on stderr what was odd about it."""
    from commentscope.ingest import load

    thread = load(path, encoding=encoding)
    report_problems(thread)
    return thread


def report_problems(thread: Thread) -> None:
    unplaced = [p for p in thread.problems if p.kind == "unplaced"]
    for problem in thread.problems:
        if problem.kind != "unplaced":
            where = f"{thread.source}:{problem.line}" if problem.line else thread.source
            warn(f"{where}: {problem.message}")
    if unplaced:
        warn(
            f"{thread.source}: {len(unplaced)} line(s) outside any comment, first at line {unplaced[0].line}; "
            "'commentscope check' lists them"
        )


COMMENT_TABLE_COLUMNS = ["id", "parent_id", "depth", "author", "timestamp", "words", "text"]


@command("comments")
def comments_command(
    path: PageArgument,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    raw_csv: RawCsvOption = False,
    encoding: EncodingOption = "utf-8",
) -> None:
    """List every comment with its parent, depth, author and time."""
    thread = load_page(path, encoding)
    render(thread.comments, format, output, raw_csv=raw_csv, title=thread.article.title, columns=COMMENT_TABLE_COLUMNS)


@command("stats")
def stats_command(
    paths: PagesArgument,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    raw_csv: RawCsvOption = False,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Summarise each page: article, discussion shape, people and time."""
    from commentscope.analysis import STATS_GROUPS, thread_stats

    summaries = []
    for path in paths:
        thread = load_page(path, encoding)
        summaries.append(thread_stats(thread.comments, thread.article))
    data = summaries[0] if len(summaries) == 1 else summaries
    table = grouped_table(records(summaries), STATS_GROUPS, [s["source"] for s in summaries])
    render(data, format, output, table=table, raw_csv=raw_csv)


@command("tree")
def tree_command(
    path: PageArgument,
    max_depth: Annotated[
        int | None, typer.Option("--max-depth", help="Show comments down to this depth (0 = top level).")
    ] = None,
    root: Annotated[str | None, typer.Option("--root", help="Show only this comment (by id) and its replies.")] = None,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    raw_csv: RawCsvOption = False,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Show the reply tree: nested in the table and JSON, flat with replies_count in JSON Lines and CSV."""
    from commentscope.analysis import reply_tree, tree_rows

    thread = load_page(path, encoding)
    if format in (OutputFormat.table, OutputFormat.json):
        roots = reply_tree(thread.comments, root=root, max_depth=max_depth)
        render(roots, format, output, table=tree_view(roots, thread.article.title))
    else:
        render(tree_rows(thread.comments, root=root, max_depth=max_depth), format, output, raw_csv=raw_csv)


@command("commenters")
def commenters_command(
    path: PageArgument,
    sort: Annotated[
        str, typer.Option("--sort", help="Column to rank by (largest first; names and dates earliest first).")
    ] = "comments",
    top: Annotated[int | None, typer.Option("--top", help="Keep this many named commenters.")] = None,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    raw_csv: RawCsvOption = False,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Activity per commenter; anonymous comments share one separate row, never ranked."""
    from commentscope.analysis import commenter_table

    thread = load_page(path, encoding)
    table = commenter_table(thread.comments, sort_by=sort, top=top)
    shown = [column for column in table.columns if column != "anonymous"]
    render(table, format, output, raw_csv=raw_csv, columns=shown, nulls={"author": "(anonymous comments)"})


@command("timeline")
def timeline_command(
    path: PageArgument,
    freq: Annotated[
        str, typer.Option("--freq", help="hour, day, week, month, or a pandas offset alias (e.g. 6h).")
    ] = "day",
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    raw_csv: RawCsvOption = False,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Comments per period from the first comment to the last, quiet periods included."""
    from commentscope.analysis import timeline

    thread = load_page(path, encoding)
    render(timeline(thread.comments, freq), format, output, raw_csv=raw_csv, bar="comments")


@command("network")
def network_command(
    path: PageArgument,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    raw_csv: RawCsvOption = False,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Who answers whom: one row per directed pair of named commenters."""
    from commentscope.analysis import reciprocity, reply_network

    thread = load_page(path, encoding)
    network = reply_network(thread.comments)
    share = reciprocity(network)
    caption = (
        "Reciprocity: no pair of people" if share is None else f"Reciprocity: {share:.0%} of pairs answered both ways"
    )
    render(network, format, output, raw_csv=raw_csv, caption=caption)


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


@command("export")
def export_command(
    path: PageArgument,
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the reports into (created if missing).", file_okay=False)
    ],
    as_: Annotated[ExportFormat, typer.Option("--as", help="File format of the reports.")] = ExportFormat.csv,
    freq: Annotated[str, typer.Option("--freq", help="Period of the timeline report.")] = "day",
    force: Annotated[bool, typer.Option("--force", help="Overwrite reports already in the folder.")] = False,
    raw_csv: RawCsvOption = False,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Write stats, comments, commenters, timeline and network reports into a folder."""
    from commentscope.analysis import commenter_table, reply_network, thread_stats, timeline

    thread = load_page(path, encoding)
    reports = {
        "stats": thread_stats(thread.comments, thread.article),
        "comments": thread.comments,
        "commenters": commenter_table(thread.comments),
        "timeline": timeline(thread.comments, freq),
        "network": reply_network(thread.comments),
    }
    for written in write_reports(reports, out, OutputFormat(as_.value), force=force, raw_csv=raw_csv):
        stderr_console().print(f"wrote {terminal_safe(str(written))}", markup=False)


def main() -> None:
    app(prog_name="commentscope")
