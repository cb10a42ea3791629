"""The command line: parse options, call readers -> analysis -> render, map errors to exit codes.

Nothing here computes. pandas is imported inside commands only, so that ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from commentscope import __version__
from commentscope.cli import process
from commentscope.cli.filters import FilterOptions, comment_filter
from commentscope.cli.options import (
    ExportOptions,
    FormatFlags,
    OutputOptions,
    ReadingOptions,
    RowOptions,
    Run,
    taking,
)
from commentscope.errors import CommentscopeError, ExitCode
from commentscope.readers.paths import Expansion, check_distinct_sources, display_name, expand, split_root
from commentscope.writers import Result, Target, UnsuitedOutput, WriteOptions, write, writer_named
from commentscope.writers.escaping import literal
from commentscope.writers.files import refuse_inputs, write_reports
from commentscope.writers.progress import progress
from commentscope.writers.shape import shaped, without
from commentscope.writers.table import ANONYMOUS_LABEL, grouped_table, pages_table, stderr_console, table_of, tree_view
from commentscope.writers.text import column_names, records

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from commentscope.analysis.filters import CommentFilter, Selection
    from commentscope.model import Thread

app = typer.Typer(
    name="commentscope",
    help="Analyse reader-comment threads saved from article pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

PagesArgument = Annotated[
    list[str],
    typer.Argument(help="Saved pages, folders of them, or globs; '-' reads standard input.", metavar="PATH..."),
]

_settings: dict[str, bool] = {"traceback": False}

Command = TypeVar("Command", bound=Callable[..., Any])

#: The option groups of a command that writes one result, and of one that lists rows.
WRITING = (OutputOptions, FormatFlags, ReadingOptions)
LISTING = (OutputOptions, FormatFlags, RowOptions, ReadingOptions)
#: The same, for commands that look at the comments the filters select.
FILTERED_WRITING = (FilterOptions, *WRITING)
FILTERED_LISTING = (FilterOptions, *LISTING)


def fail(message: str, code: int) -> typer.Exit:
    stderr_console().print(literal(f"Error: {message}"), soft_wrap=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    stderr_console().print(literal(f"Warning: {message}"), soft_wrap=True)


def command(name: str | None = None, groups: tuple[type, ...] = ()) -> Callable[[Command], Command]:
    """Register a command taking the option groups ``groups`` besides its own parameters.

    Its errors become one line on stderr and an exit code, never a traceback. A command that
    returns a ``Result`` has it written as its options say; one that read pages then exits 3
    when some were skipped, so that scripts notice.
    """

    def register(func: Command) -> Command:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            process.tune()
            try:
                result = func(*args, **kwargs)
                context = next((value for value in kwargs.values() if isinstance(value, Run)), None)
                if isinstance(result, Result) and context is not None:
                    try:
                        emit(context, result)
                    except BrokenPipeError:  # the reader went away (| head): quietly, but skipped pages still count
                        process.silence_stdout()
                pages = getattr(context, "pages", None)
                if getattr(context, "problems", False) or (pages is not None and pages.skipped):
                    raise typer.Exit(ExitCode.PROBLEMS)
            except CommentscopeError as error:
                if _settings["traceback"]:
                    raise
                raise fail(str(error), error.exit_code) from None
            except BrokenPipeError:  # the reader went away (| head): stop quietly, as cat does
                process.silence_stdout()
                raise typer.Exit(ExitCode.OK) from None
            except (typer.Exit, typer.Abort, KeyboardInterrupt, _USAGE_ERROR):
                raise
            except Exception as error:  # a bug: still one line, with the way to see more
                if _settings["traceback"]:
                    raise
                raise fail(
                    f"internal error: {type(error).__name__}: {error} (rerun with --traceback and report it)",
                    ExitCode.INTERNAL,
                ) from None

        app.command(name, cls=taking(*groups) if groups else None)(run)
        return func

    return register


def write_options(run: Run, *, to_file: bool) -> WriteOptions:
    """The formula guard is for files a spreadsheet may open; a pipe gets the data as it is."""
    flags = run.get(FormatFlags)
    if flags.raw_csv and flags.safe_csv:
        raise UnsuitedOutput("--raw-csv and --safe-csv contradict each other; give one")
    guarded = flags.safe_csv or (to_file and not flags.raw_csv)
    return WriteOptions(raw_csv=not guarded, header=not flags.no_header, json_indent=flags.json_indent)


def emit(run: Run, result: Result) -> None:
    """A command's result, shaped by --fields, --sort and --limit, to the format and place asked for."""
    output = run.get(OutputOptions)
    rows = run.groups.get(RowOptions, RowOptions())
    writer = writer_named(output.format)
    chosen = shaped(result, writer, fields=output.fields, sort=rows.sort, limit=rows.limit)
    write(chosen, writer, output.path, write_options(run, to_file=output.path is not None))


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


