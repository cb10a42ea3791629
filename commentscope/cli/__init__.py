"""The command line: parse options, call readers -> analysis -> render, map errors to exit codes.

Nothing here computes. pandas is imported inside commands only, so that ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
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
from commentscope.readers.paths import DEFAULT_GLOB, STDIN, Expansion, check_glob, display_name, expand
from commentscope.writers import render
from commentscope.writers.escaping import literal
from commentscope.writers.files import refuse_inputs, write_reports
from commentscope.writers.progress import progress
from commentscope.writers.table import grouped_table, stderr_console, table_of, tree_view
from commentscope.writers.text import OutputFormat, records

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
    from commentscope.readers.registry import reader_names

    if name is not None and name.lower() not in reader_names():
        raise typer.BadParameter(f"{name!r} is not a format; choose from {', '.join(reader_names())}")
    return name


FromOption = Annotated[
    str | None,
    typer.Option("--from", help="Input format, instead of detecting it from the content.", callback=_known_format),
]
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


MaxInputOption = Annotated[
    str | None,  # a size once parsed (the callback gives bytes)
    typer.Option(
        "--max-input-size",
        help="Refuse an input larger than this (bytes, or e.g. 500M, 2G; default: a quarter of the memory).",
        callback=_size,
    ),
]
PagesArgument = Annotated[
    list[str],
    typer.Argument(help="Saved pages, folders of them, or globs; '-' reads standard input.", metavar="PATH..."),
]

_settings: dict[str, bool] = {"traceback": False}

Command = TypeVar("Command", bound=Callable[..., Any])


def fail(message: str, code: int) -> typer.Exit:
    stderr_console().print(literal(f"Error: {message}"), soft_wrap=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    stderr_console().print(literal(f"Warning: {message}"), soft_wrap=True)


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
                process.silence_stdout()
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


def _output_path(path: Path | None) -> Path | None:
    """``-o -`` is standard output, as ``-`` is standard input."""
    return None if path is None or str(path) == STDIN else path


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

    glob: str | None = DEFAULT_GLOB
    strict: bool = False
    quiet: bool = False
    jobs: int | None = None
    keep_text: bool = True
    encoding: str = "utf-8"
    reader: str | None = None
    max_input_size: int | None = None
    summarise: bool = False  # compute each page's stats where it is parsed (thread.summary)
    column_map: tuple[tuple[str, str], ...] = ()
    day_first: bool | None = None
    encoding_errors: str = "strict"


def _column_map(text: str | None) -> tuple[tuple[str, str], ...]:
    from commentscope.readers.table import parse_column_map

    try:
        return parse_column_map(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


MapOption = Annotated[
    str | None,
    typer.Option(
        "--map",
        help="CSV / JSON Lines columns, e.g. id=comment_id,parent=in_reply_to,time=created.",
        callback=_column_map,
    ),
]


def _valid_glob(pattern: str | None) -> str | None:
    if pattern is not None:
        try:
            check_glob(pattern)
        except CommentscopeError as error:
            raise typer.BadParameter(error.message) from None
    return pattern


GlobOption = Annotated[
    str | None,
    typer.Option(
        "--glob",
        help="Files to read inside folders (recursively); default: every kind commentscope reads (*.txt, *.html, …).",
        callback=_valid_glob,
    ),
]
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
    ("max_input_size", MaxInputOption, None),
    ("map_", MapOption, None),
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
            output = Output(options.pop("format"), _output_path(options.pop("output")), options.pop("raw_csv"))
            reading = PageOptions(
                glob=options.pop("glob"),
                strict=options.pop("strict"),
                quiet=options.pop("quiet"),
                jobs=options.pop("jobs"),
                keep_text=not options.pop("no_text"),
                encoding=options.pop("encoding"),
                reader=options.pop("from_"),
                max_input_size=options.pop("max_input_size"),
                summarise=summarise,
                column_map=options.pop("map_"),
                day_first=options.pop("day_first"),
                encoding_errors=options.pop("encoding_errors").value,
            )
            pages = read_pages(paths, reading)
            refuse_inputs(output.path, pages.files)
            try:
                func(pages, output, **options)
            except BrokenPipeError:  # the reader went away (| head): quietly, but skipped pages still count
                process.silence_stdout()
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
    files: list[str]

    @functools.cached_property
    def comments(self) -> pd.DataFrame:
        """One page's comments, or all pages' with a ``source`` column (built once)."""
        from commentscope.readers.corpus import corpus_comments

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
    from commentscope.readers.corpus import PageFailure, load_pages

    expansion = expand(paths, options.glob)
    files = expansion.files
    threads: list[Thread] = []
    skipped = report_passed_over(expansion)
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
        max_input_size=options.max_input_size,
        column_map=options.column_map,
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
        raise fail(f"none of the {len(files) + len(expansion.passed_over)} inputs could be read", ExitCode.INPUT)
    return Pages(threads, corpus=len(files) > 1 or len(threads) > 1, skipped=skipped, files=files)


def report_passed_over(expansion: Expansion) -> int:
    """What a folder held that is not read, each on stderr; how many, for the exit code."""
    for path, reason in expansion.passed_over:
        warn(f"skipped {display_name(path)}: {reason}")
    return len(expansion.passed_over)


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
SentimentOption = Annotated[
    bool, typer.Option("--sentiment", help="Add VADER sentiment (English only; pip install 'commentscope[text]').")
]


@page_command("comments")
def comments_command(pages: Pages, output: Output, sentiment: SentimentOption = False) -> None:
    """List every comment with its parent, depth, author and time (with its page, for several pages)."""
    columns = (["source"] if pages.corpus else []) + COMMENT_TABLE_COLUMNS
    comments = pages.comments
    if sentiment:
        from commentscope.analysis import comment_sentiment

        comments = comments.assign(sentiment=comment_sentiment(comments))
        columns.insert(columns.index("text"), "sentiment")
    output.render(comments, title=pages.title, columns=columns)


@page_command("stats", summarise=True)
def stats_command(pages: Pages, output: Output, sentiment: SentimentOption = False) -> None:
    """Summarise each page (article, discussion shape, people, time); several pages get a totals row."""
    from commentscope.analysis import STATS_GROUPS

    summary = stats_report(pages)
    groups = STATS_GROUPS
    if sentiment:
        groups = {**STATS_GROUPS, "sentiment": add_sentiment(summary, pages)}
    table = None
    if output.format is OutputFormat.table:
        rows = records(summary)
        table = grouped_table(rows, groups, [row["source"] for row in rows])
    output.render(summary, table=table)


def add_sentiment(summary: dict[str, Any] | list[dict[str, Any]], pages: Pages) -> list[str]:
    """Each page's sentiment figures into its stats row, the pooled ones into the totals; returns their keys."""
    from commentscope.analysis import comment_sentiment, sentiment_summary

    rows = summary if isinstance(summary, list) else [summary]
    scores = [comment_sentiment(thread.comments) for thread in pages.threads]
    for row, page_scores in zip(rows, scores, strict=False):
        row.update(sentiment_summary(page_scores))
    if pages.corpus:
        import pandas as pd

        rows[-1].update(sentiment_summary(pd.concat(scores, ignore_index=True)))
    return list(sentiment_summary(scores[0]))


