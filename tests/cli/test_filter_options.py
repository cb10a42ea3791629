"""The filter options on their own: a small typer app declares them as the CLI does, and the
parsed values become a CommentFilter (this file is not test_filters.py: tests/analysis has one,
and test folders have no __init__.py to tell them apart)."""

import dataclasses
from datetime import date, datetime
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from commentscope.analysis.filters import CommentFilter
from commentscope.cli.filters import FilterOptions, FilterUsageError, comment_filter
from commentscope.cli.options import Run, taking
from commentscope.errors import ExitCode

runner = CliRunner()


def app_with_filters(seen: list[Any]) -> typer.Typer:
    """A one-command app taking exactly the filter options, recording what ``comment_filter`` makes."""
    app = typer.Typer(add_completion=False)

    @app.command(cls=taking(FilterOptions))
    def run(context: Run) -> None:
        seen.append(comment_filter(context.get(FilterOptions)))

    return app


def parsed(*args: str) -> CommentFilter:
    seen: list[Any] = []
    result = runner.invoke(app_with_filters(seen), list(args))
    assert result.exit_code == 0, result.output
    return seen[0]


def test_no_options_filter_nothing():
    assert parsed() == CommentFilter()
    assert not parsed().active


def test_every_option_reaches_the_filter():
    spec = parsed(
        "--author",
        "Ann",
        "--author",
        "Bob Smith",
        "--anonymous",
        "--grep",
        r"\bbrexit\b",
        "-i",
        "--since",
        "2019-01-24",
        "--until",
        "2019-01-25 13:30",
        "--min-depth",
        "1",
        "--max-depth",
        "3",
    )
    assert spec == CommentFilter(
        authors=("Ann", "Bob Smith"),
        anonymous=True,
        pattern=r"\bbrexit\b",
        ignore_case=True,
        since=date(2019, 1, 24),
        until=datetime(2019, 1, 25, 13, 30),
        min_depth=1,
        max_depth=3,
    )
    assert parsed("--ignore-case", "--grep", "x").ignore_case


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grep", "("], "'(' is not a regular expression: missing ), unterminated subpattern at position 0"),
        (["--since", "03/04/2020"], "'03/04/2020' is not a date or date-time; use YYYY-MM-DD"),
        (["--until", "soon"], "'soon' is not a date or date-time"),
        (["--min-depth", "-1"], "-1 is not in the range x>=0"),
        (["--max-depth", "deep"], "Invalid value for '--max-depth': 'deep' is not a valid"),
    ],
)
def test_bad_values_are_usage_errors(args, message):
    result = runner.invoke(app_with_filters([]), args, env={"COLUMNS": "200"})
    assert result.exit_code == ExitCode.USAGE
    assert message in " ".join(result.output.replace("│", " ").split()), result.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ignore_case": True}, "-i/--ignore-case applies to --grep, which was not given"),
        ({"min_depth": 2, "max_depth": 1}, "min depth 2 is more than max depth 1"),
        ({"since": date(2020, 1, 2), "until": date(2020, 1, 1)}, "since 2020-01-02 is after until 2020-01-01"),
    ],
)
def test_contradictions_exit_as_usage_errors(options, message):
    with pytest.raises(FilterUsageError) as error:
        comment_filter(FilterOptions(**options))
    assert error.value.message == message
    assert error.value.exit_code == ExitCode.USAGE


def test_help_groups_the_filters():
    result = runner.invoke(app_with_filters([]), ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Filters" in result.output
    for field in dataclasses.fields(FilterOptions):
        assert "--" + field.name.replace("_", "-") in result.output
