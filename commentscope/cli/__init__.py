"""The command line: parse options, call ingest -> analysis -> render, map errors to exit codes.

Nothing here computes. pandas is imported inside commands only, so that ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

import typer

from commentscope import __version__
from commentscope.cli import process
from commentscope.errors import CommentscopeError, ExitCode
from commentscope.ingest.paths import DEFAULT_GLOB, expand_paths
from commentscope.render import (
    OutputFormat,
    grouped_table,
    progress,
    records,
    render,
    stderr_console,
    table_of,
    terminal_safe,
    tree_view,
    write_reports,
)

if TYPE_CHECKING:
    import pandas as pd

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


class EncodingErrors(StrEnum):
    strict = "strict"
    replace = "replace"


EncodingErrorsOption = Annotated[
    EncodingErrors,
    typer.Option("--encoding-errors", help="Bytes that cannot be decoded: refuse the page, or replace them by U+FFFD."),
]
DayFirstOption = Annotated[
    bool | None,
    typer.Option(
        "--dayfirst/--monthfirst",
        help="Order of numeric dates when the page leaves it open (03/04/2020).",
        show_default=False,
    ),
]


def _known_format(name: str | None) -> str | None:
    from commentscope.ingest.registry import reader_names

    if name is not None and name.lower() not in reader_names():
        raise typer.BadParameter(f"{name!r} is not a format; choose from {', '.join(reader_names())}")
    return name


FromOption = Annotated[
    str | None,
    typer.Option("--from", help="Input format, instead of detecting it from the content.", callback=_known_format),
]
PagesArgument = Annotated[
    list[str],
    typer.Argument(help="Saved pages, folders of them, or globs; '-' reads standard input.", metavar="PATH..."),
]

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
            process.tune()
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


@dataclass(frozen=True)
class Output:
    """Where and how a command's result goes: the options every command shares."""

    format: OutputFormat = OutputFormat.table
    path: Path | None = None
    raw_csv: bool = False

    def render(self, data: Any, **table_options: Any) -> None:
        render(data, self.format, self.path, raw_csv=self.raw_csv, **table_options)


@dataclass(frozen=True)
class PageOptions:
    """How to find and read pages: the options every page-reading command shares."""

    glob: str = DEFAULT_GLOB
    strict: bool = False
    quiet: bool = False
    jobs: int | None = None
    keep_text: bool = True
    encoding: str = "utf-8"
    reader: str | None = None
    summarise: bool = False  # compute each page's stats where it is parsed (thread.summary)
    day_first: bool | None = None
    encoding_errors: str = "strict"


GlobOption = Annotated[str, typer.Option("--glob", help="Files to read inside folders (recursively).")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Stop at the first page that cannot be read or parsed.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no per-page warnings.")]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Processes parsing pages (default: every core).")
]
NoTextOption = Annotated[
    bool, typer.Option("--no-text", help="Drop comment texts while parsing (structure only, less memory).")
]

# (parameter, annotation, default) of the options shared by every page-reading command, in --help order.
_OUTPUT_PARAMETERS = [
    ("format", FormatOption, OutputFormat.table),
    ("output", OutputOption, None),
    ("raw_csv", RawCsvOption, False),
]
_READING_PARAMETERS = [
    ("glob", GlobOption, DEFAULT_GLOB),
    ("strict", StrictOption, False),
    ("quiet", QuietOption, False),
    ("jobs", JobsOption, None),
    ("no_text", NoTextOption, False),
    ("encoding", EncodingOption, "utf-8"),
    ("from_", FromOption, None),
    ("day_first", DayFirstOption, None),
    ("encoding_errors", EncodingErrorsOption, EncodingErrors.strict),
]


def page_command(name: str, *, summarise: bool = False) -> Callable[[Command], Command]:
    """Register ``func(pages, output, **own_options)`` as a command taking PATH... and the shared options.

    The shared options are declared once here; each command lists only its own.
    ``summarise`` has each page's stats computed in the worker that parses it.
    """

    def register(func: Command) -> Command:
        hints = get_type_hints(func, include_extras=True)
        own = list(inspect.signature(func).parameters.values())[2:]
        shared = _OUTPUT_PARAMETERS + _READING_PARAMETERS
        parameters = [
            inspect.Parameter("paths", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=PagesArgument),
            *(p.replace(annotation=hints[p.name]) for p in own),
            *(
                inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=a, default=d)
                for n, a, d in shared
            ),
        ]

        def run(paths: list[str], **options: Any) -> None:
            output = Output(options.pop("format"), options.pop("output"), options.pop("raw_csv"))
            reading = PageOptions(
                options.pop("glob"),
                options.pop("strict"),
                options.pop("quiet"),
                options.pop("jobs"),
                not options.pop("no_text"),
                options.pop("encoding"),
                options.pop("from_"),
                summarise,
                options.pop("day_first"),
                options.pop("encoding_errors").value,
            )
            pages = read_pages(paths, reading)
            func(pages, output, **options)
            pages.finish()

        run.__name__ = func.__name__
        run.__doc__ = func.__doc__
        run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        command(name)(run)
        return func

    return register