def stats_report(pages: Pages) -> dict[str, Any] | list[dict[str, Any]]:
    """One object for one page; for several, one per page in the order given, then the totals."""
    from commentscope.analysis import corpus_totals

    rows = [thread.summary for thread in pages.threads]
    if not pages.corpus:
        return rows[0]
    return [*rows, corpus_totals(pages.comments, [thread.article for thread in pages.threads])]


#: Past this nesting, `tree -f json` warns: Python's json module and jq 1.6 (256) give up not far beyond.
JSON_NESTING_WARNED = 200


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
    from commentscope.analysis import json_nesting, reply_tree, tree_rows

    if output.format in (OutputFormat.table, OutputFormat.json):
        roots = reply_tree(pages.comments, root=root, max_depth=max_depth)
        nesting = json_nesting(roots)
        if output.format is OutputFormat.json and nesting > JSON_NESTING_WARNED:
            warn(
                f"the JSON tree nests {nesting} levels, more than many JSON readers take (Python's json module, "
                "jq 1.6's 256); -f jsonl or -f csv give the same tree flat, with parent_id"
            )
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
    sentiment: SentimentOption = False,
) -> None:
    """Activity per commenter, across all pages given; anonymous comments share one separate row, never ranked."""
    from commentscope.analysis import commenter_table

    table = commenter_table(pages.comments, sort_by=sort, top=top)
    if sentiment:
        from commentscope.analysis import comment_sentiment, sentiment_by_commenter

        scores = sentiment_by_commenter(pages.comments, comment_sentiment(pages.comments))
        table = table.merge(scores[["author", "sentiment_mean", "sentiment_sd"]], on="author", how="left")
    # The table fits a terminal by leaving out what JSON and CSV carry: the anonymous flag (its row
    # says so), top_level (comments - replies_made) and mean_words (words / comments).
    shown = [column for column in table.columns if column not in ("anonymous", "top_level", "mean_words")]
    output.render(table, columns=shown, nulls={"author": "(anonymous)"})