def page_command(name: str, groups: tuple[type, ...] = WRITING) -> Callable[[Command], Command]:
    """Register a command that reads pages: ``func(run, paths, **own_options)``, which calls ``read_pages``."""
    return command(name, groups)


@dataclass
class Pages:
    """The pages a command read. ``corpus`` when more than one file was named, even if some failed."""

    threads: list[Thread]
    corpus: bool
    skipped: int
    files: list[str]
    summaries: list[dict[str, Any] | None] = field(default_factory=list)  # each page's stats, if asked
    selection: Selection | None = None
    page_selections: list[Selection] | None = None
    texts_dropped: bool = False  # --no-text: the texts were blanked while parsing

    def as_read(self, result: Result) -> Result:
        """Without the texts when they were dropped: no text column, rather than an empty one."""
        return without(result, TEXT_FIELDS) if self.texts_dropped else result

    def select(self, spec: CommentFilter) -> None:
        """Apply the filters page by page (each page on its own clock), and say on stderr what they did."""
        from commentscope.analysis.filters import joined_selection, select_comments

        parts = [select_comments(thread.comments, spec, timezone=thread.timezone) for thread in self.threads]
        self.page_selections = parts
        self.selection = parts[0] if len(parts) == 1 and not self.corpus else joined_selection(parts, self.comments)
        if not self.selection.kept:
            warn(f"the filters select none of the {self.selection.total:,} comments")
        for name in self.selection.unknown_authors:
            warn(f"no comment by {name!r} (--author takes the name exactly as shown)")
        if self.selection.undated:
            warn(f"{self.selection.undated:,} comment(s) without a readable date left out by --since/--until")

    @property
    def mask(self) -> np.ndarray | None:
        """The selected rows of ``comments``, or None when nothing is filtered."""
        return None if self.selection is None else self.selection.mask

    @property
    def selected(self) -> pd.DataFrame:
        """The comments the filters kept (every comment without filters)."""
        return self.comments if self.selection is None else self.selection.comments

    @functools.cached_property
    def comments(self) -> pd.DataFrame:
        """One page's comments, or all pages' with a ``source`` column (built once)."""
        from commentscope.readers.corpus import corpus_comments

        return corpus_comments(self.threads) if self.corpus else self.threads[0].comments

    @property
    def title(self) -> str | None:
        return None if self.corpus else self.threads[0].article.title


