"""Conservation: every non-blank line of a page is understood as exactly one LineKind.

``sum(diagnostics.counts.values()) == diagnostics.total`` on every sample and on hand-made pages
with the oddities docs/format.md lists; the total itself is recounted here
independently, so the two sides of the equation are not the parser's word alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from commentscope.model import Thread
from commentscope.readers import load
from commentscope.readers.textpage import LineKind, parse_page

SAMPLE_NAMES = ["awkward.txt", "comments_only.txt", "deep.txt", "no_comments.txt", "small.txt"]


def nonblank(text: str) -> int:
    """Non-blank lines as a reader sees them: BOM dropped, CRLF, CR and LF all end a line."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return sum(1 for line in lines if line.strip())


def assert_conserved(thread: Thread, text: str) -> None:
    assert thread.diagnostics.total == nonblank(text)
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total, dict(thread.diagnostics.counts)
    assert set(thread.diagnostics.counts) <= set(LineKind)
    assert all(count >= 0 for count in thread.diagnostics.counts.values())


def test_every_sample_is_there(samples: Path) -> None:
    assert sorted(path.name for path in samples.glob("*.txt")) == SAMPLE_NAMES


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_line_of_each_sample_is_accounted_for(samples: Path, name: str) -> None:
    path = samples / name
    assert_conserved(load(path), path.read_bytes().decode("utf-8"))


DATE = "January 24, 2019 at 07:36"

PAGES = {
    "crlf_and_bom": f"\ufeffTitle\r\n\r\n2 comments for “Title\r\n\r\n  2. Ann\r\n    {DATE}\r\n\r\n    Hi.\r\n\r\n"
    f"    • Bob\r\n      {DATE}\r\n\r\n      Yo.\r\n\r\nComments are closed.\r\n",
    "lone_cr": f"Title\r\r  1. Ann\r    {DATE}\r\r    One\r    Two\r",
    "tabs": f"Title\n\n\t1. Ann\n\t\t{DATE}\n\n\t\tText\n\t\tReply\n\n\t\t• Bob\n\t\t\t{DATE}\n\n\t\t\tMore\n",
    "comments_only": f"  3. Ann\n    {DATE}\n\n    Text\n\n  2. {DATE}\n\n    Anonymous\n",
    "no_comments": "Title\n\nBy Someone\n\nBody.\n\nComments are closed.\nLeave a Reply\n",
    "header_without_comments": "Title\n\nBody.\n\n0 comments\n\nComments are closed.\n",
    "header_only": "3 comments for “Title\n",
    "title_only": "Title",
    "cut_mid_line": f"Title\n\n1 comments for “Title\n\n  1. Ann\n    {DATE}\n\n    The sentence stops in the mi",
    "cut_after_marker": f"Title\n\n  2. Ann\n    {DATE}\n\n    Text\n\n  1. Bob",
    "says_lines": f"Title\n\n  2. Ann says:\n    {DATE}\n\n    Text\n\n  1. Bob says: {DATE}\n\n    Inline\n",
    "author_on_own_line": f"Title\n\n  1.\n    Ann\n    {DATE}\n\n    Text\n",
    "link_leftovers": f"Title\n\n  2. Ann\n    {DATE}\n\n    Text\n    Reply\n\n  1. Bob\n    {DATE}\n\n    Last\n"
    "    Log in to Reply\n",
    "lists_in_bodies": f"Title\n\n  1. Ann\n    {DATE}\n\n    Reasons:\n\n    1. one\n    2. two\n    • three\n"
    "    • 2019\n\n    End\n",
    "unplaced_lines": f"Title\n\n2 comments for “Title\n\nStray before\n\n  2. Ann\n    {DATE}\n\n    Text\n\n"
    f"Stray between\n\n  1. Bob\n    {DATE}\n\n    Text\n\nComments are closed.\nStray after\n",
    "marker_lines_without_dates": "Title\n\n1. Not a comment\n\n  2. Nor this\n    nor this\n\n• Bullet\n",
    "odd_whitespace": f"Title\n\n  1. Ann\n    {DATE}\n\n    a\u00a0b\n\u00a0\n\x0b\x0c\n \u2028 \n"
    "    x\u2028y\n\x1c\n",
    "nul_bytes": f"Ti\x00tle\n\n  1. Ann\x00\n    {DATE}\n\n    \x00\n\x00\n",
    "two_headers": f"Title\n\n2 comments\n\n2 comments for “Title\n\n  1. Ann\n    {DATE}\n\n    Text\n",
    "header_between_comments": f"  1. Ann\n    {DATE}\n\n    Text\n\n5 comments\n\n  2. Bob\n    {DATE}\n\n    Text\n",
    "footer_between_comments": f"Title\n\n  2. Ann\n    {DATE}\n\n    Text\n\nComments are closed.\n\n  1. Bob\n"
    f"    {DATE}\n\n    Text\n",
    "everything_indented": f"    Title\n\n    Body\n\n      1. Ann\n        {DATE}\n\n        Text\n",
    "step_of_four": f"Title\n\n    1. Ann\n        {DATE}\n\n        Text\n\n        • Bob\n            {DATE}\n\n"
    "            Deeper\n",
    "indent_jump_and_orphan": f"Title\n\n      • Orphan\n        {DATE}\n\n        Text\n\n  1. Ann\n    {DATE}\n\n"
    f"    Text\n\n          • Jumped\n            {DATE}\n\n            Text\n",
    "unreadable_date": "Title\n\n  1. Ann\n    February 30, 2019 at 10:00\n\n    Text\n",
    "trailing_spaces_and_blank_runs": f"Title   \n   \n\n\n\n  1. Ann   \n    {DATE}   \n\n\n\n\n    Text   \n   \n",
    "dedented_body_line": f"Title\n\n  2. Ann\n    {DATE}\n\n    Text\n  back at the marker column\n x\n\n"
    f"  1. Bob\n    {DATE}\n\n    Text\n",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_line_of_an_awkward_page_is_accounted_for(name: str) -> None:
    text = PAGES[name]
    assert_conserved(parse_page(text, name, lenient=True), text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("crlf_and_bom", {"article": 1, "comments_header": 1, "marker": 2, "date": 2, "body": 2, "footer": 1}),
        ("lone_cr", {"article": 1, "marker": 1, "date": 1, "body": 2}),
        ("link_leftovers", {"article": 1, "marker": 2, "date": 2, "body": 2, "link": 2}),
        ("author_on_own_line", {"article": 1, "marker": 1, "author": 1, "date": 1, "body": 1}),
        (
            "unplaced_lines",
            {"article": 1, "comments_header": 1, "marker": 2, "date": 2, "body": 2, "footer": 2, "unplaced": 2},
        ),
        ("lists_in_bodies", {"article": 1, "marker": 1, "date": 1, "body": 6}),
        ("marker_lines_without_dates", {"article": 5}),
    ],
)
def test_lines_are_given_the_right_kind(name: str, expected: dict[str, int]) -> None:
    thread = parse_page(PAGES[name], name, lenient=True)
    assert {str(kind): count for kind, count in thread.diagnostics.counts.items() if count} == expected