@dataclass
class Pages:
    """The pages a command read. ``corpus`` when more than one file was named, even if some failed."""

    threads: list[Thread]
    corpus: bool
    skipped: int

    @functools.cached_property
    def comments(self) -> pd.DataFrame:
        """One page's comments, or all pages' with a ``source`` column (built once)."""
        from commentscope.ingest.corpus import corpus_comments

        return corpus_comments(self.threads) if self.corpus else self.threads[0].comments

    @property
    def title(self) -> str | None:
        return None if self.corpus else self.threads[0].article.title

    def finish(self) -> None:
        """After the output: a non-zero exit when pages were skipped, so scripts notice."""
        if self.skipped:
            raise typer.Exit(ExitCode.PROBLEMS)


def read_pages(paths: list[str], options: PageOptions) -> Pages:
    """Parse every page named (files, folders, globs); skip and report the ones that fail, unless strict."""
    from commentscope.ingest.corpus import PageFailure, load_pages

    files = expand_paths(paths, options.glob)
    threads: list[Thread] = []
    skipped = 0
    summarise = None
    if options.summarise:
        from commentscope.analysis import page_stats as summarise
    results = load_pages(
        files,
        encoding=options.encoding,
        keep_text=options.keep_text,
        jobs=options.jobs,
        summarise=summarise,
        reader=options.reader,
        day_first=options.day_first,
        encoding_errors=options.encoding_errors,
    )
    with progress(len(files), "Parsing pages", quiet=options.quiet) as advance:
        for input_results in results:
            advance()
            for result in input_results:
                if isinstance(result, PageFailure):
                    if options.strict or len(files) == 1:
                        raise fail(result.message, result.exit_code)
                    warn(f"skipped {result.message}")
                    skipped += 1
                else:
                    if not options.quiet:
                        report_problems(result)
                    threads.append(result)
    if not threads:
        raise fail(f"none of the {len(files)} pages could be read", ExitCode.INPUT)
    return Pages(threads, corpus=len(files) > 1 or len(threads) > 1, skipped=skipped)


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


@page_command("comments")
def comments_command(pages: Pages, output: Output) -> None:
    """List every comment with its parent, depth, author and time (with its page, for several pages)."""
    columns = (["source"] if pages.corpus else []) + COMMENT_TABLE_COLUMNS
    output.render(pages.comments, title=pages.title, columns=columns)


@page_command("stats", summarise=True)
def stats_command(pages: Pages, output: Output) -> None:
    """Summarise each page (article, discussion shape, people, time); several pages get a totals row."""
    from commentscope.analysis import STATS_GROUPS

    summary = stats_report(pages)
    table = None
    if output.format is OutputFormat.table:
        rows = records(summary)
        table = grouped_table(rows, STATS_GROUPS, [row["source"] for row in rows])
    output.render(summary, table=table)


def stats_report(pages: Pages) -> dict[str, Any] | list[dict[str, Any]]:
    """One object for one page; for several, one per page in the order given, then the totals."""
    from commentscope.analysis import corpus_totals

    rows = [thread.summary for thread in pages.threads]
    if not pages.corpus:
        return rows[0]
    return [*rows, corpus_totals(pages.comments, [thread.article for thread in pages.threads])]


@page_command("tree")
def tree_command(
    pages: Pages,
    output: Output,
    max_depth: Annotated[
        int | None, typer.Option("--max-depth", help="Show comments down to this depth (0 = top level).")
    ] = None,
    root: Annotated[str | None, typer.Option("--root", help="Show only this comment (by id) and its replies.")] = None,
) -> None:
    """Show the reply tree: nested in the table and JSON, flat with replies_count in JSON Lines and CSV."""
    from commentscope.analysis import reply_tree, tree_rows

    if output.format in (OutputFormat.table, OutputFormat.json):
        roots = reply_tree(pages.comments, root=root, max_depth=max_depth)
        output.render(roots, table=tree_view(roots, pages.title))
    else:
        output.render(tree_rows(pages.comments, root=root, max_depth=max_depth))