def read_pages(run: Run, paths: list[str], *, summarise: bool = False, texts: bool = True) -> Pages:
    """Parse every page named (files, folders, globs); skip and report the ones that fail, unless strict.

    ``summarise`` has each page's stats computed in the worker that parses it (``Pages.summaries``).
    ``texts=False``: the command reads no comment's text (--grep does, and then they are kept), so
    the readers may leave them out (``ReadOptions.texts``).
    A command's exit code counts the pages skipped (see ``command``)."""
    from commentscope.readers.corpus import PageFailure, load_pages

    options = run.get(ReadingOptions)
    expansion = expand(paths, options.glob)
    files = expansion.files
    if OutputOptions in run.groups:
        refuse_inputs(run.get(OutputOptions).path, files)
    threads: list[Thread] = []
    summaries: list[dict[str, Any] | None] = []
    skipped = report_passed_over(expansion)
    for path, first in expansion.repeated:
        warn(f"{display_name(path)} is {display_name(first)} again; read once")
    names: list[tuple[str, str]] = []
    page_stats = None
    if summarise:
        from commentscope.analysis import page_stats

        page_stats = functools.partial(page_stats, processes=options.jobs)
    grep = FilterOptions in run.groups and run.get(FilterOptions).grep is not None
    results = load_pages(
        files,
        keep_text=not options.no_text,
        jobs=options.jobs,
        summarise=page_stats,
        **options.reading(),
        texts=texts or grep,
    )
    with progress(len(files), "Parsing pages", quiet=options.quiet) as advance:
        for path, input_results in zip(files, results, strict=True):
            advance()
            for result in input_results:
                if isinstance(result, PageFailure):
                    if options.strict or len(files) == 1:
                        raise fail(result.message, result.exit_code)
                    warn(f"skipped {result.message}")
                    skipped += 1
                else:
                    if not options.quiet:
                        report_problems(result.thread)
                    names.append((path, result.thread.source))
                    threads.append(result.thread)
                    summaries.append(result.summary)
    check_distinct_sources(names)
    if not threads:
        raise fail(f"none of the {len(files) + len(expansion.passed_over)} inputs could be read", ExitCode.INPUT)
    pages = Pages(
        threads,
        corpus=len(files) > 1 or len(threads) > 1,
        skipped=skipped,
        files=files,
        summaries=summaries,
        texts_dropped=options.no_text,
    )
    if FilterOptions in run.groups:
        spec = comment_filter(run.get(FilterOptions))
        if spec.pattern is not None and pages.texts_dropped:
            raise UnsuitedOutput("--grep reads the texts, which --no-text drops; give one")
        if spec.active:
            pages.select(spec)
    run.pages = pages  # type: ignore[attr-defined]
    return pages


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
TEXT_FIELDS = frozenset({"text"})  # what --no-text leaves out of the outputs
SentimentOption = Annotated[
    bool, typer.Option("--sentiment", help="Add VADER sentiment (English only; pip install 'commentscope[text]').")
]


@page_command("comments", FILTERED_LISTING)
def comments_command(run: Run, paths: PagesArgument, sentiment: SentimentOption = False) -> Result:
    """List every comment with its parent, depth, author and time (with its page, for several pages)."""
    pages = read_pages(run, paths)
    columns = (["source"] if pages.corpus else []) + COMMENT_TABLE_COLUMNS
    comments = pages.selected
    if sentiment:
        from commentscope.analysis import comment_sentiment

        comments = comments.assign(sentiment=comment_sentiment(comments))
        columns.insert(columns.index("text"), "sentiment")
    return pages.as_read(Result("comments", comments, title=pages.title, columns=columns))


TotalsOption = Annotated[
    bool,
    typer.Option(
        "--totals", help="Several pages: the (all pages) row in JSON, JSON Lines and CSV too, not only the table."
    ),
]


@page_command("stats", FILTERED_WRITING)
def stats_command(
    run: Run, paths: PagesArgument, sentiment: SentimentOption = False, totals: TotalsOption = False
) -> Result:
    """Summarise each page (article, discussion shape, people, time); several pages get a totals row in the table."""
    from commentscope.analysis import STATS_GROUPS

    pages = read_pages(run, paths, summarise=True, texts=sentiment)
    summary = stats_report(pages)
    groups = STATS_GROUPS if pages.selection is None else {"selection": ["filters"], **STATS_GROUPS}
    scores = None
    if sentiment:
        scores = add_sentiment(summary, pages)
        groups = {**groups, "sentiment": scores.keys}
    return Result(
        "stats",
        summary,
        table=lambda data, fields: grouped_by(data, fields, groups),
        total=functools.partial(stats_total, pages, scores) if pages.corpus else None,
        total_in_data=totals,
    )


def grouped_by(data: Any, fields: tuple[str, ...] | None, groups: Mapping[str, list[str]]) -> Any:
    """One page: figures down the side in their groups (only those --fields names). Several pages:
    a row each, with the figures --fields names (a few by default) as columns."""
    rows = records(data)
    if isinstance(data, list):
        return pages_table(rows, fields)
    if fields is not None:
        chosen = {group: [name for name in names if name in fields] for group, names in groups.items()}
        groups = {group: names for group, names in chosen.items() if names}
    return grouped_table(rows, groups, [row.get("source") for row in rows])


