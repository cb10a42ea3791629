"""Inputs at the edges of size and shape: each is read in linear time and gives a clear result.

Each case runs in well under a second; a quadratic step anywhere would show up here as a
suite that suddenly takes minutes.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis.check import check_thread
from commentscope.errors import InputError
from commentscope.model import Article, Thread
from commentscope.page_generator import write_page
from commentscope.readers import layout, load

DATE = "January 1, 2020 at 10:00"


def _load(text: str) -> Thread:
    return load(io.BytesIO(text.encode("utf-8")), lenient=True, name="big.txt")


def _assert_conserved(thread: Thread) -> None:
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total


def test_a_five_megabyte_single_line_is_the_title() -> None:
    line = "word " * 1_000_000 + "end"

    thread = _load(line)

    assert thread.article.title == line
    assert len(thread.comments) == 0
    assert (thread.diagnostics.total, dict(thread.diagnostics.counts)) == (1, {"article": 1})


def test_a_five_megabyte_comment_line_is_kept_whole() -> None:
    body = "word " * 1_000_000 + "end"

    thread = _load(f"Title\n\n  1. Ann\n    {DATE}\n\n    {body}\n\n  2. Bob\n    {DATE}\n\n    Short.\n")

    assert thread.comments["text"].tolist() == [body, "Short."]
    assert thread.comments["words"].tolist() == [1_000_001, 1]
    _assert_conserved(thread)


def test_a_million_blank_lines_alone_are_an_empty_input() -> None:
    with pytest.raises(InputError, match="is empty"):
        _load("\n" * 1_000_000)


def test_a_million_blank_lines_between_title_and_comment() -> None:
    thread = _load("Title" + "\n" * 1_000_000 + f"  1. Ann\n    {DATE}\n\n    Text\n")

    assert thread.article.title == "Title"
    assert thread.comments[["author", "line", "text"]].values.tolist() == [["Ann", 1_000_001, "Text"]]
    assert thread.diagnostics.total == 4
    _assert_conserved(thread)


def test_nul_bytes_alone_are_a_binary_input() -> None:
    with pytest.raises(InputError, match=r"is binary \(NUL bytes\), not text"):
        _load("\x00" * 100_000)


@pytest.mark.parametrize("blank", ["\u00a0", "\u2003", "\u3000", " \t\r\n", "\ufeff"])
def test_any_white_space_alone_is_an_empty_input(blank: str) -> None:
    with pytest.raises(InputError, match="is empty"):
        _load(blank * 1000)


def test_nul_bytes_inside_a_page_are_kept_and_reported() -> None:
    text = f"Title\n\n  1. Ann\n    {DATE}\n\n    a\x00b\n    " + "\x00" * 100_000 + "\n"

    thread = _load(text)
    report = check_thread(thread, text)

    assert thread.comments["text"].tolist() == ["a\x00b\n" + "\x00" * 100_000]
    assert report["encoding"]["nul_bytes"] == {"count": 100_001, "first_lines": [6, 7]}
    assert report["clean"] is False
    _assert_conserved(thread)


@pytest.mark.parametrize("marker", ["  1. ", "  • ", "1.", "•"])
def test_a_file_of_only_markers_has_no_comments(marker: str) -> None:
    thread = _load((marker + "\n") * 20_000)

    assert len(thread.comments) == 0
    assert thread.article.title == marker.strip()
    assert (thread.diagnostics.total, dict(thread.diagnostics.counts)) == (20_000, {"article": 20_000})


def test_a_file_of_only_dated_markers_is_twenty_thousand_anonymous_comments() -> None:
    text = f"  1. {DATE}\n" * 20_000

    thread = _load(text)
    report = check_thread(thread, text)

    assert len(thread.comments) == 20_000
    assert thread.comments["author"].isna().all()
    assert thread.comments["text"].eq("").all()
    assert thread.comments["id"].tolist() == [f"c{i}" for i in range(20_000)]
    assert [(d["number"], d["times"]) for d in report["duplicate_numbers"]] == [(1, 20_000)]
    _assert_conserved(thread)


def test_a_long_run_of_spaces_inside_a_comment_line() -> None:
    spaces = " " * 1_000_000
    thread = _load(f"Title\n\n  1. Ann\n    {DATE}\n\n    a{spaces}b\n\n  2. Bob\n    {DATE}\n\n    x\n")

    assert thread.comments["text"].tolist() == [f"a{spaces}b", "x"]
    _assert_conserved(thread)


def test_a_reply_chain_3000_deep() -> None:
    depth = 3000
    comments = pd.DataFrame(
        {
            "depth": range(depth),
            "number": pd.array([1] + [None] * (depth - 1), dtype="Int64"),
            "author": ["Ann", "Bob"] * (depth // 2),
            "timestamp": pd.date_range("2020-01-01", periods=depth, freq="min"),
            "text": ["Text."] * depth,
        }
    )
    page = write_page(Article(source="deep.txt", title="Deep"), comments, step=1)

    thread = _load(page)
    report = check_thread(thread, page)

    assert thread.comments["depth"].tolist() == list(range(depth))
    assert thread.comments["parent_id"].tolist()[1:] == thread.comments["id"].tolist()[:-1]
    assert thread.comments["id"].iloc[-1] == "c1" + ".1" * (depth - 1)
    assert (report["clean"], report["parsed_comments"], report["depth_plateau"]) == (True, depth, None)


def test_a_date_with_a_zone_name_dateutil_does_not_know_is_read_without_a_warning() -> None:
    """A finding of the long fuzz run: dateutil warned (an error under this suite) on a stray zone letter."""
    import pyarrow as pa

    from commentscope.readers.dates import parse_dates

    parsed = parse_dates(pa.array(["Thursday, May 1st 2020, 10:00 J"], pa.large_string()))
    assert [str(value) for value in parsed] == ["2020-05-01T10:00:00.000000"]


_SAYS_REFERENCE = re.compile(rf"(?im)\S[^\n]{{0,80}}[\t \xa0]{layout.SAYS}[\t \xa0]*$")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "says:", " says:", "\xa0", "\t", "sagt:", " dit :", "x" * 40])))
def test_says_lines_are_counted_as_the_plain_pattern_counts_them(pieces: list[str]) -> None:
    page = "".join(pieces)
    assert layout.says_lines(page) == len(_SAYS_REFERENCE.findall(page))