@page_command("commenters")
def commenters_command(
    pages: Pages,
    output: Output,
    sort: Annotated[
        str, typer.Option("--sort", help="Column to rank by (largest first; names and dates earliest first).")
    ] = "comments",
    top: Annotated[int | None, typer.Option("--top", help="Keep this many named commenters.")] = None,
) -> None:
    """Activity per commenter, across all pages given; anonymous comments share one separate row, never ranked."""
    from commentscope.analysis import commenter_table

    table = commenter_table(pages.comments, sort_by=sort, top=top)
    # The table fits a terminal by leaving out what JSON and CSV carry: the anonymous flag (its row
    # says so), top_level (comments - replies_made) and mean_words (words / comments).
    shown = [column for column in table.columns if column not in ("anonymous", "top_level", "mean_words")]
    output.render(table, columns=shown, nulls={"author": "(anonymous)"})


FreqOption = Annotated[str, typer.Option("--freq", help="hour, day, week, month, or a pandas offset alias (e.g. 6h).")]


@page_command("timeline")
def timeline_command(pages: Pages, output: Output, freq: FreqOption = "day") -> None:
    """Comments per period from the first comment to the last, quiet periods included."""
    from commentscope.analysis import timeline

    output.render(timeline(pages.comments, freq), bar="comments")


@page_command("network")
def network_command(pages: Pages, output: Output) -> None:
    """Who answers whom: one row per directed pair of named commenters."""
    from commentscope.analysis import reciprocity, reply_network

    network = reply_network(pages.comments)
    share = reciprocity(network)
    caption = (
        "Reciprocity: no pair of people" if share is None else f"Reciprocity: {share:.0%} of pairs answered both ways"
    )
    output.render(network, caption=caption)


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


@page_command("export", summarise=True)
def export_command(
    pages: Pages,
    output: Output,
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the reports into (created if missing).", file_okay=False)
    ],
    as_: Annotated[ExportFormat, typer.Option("--as", help="File format of the reports.")] = ExportFormat.csv,
    freq: FreqOption = "day",
    force: Annotated[bool, typer.Option("--force", help="Overwrite reports already in the folder.")] = False,
) -> None:
    """Write stats, comments, commenters, timeline and network reports into a folder."""
    from commentscope.analysis import commenter_table, reply_network, timeline

    comments = pages.comments
    reports = {
        "stats": stats_report(pages),
        "comments": comments,
        "commenters": commenter_table(comments),
        "timeline": timeline(comments, freq),
        "network": reply_network(comments),
    }
    for written in write_reports(reports, out, OutputFormat(as_.value), force=force, raw_csv=output.raw_csv):
        stderr_console().print(f"wrote {terminal_safe(str(written))}", markup=False)


@command("check")
def check_command(
    paths: PagesArgument,
    format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    raw_csv: RawCsvOption = False,
    glob: GlobOption = DEFAULT_GLOB,
    quiet: QuietOption = False,
    encoding: EncodingOption = "utf-8",
    from_: FromOption = None,
    day_first: DayFirstOption = None,
    encoding_errors: EncodingErrorsOption = EncodingErrors.strict,
) -> None:
    """Say whether every line of each page was understood, and where not. Exit 1 when a page has problems.

    JSON gives the full report per page; the table, JSON Lines and CSV one row per finding.
    """
    from commentscope.analysis import check_rows, check_thread
    from commentscope.analysis.check import unreadable_report
    from commentscope.ingest import load_with_text

    files = expand_paths(paths, glob)
    reports = []
    with progress(len(files), "Checking pages", quiet=quiet) as advance:
        for path in files:
            try:
                threads, text = load_with_text(
                    path,
                    encoding=encoding,
                    lenient=True,
                    reader=from_,
                    day_first=day_first,
                    encoding_errors=encoding_errors.value,
                )
                reports.extend(check_thread(thread, text) for thread in threads)
            except CommentscopeError as error:
                reports.append(unreadable_report(path, error.message))
            advance()
    rows = [row for report in reports for row in check_rows(report)]
    out = Output(format, output, raw_csv)
    if format is OutputFormat.json:
        out.render(reports[0] if len(reports) == 1 else reports)
    else:
        out.render(rows, table=table_of(rows, "commentscope check"))
    if not all(report["clean"] for report in reports):
        raise typer.Exit(ExitCode.PROBLEMS)


def main() -> None:
    """The ``commentscope`` command: the one place that tunes and ends the process (``cli.process``).

    An output error met while flushing the last bytes (a full disk) exits with the output code and
    one line; a reader that went away or a closed stdout ends quietly."""
    process.arm()
    try:
        app(prog_name="commentscope")
    except SystemExit as exit:
        if not isinstance(exit.code, int | None):
            raise
        code = exit.code or 0
    else:
        code = 0
    failure = process.flush_standard_streams()
    if failure is not None and code == ExitCode.OK:
        warn_line = f"Error: <stdout>: cannot write ({failure.strerror or failure})"
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(warn_line + "\n")
            sys.stderr.flush()
        code = ExitCode.OUTPUT
    process.end(code)