def _valid_freq(freq: str | None) -> str | None:
    from commentscope.analysis.timeline import period_offset

    if freq is not None:
        try:
            period_offset(freq)
        except CommentscopeError as error:
            raise typer.BadParameter(error.message) from None
    return freq


FreqOption = Annotated[
    str | None,
    typer.Option(
        "--freq",
        help="hour, day, week, month, year, or a pandas offset alias (e.g. 6h). Default: day, or coarser "
        "when a day would give more than 100,000 periods.",
        callback=_valid_freq,
    ),
]


def chosen_freq(comments: pd.DataFrame, freq: str | None) -> str:
    """An explicit --freq as given; by default a day, or the finest period that keeps a timeline bounded."""
    from commentscope.analysis.timeline import fitting_frequency

    if freq is not None:
        return freq
    fitting = fitting_frequency(comments, "day")
    if fitting != "day":
        warn(f"the comments span too long for a timeline by day; by {fitting} instead (--freq to choose)")
    return fitting


@page_command("timeline")
def timeline_command(pages: Pages, output: Output, freq: FreqOption = None) -> None:
    """Comments per period from the first comment to the last, quiet periods included."""
    from commentscope.analysis import timeline

    output.render(timeline(pages.comments, chosen_freq(pages.comments, freq)), bar="comments")


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
    freq: FreqOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite reports already in the folder.")] = False,
    with_report: Annotated[
        bool, typer.Option("--with-report", help="Also write report.html, the HTML report (see `report`).")
    ] = False,
) -> None:
    """Write stats, comments, commenters, timeline and network reports into a folder."""
    from commentscope.analysis import commenter_table, reply_network, timeline

    comments = pages.comments
    report = html_report(pages, out / "report.html", force=force) if with_report else None
    reports = {
        "stats": stats_report(pages),
        "comments": comments,
        "commenters": commenter_table(comments),
        "timeline": timeline(comments, chosen_freq(comments, freq)),
        "network": reply_network(comments),
    }
    written = write_reports(
        reports, out, OutputFormat(as_.value), force=force, raw_csv=output.raw_csv, inputs=pages.files
    )
    if report is not None:
        from commentscope.report import write_report

        write_report(report, out / "report.html")
        written.append(out / "report.html")
    for path in written:
        stderr_console().print(literal(f"wrote {path}"), soft_wrap=True)


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
    max_input_size: MaxInputOption = None,
    map_: MapOption = None,
    day_first: DayFirstOption = None,
    encoding_errors: EncodingErrorsOption = EncodingErrors.strict,
) -> None:
    """Say whether every line of each page was understood, and where not. Exit 1 when a page has problems.

    JSON gives the full report per page; the table, JSON Lines and CSV one row per finding.
    """
    from commentscope.analysis import check_rows, check_thread
    from commentscope.analysis.check import unreadable_report
    from commentscope.readers import load_with_text

    expansion = expand(paths, glob)
    files = expansion.files
    passed_over = report_passed_over(expansion)
    output = _output_path(output)
    refuse_inputs(output, files)
    reports = []
    with progress(len(files), "Checking pages", quiet=quiet) as advance:
        for path in files:
            try:
                threads, text = load_with_text(
                    path,
                    encoding=encoding,
                    lenient=True,
                    reader=from_,
                    max_input_size=max_input_size,
                    column_map=map_ or (),
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
    if passed_over or not all(report["clean"] for report in reports):
        raise typer.Exit(ExitCode.PROBLEMS)


# click's UsageError, which newer typers vendor (typer._click) and older ones import from click.
_USAGE_ERROR: type[Exception] = next(kind for kind in typer.BadParameter.__mro__ if kind.__name__ == "UsageError")


def _usage_error(error: Any) -> int:
    """A usage error as one line and a hint, as the README promises; not click's boxed usage."""
    command = error.ctx.command_path if error.ctx is not None else "commentscope"
    stderr_console().print(literal(f"Error: {error.format_message()}"), soft_wrap=True)
    stderr_console().print(literal(f"Try '{command} --help' for help."), soft_wrap=True)
    return ExitCode.USAGE


def main() -> None:
    """The ``commentscope`` command: the one place that tunes and ends the process (``cli.process``).

    An output error met while flushing the last bytes (a full disk) exits with the output code and
    one line; a reader that went away or a closed stdout ends quietly."""
    process.arm()
    try:
        returned = app(prog_name="commentscope", standalone_mode=False)
        code = returned if isinstance(returned, int) else 0
    except _USAGE_ERROR as error:
        code = _usage_error(error)
    except typer.Abort:
        code = 130  # interrupted, as a shell reports SIGINT
    except SystemExit as exit:
        if not isinstance(exit.code, int | None):
            raise
        code = exit.code or 0
    failure = process.flush_standard_streams()
    if failure is not None and code == ExitCode.OK:
        warn_line = f"Error: <stdout>: cannot write ({failure.strerror or failure})"
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(warn_line + "\n")
            sys.stderr.flush()
        code = ExitCode.OUTPUT
    process.end(code)


@page_command("threads")
def threads_command(
    pages: Pages,
    output: Output,
    sort: Annotated[
        str | None, typer.Option("--sort", help="Column to rank by (largest first; ids and names in order).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Keep this many subthreads.")] = None,
    sentiment: SentimentOption = False,
) -> None:
    """One row per top-level comment's subthread: its size, shape, people and timing, in page order."""
    from commentscope.analysis import comment_sentiment, sentiment_by_subthread, subthread_table

    comments = pages.comments
    scores = sentiment_by_subthread(comments, comment_sentiment(comments)) if sentiment else None
    table = subthread_table(comments, sort_by=sort, limit=limit, sentiment=scores)
    output.render(table, title=pages.title, nulls={"author": "(anonymous)"})


@page_command("hypergraph")
def hypergraph_command(
    pages: Pages,
    output: Output,
    first: Annotated[
        int | None, typer.Option("--first", min=0, help="Use each page's first N comments in time order (prefix_len).")
    ] = None,
) -> None:
    """ConvoKit's HyperConvo figures per page: motif counts and degree statistics of the reply hypergraph."""
    from commentscope.analysis import HYPERGRAPH_GROUPS, hypergraph_features

    rows = [hypergraph_features(thread.comments, thread.source, first=first) for thread in pages.threads]
    table = None
    if output.format is OutputFormat.table:
        table = grouped_table(rows, HYPERGRAPH_GROUPS, [row["source"] for row in rows])
    output.render(rows if pages.corpus else rows[0], table=table)


def html_report(pages: Pages, path: Path | None, *, force: bool = True) -> str:
    """The HTML report of the pages read; refused before any work when ``path`` exists and not ``force``."""
    from commentscope.errors import OutputError
    from commentscope.report import report_html

    if path is not None and path.exists() and not force:
        raise OutputError("would overwrite it (use --force)", source=str(path))
    return report_html(pages.threads, pages.comments, corpus=pages.corpus)


@page_command("report", summarise=True)
def report_command(pages: Pages, output: Output) -> None:
    """Write one self-contained HTML page with the stats and charts (to -o FILE, or standard output).

    It asks for nothing from the network and opens offline; several pages get a sortable
    table of pages, charts of all of them together, and a section each.
    """
    from commentscope.report import write_report

    if output.format is not OutputFormat.table:
        raise fail("report writes HTML; --format does not apply", ExitCode.USAGE)
    write_report(html_report(pages, output.path), output.path)
