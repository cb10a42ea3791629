"""The command line: parse options, call ingest -> analysis -> render, map errors to exit codes.

Nothing here computes. pandas is imported inside commands only, so that ``--help`` and
``--version`` answer at once.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from commentscope import __version__
from commentscope.errors import CommentscopeError, ExitCode
from commentscope.render import OutputFormat, render, stderr_console, terminal_safe

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


def main() -> None:
    app(prog_name="commentscope")