@dataclass(frozen=True)
class PageScores:
    """Each page's sentiment scores, and the figures' names."""

    pages: list[Any]  # a Series of scores per page
    keys: list[str]


def add_sentiment(summary: dict[str, Any] | list[dict[str, Any]], pages: Pages) -> PageScores:
    """Each page's sentiment figures into its stats row; the scores, for the totals' pooled figures."""
    from commentscope.analysis import comment_sentiment, sentiment_summary

    rows = summary if isinstance(summary, list) else [summary]
    scores = [comment_sentiment(thread.comments) for thread in pages.threads]
    for row, page_scores in zip(rows, scores, strict=True):
        row.update(sentiment_summary(page_scores))
    return PageScores(scores, list(sentiment_summary(scores[0])))


def stats_report(pages: Pages) -> dict[str, Any] | list[dict[str, Any]]:
    """One object for one page; for several, one per page in the order given."""
    if pages.selection is None:
        rows = list(pages.summaries)
    else:
        from commentscope.analysis import thread_stats
        from commentscope.analysis.filters import detached

        rows = [
            {**thread_stats(detached(thread.comments, part.mask), thread.article), "filters": part.description()}
            for thread, part in zip(pages.threads, pages.page_selections or [], strict=True)
        ]
    return rows if pages.corpus else rows[0]


def stats_total(pages: Pages, scores: PageScores | None = None) -> dict[str, Any]:
    """The (all pages) row of several pages' stats, made only where it is shown (the table, --totals):
    it pools every page's comments. ``scores``: the pages' sentiment, pooled into it."""
    from commentscope.analysis import corpus_totals

    comments = pages.comments
    if pages.selection is not None:
        from commentscope.analysis.filters import detached

        comments = detached(comments, pages.selection.mask)
    total = corpus_totals(comments, [thread.article for thread in pages.threads])
    if pages.selection is not None:
        total["filters"] = pages.selection.description()
    if scores is not None:
        import pandas as pd

        from commentscope.analysis import sentiment_summary

        total.update(sentiment_summary(pd.concat(scores.pages, ignore_index=True)))
    return total


#: Past this nesting, `tree -f json` warns: Python's json module and jq 1.6 (256) give up not far beyond.
JSON_NESTING_WARNED = 200


@page_command("tree", FILTERED_LISTING)
def tree_command(
    run: Run,
    paths: PagesArgument,
    root: Annotated[
        str | None,
        typer.Option("--root", help="Show only this comment and its replies: ID, or PAGE:ID for several pages."),
    ] = None,
) -> Result:
    """Show the reply tree: nested in the table and JSON, flat with replies_count in JSON Lines and CSV.

    With filters (--max-depth among them), the comments they select keep their ancestors, marked as context."""
    from commentscope.analysis import json_nesting, reply_forest, tree_rows
    from commentscope.writers.graphs import comment_graph

    pages = read_pages(run, paths)
    page = None
    if root is not None:
        page, root = split_root(root, [thread.source for thread in pages.threads])

    def nested() -> Any:
        tree = reply_forest(pages.comments, root=root, source=page, selected=pages.mask)
        nesting = json_nesting(tree)
        if nesting > JSON_NESTING_WARNED:
            warn(
                f"the JSON tree nests {nesting} levels, more than many JSON readers take (Python's json module, "
                "jq 1.6's 256); -f jsonl or -f csv give the same tree flat, with parent_id"
            )
        return tree

    return pages.as_read(
        Result(
            "tree",
            functools.partial(tree_rows, pages.comments, root=root, source=page, selected=pages.mask),
            nested=nested,
            table=lambda _data, _fields: tree_view(
                reply_forest(pages.comments, root=root, source=page, selected=pages.mask), pages.title
            ),
            nested_table=True,
            graph=lambda: comment_graph(pages.selected),
        )
    )


