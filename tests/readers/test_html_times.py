"""The HTML reader's machine-readable times: where a comment's date node keeps one, and where its
inner ``time`` element does."""

from __future__ import annotations

import pandas as pd
import pytest

from commentscope.readers import load_threads
from commentscope.readers.html import _stamp

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Times</title></head><body>
<ol class="comment-list">
<li id="comment-1" class="comment depth-1"><article class="comment-body">
<div class="comment-author"><b class="fn">Ada</b></div>
<div class="comment-metadata">{first}</div>
<div class="comment-content"><p>First.</p></div></article></li>
<li id="comment-2" class="comment depth-1"><article class="comment-body">
<div class="comment-author"><b class="fn">Ben</b></div>
<div class="comment-metadata">{second}</div>
<div class="comment-content"><p>Second.</p></div></article></li>
</ol></body></html>
"""


def test_machine_readable_times_on_the_date_node(tmp_path) -> None:
    path = tmp_path / "times.html"
    first = '<time datetime="2024-05-01T10:30:00+00:00">May 1</time>'
    path.write_text(PAGE.format(first=first, second='<time datetime="2024-05-02T08:00:00Z">May 2</time>'), "utf-8")
    thread = load_threads(path)[0]
    assert thread.timezone == "UTC"
    assert list(thread.comments.timestamp) == [pd.Timestamp("2024-05-01 10:30"), pd.Timestamp("2024-05-02 08:00")]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<span title="2024-05-01T10:30:00Z">an hour ago</span>', "2024-05-01T10:30:00Z"),  # HN's title
        ('<span title="a while ago"><time datetime="2024-05-01T10:30:00Z">May 1</time></span>', "2024-05-01T10:30:00Z"),
        (
            '<span title="2024-05-01T10:30:00Z"><time datetime="2023-01-01T00:00:00Z">x</time></span>',
            "2024-05-01T10:30:00Z",
        ),
        ('<span title="a while ago">May 1</span>', None),
    ],
)
def test_a_date_nodes_machine_time_is_its_own_else_its_inner_times(markup: str, expected: str | None) -> None:
    from selectolax.lexbor import LexborHTMLParser

    node = LexborHTMLParser(f"<html><body>{markup}</body></html>").css_first("body > span")
    assert _stamp(node) == expected


def test_a_date_node_without_a_machine_time_is_read_from_its_text(tmp_path) -> None:
    path = tmp_path / "shown.html"
    shown = '<a href="#c">May 1, 2024 at 10:30 am</a>'
    path.write_text(PAGE.format(first=shown, second='<a href="#d">May 2, 2024 at 8:00 am</a>'), encoding="utf-8")
    thread = load_threads(path)[0]
    assert thread.timezone is None
    assert list(thread.comments.timestamp) == [pd.Timestamp("2024-05-01 10:30"), pd.Timestamp("2024-05-02 08:00")]
