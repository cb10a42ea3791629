"""Parser bugs found by the conservation tests and the fuzzer, kept as regression tests."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from commentscope.readers.textpage import parse_page

# One line taken both as the date (or author) line of the marker above it and as a marker of
# its own: it is counted twice and a comment appears twice over it.
LINE_TAKEN_TWICE = {
    "date_line_is_a_marker": "Title\n\n  1. Name\n    • January 1, 2020 at 10:00\n\n      body\n",
    "author_line_is_a_marker": "Title\n\n  1.\n    • Bob\n      January 1, 2020 at 10:00\n\n      body\n",
    "fuzzer_shrunk": "1.\n 2. May2 2022 at",
    "author_then_marker_date": "•\n .\n 0. October 2023 at9pm",
}


@pytest.mark.parametrize("name", sorted(LINE_TAKEN_TWICE))
def test_no_line_is_both_a_header_line_and_a_marker(name: str) -> None:
    text = LINE_TAKEN_TWICE[name]
    thread = parse_page(text, name, lenient=True)
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total


@pytest.mark.parametrize(("line", "declared"), [("No comments yet.", 0), ("no comments", 0), ("0 comments", 0)])
def test_a_no_comments_header_declares_zero(line: str, declared: int) -> None:
    thread = parse_page(f"Title\n\nBody.\n\n{line}\n\nComments are closed.\n", "page.txt")
    assert thread.article.declared_comments == declared
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total


def test_a_header_is_one_line() -> None:
    """Found by run_fuzz.py: ``\\s+`` in the header pattern runs on into the next line."""
    text = "4 comment for\n“\n2.\n1."
    thread = parse_page(text, "page.txt")
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total == 4


# Quadratic regexes: a run of white space tried from every position inside it. These take
# 10-30 s today and milliseconds with the fixes named in the report; the bound is generous.
SPACES = " " * 40_000
DATE = "January 1, 2020 at 10:00"
SLOW_PAGES = {
    "says_on_a_marker_line": f"T\n\n  1. a{SPACES}b\n    {DATE}\n\n    x\n",
    "header_tail": f"T\n\n3 comments{SPACES}x\n",
}


@pytest.mark.parametrize("name", sorted(SLOW_PAGES))
def test_a_long_run_of_spaces_is_read_in_linear_time(name: str) -> None:
    started = time.perf_counter()
    parse_page(SLOW_PAGES[name], name)
    assert time.perf_counter() - started < 1.0


def test_anonymous_only_page_reads_its_indentation_step() -> None:
    thread = parse_page("   1. January 01, 2000 at 00:00\n\n      0\n", "t")
    assert thread.comments["text"].tolist() == ["0"]


def test_a_count_line_between_comments_is_not_the_header() -> None:
    text = "Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n    Hi.\n5 comments\n  2. Bob\n    May 1, 2020 at 11:00\n"
    thread = parse_page(text, "t")
    assert thread.article.declared_comments is None
    assert thread.comments["author"].tolist() == ["Ann", "Bob"]
    assert [(p.kind, p.line) for p in thread.problems] == [("unplaced", 6)]


def test_a_body_line_indented_with_a_no_break_space_stays_body_on_every_path() -> None:
    for reply in ("", "    Reply\n"):
        nbsp_indented = "\u00a0" * 4 + "indented\n"
        text = f"  1. Ann\n    May 1, 2020 at 10:00\n{nbsp_indented}{reply}  2. Bob\n    May 1, 2020 at 11:00\n"
        thread = parse_page(text, "t")
        assert thread.problems == [] and thread.comments["words"].tolist() == [1, 0]


@pytest.mark.parametrize("name", ["nyss Ada", "Ada nyss", "just now Ada"])
def test_a_name_holding_a_dates_word_over_a_date_line_is_all_name(name: str) -> None:
    """Found by the round-trip property: "nyss" (Swedish, "just now") was split off as the date,
    and the date line below was left unread."""
    page = (
        f"Title\n\n  2. {name}\n    January 1, 2020 at 10:00\n\n    hello\n\n"
        "  1. Bob\n    January 2, 2020 at 11:00\n\n    world\n"
    )
    comments = parse_page(page, "page.txt").comments
    assert comments["author"].tolist() == [name, "Bob"]
    assert comments["timestamp"].dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2020-01-01 10:00", "2020-01-02 11:00"]
    assert comments["text"].tolist() == ["hello", "world"]


def test_a_name_and_a_date_on_the_marker_line_are_still_split() -> None:
    page = "Title\n\n  1. Ada · 3 days ago\n\n    hello\n"
    comments = parse_page(page, "page.txt", now=datetime(2020, 1, 4)).comments
    assert comments["author"].tolist() == ["Ada"]
    assert comments["text"].tolist() == ["hello"]


@pytest.mark.parametrize("item", ["1. nyss", "1. zojuist Ada", "• just now"])
def test_a_list_line_dated_by_a_moment_on_a_page_of_written_dates_is_body_text(item: str) -> None:
    """Found by the round-trip property: a body's list line holding only a moment's phrase ("nyss",
    Swedish "just now") was read as an anonymous reply, and its comment lost the line."""
    page = (
        f"Title\n\n  2. Ann\n    January 1, 2020 at 10:00\n\n    {item}\n\n"
        "  1. Bob\n    January 2, 2020 at 11:00\n\n    world\n"
    )
    thread = parse_page(page, "page.txt")
    assert thread.comments["author"].tolist() == ["Ann", "Bob"]
    assert thread.comments["text"].tolist() == [item, "world"]
    assert [(p.kind, p.line) for p in thread.problems] == [("moment_list_lines", 6)]


def test_a_named_comment_dated_by_a_moment_on_the_line_below_stays_a_comment() -> None:
    """Found by review: a site that writes 'just now' for the newest comment lost it unreported."""
    page = (
        "Title\n\n  1. Ann says:\n    just now\n\n    Saved right after.\n\n"
        "  2. Bob says:\n    May 2, 2020 at 10:00\n\n    Two.\n"
    )
    thread = parse_page(page, "page.txt")
    assert thread.comments["author"].tolist() == ["Ann", "Bob"]
    assert [p.kind for p in thread.problems] == ["relative_dates_unread"]


def test_a_comment_dated_by_a_moment_among_relative_dates_is_a_comment() -> None:
    page = "Title\n\n  2. Ann · 3 days ago\n\n    hello\n\n    • just now\n\n      a reply\n"
    comments = parse_page(page, "page.txt", now=datetime(2020, 1, 4, 12, 0)).comments
    assert comments["depth"].tolist() == [0, 1]
    assert comments["timestamp"].dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2020-01-01 12:00", "2020-01-04 12:00"]
    assert comments["text"].tolist() == ["hello", "a reply"]


def test_a_name_and_a_written_date_on_the_marker_line_over_another_date_line() -> None:
    """Found by the rule property: the 'nyss Ada' rule (a date's word in a name over a date line)
    took a whole written date into the name."""
    page = "Title\n\n  1. Ann March 03, 2021 at 09:15\n    March 03, 2021 at 09:15\n\n    Fine.\n"
    comments = parse_page(page, "page.txt").comments
    assert comments["author"].tolist() == ["Ann"]
    assert comments["text"].tolist() == ["March 03, 2021 at 09:15\n\nFine."]