@page_command("commenters", FILTERED_WRITING)
def commenters_command(
    run: Run,
    paths: PagesArgument,
    sort: Annotated[
        str, typer.Option("--sort", help="Column to rank by (largest first; names and dates earliest first).")
    ] = "comments",
    top: Annotated[int | None, typer.Option("--top", "--limit", min=0, help="Keep this many named commenters.")] = None,
    sentiment: SentimentOption = False,
) -> Result:
    """Activity per commenter, across all pages given; anonymous comments share one separate row, never ranked."""
    from commentscope.analysis import commenter_table
    from commentscope.analysis.commenters import COMMENTER_COLUMNS

    pages = read_pages(run, paths)
    sortable = [name for name in COMMENTER_COLUMNS if name != "anonymous"] + (["pages"] if pages.corpus else [])
    if sort not in sortable:
        raise UnsuitedOutput(f"cannot sort commenters by {sort!r}; choose one of: {', '.join(sortable)}")
    table = commenter_table(pages.comments, sort_by=sort, top=top, selected=pages.mask)
    if sentiment:
        from commentscope.analysis import comment_sentiment, sentiment_by_commenter

        scores = sentiment_by_commenter(pages.comments, comment_sentiment(pages.comments))
        table = table.merge(scores[["author", "sentiment_mean", "sentiment_sd"]], on="author", how="left")
    # The table fits a terminal by leaving out what JSON and CSV carry: the anonymous flag (its row
    # says so), top_level (comments - replies_made) and mean_words (words / comments).
    shown = [column for column in table.columns if column not in ("anonymous", "top_level", "mean_words")]
    return Result("commenters", table, columns=shown)


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


@page_command("timeline", FILTERED_LISTING)
def timeline_command(
    run: Run,
    paths: PagesArgument,
    freq: FreqOption = None,
    nonzero: Annotated[bool, typer.Option("--nonzero", help="Leave out the periods without comments.")] = False,
) -> Result:
    """Comments per period from the first comment to the last, quiet periods included (unless --nonzero)."""
    from commentscope.analysis import timeline

    comments = read_pages(run, paths).selected
    return Result("timeline", timeline(comments, chosen_freq(comments, freq), nonzero=nonzero), bar="comments")


@page_command("network", FILTERED_LISTING)
def network_command(
    run: Run,
    paths: PagesArgument,
    named_only: Annotated[
        bool, typer.Option("--named-only", help="Leave out the replies from and to anonymous comments.")
    ] = False,
    self_: Annotated[bool, typer.Option("--self", help="Keep the replies of people to their own comments.")] = False,
    mutual: Annotated[
        bool, typer.Option("--mutual", help="List the pairs who answered each other, with both counts.")
    ] = False,
) -> Result:
    """Who answers whom: one row per directed pair of commenters; (anonymous) is every comment without a name."""
    from commentscope.analysis import reciprocity, reply_network
    from commentscope.analysis.network import mutual_pairs, self_reply_count

    pages = read_pages(run, paths)
    network = reply_network(pages.comments, named_only=named_only, self_replies=self_, selected=pages.mask)
    share = reciprocity(network)
    caption = (
        "Reciprocity: no pair of people" if share is None else f"Reciprocity: {share:.0%} of pairs answered both ways"
    )
    if not self_:
        selves = self_reply_count(pages.comments, selected=pages.mask)
        if selves:
            caption += f"; {selves:,} self-repl{'y' if selves == 1 else 'ies'} left out (--self keeps them)"
    if not (named_only or mutual) and (network["source"].isna().any() or network["target"].isna().any()):
        caption += f"\n{ANONYMOUS_LABEL} is every comment without a name: many people as one node (--named-only)"
    if pages.selection is not None:
        caption += "\n" + pages.selection.description()
    if mutual:
        return Result("network", mutual_pairs(network), caption=caption)

    def graph() -> Any:
        from commentscope.analysis import commenter_table
        from commentscope.writers.graphs import people_graph

        return people_graph(network, commenter_table(pages.comments, selected=pages.mask))

    return Result(
        "network",
        network,
        caption=caption,
        nulls={"source": ANONYMOUS_LABEL, "target": ANONYMOUS_LABEL},
        graph=graph,
    )


