"""The filter options (--author, --anonymous, --grep, -i, --since, --until, --min-depth, --max-depth),
declared once for every command that selects comments.

``FilterOptions`` is an option group like those of ``cli/options.py``; ``comment_filter`` turns the
parsed values into the ``CommentFilter``. Bad values are usage errors (exit 2), found while parsing.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from commentscope.errors import CommentscopeError, ExitCode

if TYPE_CHECKING:
    from commentscope.analysis.filters import CommentFilter

PANEL = "Filters"


class FilterUsageError(CommentscopeError):
    """Filter options that contradict each other: a usage error, found after parsing."""

    exit_code = ExitCode.USAGE


def _pattern(value: str | None) -> str | None:
    from commentscope.analysis.filters import compile_pattern

    if value is not None:
        try:
            compile_pattern(value)
        except CommentscopeError as error:
            raise typer.BadParameter(error.message.removeprefix("--grep ")) from None
    return value


def _time_bound(value: str | None) -> date | None:
    from commentscope.analysis.filters import parse_time_bound

    if value is None:
        return None
    try:
        return parse_time_bound(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


AuthorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--author",
        metavar="NAME",
        help="Only comments by this name, exactly as shown (repeat for several).",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]
AnonymousOption = Annotated[
    bool,
    typer.Option("--anonymous", help="Only comments without a name (with --author: those too).", rich_help_panel=PANEL),
]
GrepOption = Annotated[
    str | None,
    typer.Option(
        "--grep",
        metavar="PATTERN",
        help="Only comments whose text matches this regular expression (Python syntax).",
        callback=_pattern,
        rich_help_panel=PANEL,
    ),
]
IgnoreCaseOption = Annotated[
    bool, typer.Option("--ignore-case", "-i", help="--grep ignores upper and lower case.", rich_help_panel=PANEL)
]
SinceOption = Annotated[
    str | None,  # a date or datetime once parsed (the callback gives it)
    typer.Option(
        "--since",
        metavar="WHEN",
        help="Only comments from then on: YYYY-MM-DD (from the start of that day) or YYYY-MM-DD HH:MM.",
        callback=_time_bound,
        rich_help_panel=PANEL,
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="WHEN",
        help="Only comments until then: YYYY-MM-DD (to the end of that day) or YYYY-MM-DD HH:MM.",
        callback=_time_bound,
        rich_help_panel=PANEL,
    ),
]
MinDepthOption = Annotated[
    int | None,
    typer.Option(
        "--min-depth", min=0, help="Only comments this deep or deeper (0 = top level).", rich_help_panel=PANEL
    ),
]
MaxDepthOption = Annotated[
    int | None,
    typer.Option(
        "--max-depth", min=0, help="Only comments this deep or shallower (0 = top level).", rich_help_panel=PANEL
    ),
]


@dataclasses.dataclass(frozen=True)
class FilterOptions:
    """Which comments a command looks at: the option group of every command that selects comments."""

    author: AuthorOption = None
    anonymous: AnonymousOption = False
    grep: GrepOption = None
    ignore_case: IgnoreCaseOption = False
    since: SinceOption = None
    until: UntilOption = None
    min_depth: MinDepthOption = None
    max_depth: MaxDepthOption = None


def comment_filter(options: FilterOptions) -> CommentFilter:
    """The ``CommentFilter`` the options ask for. FilterUsageError (exit 2) when they contradict each
    other (min depth above max, since after until, -i without --grep)."""
    from commentscope.analysis.filters import CommentFilter

    if options.ignore_case and options.grep is None:
        raise FilterUsageError("-i/--ignore-case applies to --grep, which was not given")
    try:
        return CommentFilter(
            authors=tuple(options.author or ()),
            anonymous=options.anonymous,
            pattern=options.grep,
            ignore_case=options.ignore_case,
            since=options.since,  # type: ignore[arg-type]
            until=options.until,  # type: ignore[arg-type]
            min_depth=options.min_depth,
            max_depth=options.max_depth,
        )
    except CommentscopeError as error:
        raise FilterUsageError(error.message) from None