@page_command("export", (ExportOptions, FormatFlags, ReadingOptions))
def export_command(
    run: Run,
    paths: PagesArgument,
    freq: FreqOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite reports already in the folder.")] = False,
    append: Annotated[
        bool, typer.Option("--append", help="-f sqlite: add the pages to the database (refusing pages already in it).")
    ] = False,
    with_report: Annotated[
        bool, typer.Option("--with-report", help="Also write report.html, the HTML report (see `report`).")
    ] = False,
) -> None:
    """Write stats, comments, commenters, timeline and network reports into a folder (-o), as -f says."""
    from commentscope.analysis import commenter_table, reply_network, timeline

    target = run.get(ExportOptions)
    if target.path is None:
        raise typer.BadParameter("name the folder to write the reports into", param_hint="'-o' / '--output'")
    writer = writer_named(target.format)
    if writer.whole_result:
        raise UnsuitedOutput(f"-f {writer.name} is for the terminal; export writes files (-f csv, json, …)")
    if with_report and (writer.tables or writer.target is Target.file):
        raise UnsuitedOutput(f"--with-report writes report.html into a folder; -f {writer.name} writes one file")
    if append and not writer.export:
        raise UnsuitedOutput(f"--append adds pages to a database (-f sqlite), not to -f {writer.name} reports")
    out = target.path
    pages = read_pages(run, paths, summarise=True)
    comments = pages.comments.drop(columns=list(TEXT_FIELDS)) if pages.texts_dropped else pages.comments
    report = html_report(pages, out / "report.html", force=force) if with_report else None
    if writer.export:
        from commentscope.analysis.thread_table import thread_table
        from commentscope.writers import Export

        every = appended_to(out, comments) if append else comments
        tables = {
            "stats": stats_report(pages),
            "comments": comments,
            "commenters": commenter_table(every),
            "timeline": timeline(every, chosen_freq(every, freq)),
            "network": reply_network(every),
        }
        refuse_inputs(out, pages.files)
        if writer.target is Target.file:
            make_folder(out.parent)
        job = Export(pages.threads, thread_table(pages.threads), tables, force=force, append=append)
        written = list(writer.write(job, out, write_options(run, to_file=True)))
    else:
        reports = {
            "stats": Result("stats", stats_report(pages)),
            "comments": Result("comments", comments),
            "commenters": Result("commenters", commenter_table(comments)),
            "timeline": Result("timeline", timeline(comments, chosen_freq(comments, freq))),
            "network": Result("network", reply_network(comments)),
        }
        written = write_reports(reports, out, writer, write_options(run, to_file=True), force=force, inputs=pages.files)
    if report is not None:
        from commentscope.report import write_report

        write_report(report, out / "report.html")
        written.append(out / "report.html")
    if not run.get(ReadingOptions).quiet:
        for path in written:
            stderr_console().print(literal(f"wrote {path}"), soft_wrap=True)


def make_folder(folder: Path) -> None:
    from commentscope.errors import OutputError

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the folder ({error.strerror})", source=str(folder)) from None


def appended_to(database: Path, comments: pd.DataFrame) -> pd.DataFrame:
    """The comments already in ``database`` and these, for the reports that span pages (commenters,
    timeline, network), which an append replaces."""
    import pandas as pd

    from commentscope.writers.sqlite import database_comments

    if not database.exists():
        return comments
    return pd.concat([database_comments(database), comments], ignore_index=True)


@page_command("check", LISTING)
def check_command(run: Run, paths: PagesArgument) -> Result:
    """Say whether every line of each page was understood, and where not. Exit 1 when a page has problems.

    JSON gives the full report per page; the table, JSON Lines and CSV one row per finding.
    """
    from commentscope.analysis import check_rows

    options = run.get(ReadingOptions)
    expansion = expand(paths, options.glob)
    files = expansion.files
    passed_over = report_passed_over(expansion)
    refuse_inputs(run.get(OutputOptions).path, files)
    reports = []
    with progress(len(files), "Checking pages", quiet=options.quiet) as advance:
        for file_reports in checked(files, options):
            reports.extend(file_reports)
            advance()
    rows = [row for report in reports for row in check_rows(report)]
    result = Result(
        "check",
        rows,
        nested=lambda: reports[0] if len(reports) == 1 else reports,
        table=lambda data, _fields: table_of(records(data), "commentscope check", column_names(data) or None),
    )
    run.problems = bool(passed_over) or not all(report["clean"] for report in reports)  # type: ignore[attr-defined]
    return result


def checked(files: list[str], options: ReadingOptions) -> Any:
    """Each file's check reports, in order, in ``--jobs`` processes; ``--strict`` stops at the first unreadable one."""
    from concurrent.futures import ProcessPoolExecutor

    workers = min(options.jobs or 1, len(files))
    if workers <= 1:
        reports = (check_file(path, options) for path in files)
        yield from (_strict(found, options) for found in reports)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for found in pool.map(check_file, files, [options] * len(files)):
            yield _strict(found, options)


def _strict(found: tuple[list[dict[str, Any]], CommentscopeError | None], options: ReadingOptions) -> Any:
    reports, error = found
    if error is not None and options.strict:
        raise error
    return reports


def check_file(path: str, options: ReadingOptions) -> tuple[list[dict[str, Any]], CommentscopeError | None]:
    """One file's check reports, and the error that made it unreadable (a report of its own too)."""
    from commentscope.analysis import check_thread
    from commentscope.analysis.check import unreadable_report
    from commentscope.readers import load_with_text

    try:
        threads, text = load_with_text(path, lenient=True, **options.reading())
        return [check_thread(thread, text) for thread in threads], None
    except CommentscopeError as error:
        return [unreadable_report(path, error.message)], error


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
    run: Run,
    paths: PagesArgument,
    sort: Annotated[
        str | None, typer.Option("--sort", help="Column to rank by (largest first; ids and names in order).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="Keep this many subthreads.")] = None,
    sentiment: SentimentOption = False,
) -> Result:
    """One row per top-level comment's subthread: its size, shape, people and timing, in page order."""
    from commentscope.analysis import comment_sentiment, sentiment_by_subthread, subthread_table

    comments = read_pages(run, paths).comments
    scores = sentiment_by_subthread(comments, comment_sentiment(comments)) if sentiment else None
    table = subthread_table(comments, sort_by=sort, limit=limit, sentiment=scores)
    return Result("threads", table, title=run.pages.title)  # type: ignore[attr-defined]


@page_command("hypergraph")
def hypergraph_command(
    run: Run,
    paths: PagesArgument,
    first: Annotated[
        int | None, typer.Option("--first", min=0, help="Use each page's first N comments in time order (prefix_len).")
    ] = None,
) -> Result:
    """ConvoKit's HyperConvo figures per page: motif counts and degree statistics of the reply hypergraph."""
    from commentscope.analysis import HYPERGRAPH_GROUPS, hypergraph_features

    pages = read_pages(run, paths)
    rows = [hypergraph_features(thread.comments, thread.source, first=first) for thread in pages.threads]
    return Result(
        "hypergraph",
        rows if pages.corpus else rows[0],
        table=lambda data, fields: grouped_by(data, fields, HYPERGRAPH_GROUPS),
    )


def html_report(pages: Pages, path: Path | None, *, force: bool = True) -> str:
    """The HTML report of the pages read; refused before any work when ``path`` exists and not ``force``."""
    from commentscope.errors import OutputError
    from commentscope.report import report_html

    if path is not None and path.exists() and not force:
        raise OutputError("would overwrite it (use --force)", source=str(path))
    return report_html(pages.threads, pages.comments, corpus=pages.corpus, summaries=pages.summaries)


@page_command("report")
def report_command(run: Run, paths: PagesArgument) -> None:
    """Write one self-contained HTML page with the stats and charts (to -o FILE, or standard output).

    It asks for nothing from the network and opens offline; several pages get a sortable
    table of pages, charts of all of them together, and a section each.
    """
    from commentscope.report import write_report

    output = run.get(OutputOptions)
    if output.format != "table" or output.fields is not None or run.get(FormatFlags) != FormatFlags():
        raise UnsuitedOutput("report writes HTML; --format does not apply")
    pages = read_pages(run, paths, summarise=True)
    write_report(html_report(pages, output.path), output.path)
