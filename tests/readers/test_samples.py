"""Each hand-written sample parses to exactly the tree worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import commentscope

# (id, parent_id, depth, author, timestamp) per comment, in page order.
EXPECTED_TREES = {
    "small.txt": [
        ("c3", None, 0, "Helen Marsh", "2022-05-02 18:20"),
        ("c3.1", "c3", 1, "Sam Ortiz", "2022-05-02 19:05"),
        ("c2", None, 0, None, "2022-05-02 14:11"),
        ("c1", None, 0, "Devon Price", "2022-05-02 09:30"),
    ],
    "deep.txt": [
        ("c7", None, 0, "Priya N.", "2021-03-03 21:15"),
        ("c7.1", "c7", 1, "Tom Baker", "2021-03-03 21:40"),
        ("c7.1.1", "c7.1", 2, "Priya N.", "2021-03-03 22:02"),
        ("c7.1.1.1", "c7.1.1", 3, None, "2021-03-03 23:30"),
        ("c7.1.1.1.1", "c7.1.1.1", 4, "Tom Baker", "2021-03-04 00:05"),
        ("c7.1.1.1.1.1", "c7.1.1.1.1", 5, "Priya N.", "2021-03-04 07:45"),
        ("c7.2", "c7", 1, None, "2021-03-04 08:10"),
        ("c6", None, 0, "Gus Okafor", "2021-03-03 18:02"),
        ("c6.1", "c6", 1, "Jana Whitfield", "2021-03-03 18:30"),
        ("c5", None, 0, None, "2021-03-03 12:00"),
    ],
    "awkward.txt": [
        ("c12", None, 0, "Rosa Lind", "2019-01-24 19:36"),
        ("c12.1", "c12", 1, "Ferry Desk", "2019-01-24 21:05"),
        ("c11", None, 0, None, "2019-01-24 18:02"),
        ("c10", None, 0, "Ole Brandt", "2019-01-24 17:45"),
    ],
    "comments_only.txt": [
        ("c41", None, 0, "Marta K.", "2023-10-09 08:00"),
        ("c41.1", "c41", 1, "Leo", "2023-10-09 08:30"),
        ("c40", None, 0, None, "2023-10-08 23:59"),
    ],
    "no_comments.txt": [],
}


def _tree(path: Path) -> list[tuple]:
    comments = commentscope.load(path).comments
    return [
        (
            row.id,
            None if pd.isna(row.parent_id) else row.parent_id,
            row.depth,
            None if pd.isna(row.author) else row.author,
            row.timestamp.strftime("%Y-%m-%d %H:%M"),
        )
        for row in comments.itertuples()
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED_TREES))
def test_sample_parses_to_its_exact_tree(samples: Path, name: str) -> None:
    assert _tree(samples / name) == EXPECTED_TREES[name]


def test_every_sample_has_an_expected_tree(samples: Path) -> None:
    assert sorted(p.name for p in samples.glob("*.txt")) == sorted(EXPECTED_TREES)


def test_deep_sample_keeps_paragraphs_and_list_lines_as_body_text(samples: Path) -> None:
    comments = commentscope.load(samples / "deep.txt").comments.set_index("id")
    assert comments.loc["c7", "text"] == (
        "Three reasons I support it:\n\n"
        "1. Faster trips to the hospital\n2. Less traffic on Mill Road\n3. Jobs during construction\n\n"
        "Happy to be convinced otherwise."
    )
    assert comments.loc["c7.1.1.1.1.1", "text"] == (
        "Fair. Things I would want in the plan:\n\n• a bus lane\n• a footpath on both sides\n\nThen I am on board."
    )
    assert comments.loc["c7", "words"] == 26


def test_deep_sample_article_metadata(samples: Path) -> None:
    article = commentscope.load(samples / "deep.txt").article
    assert article.title == "Should Our Town Build the New Bridge?"
    assert article.standfirst == "Council votes next week on a crossing that has divided the riverside for a decade."
    assert article.byline == "Jana Whitfield"
    assert article.body.startswith("Staff Writer\n\nThe proposed bridge")
    assert article.declared_comments == 10


def test_awkward_sample_crlf_tabs_bom_nbsp_and_reply_links(samples: Path) -> None:
    raw = (samples / "awkward.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\t\t" in raw
    thread = commentscope.load(samples / "awkward.txt")
    assert thread.article.title == "Ferry Timetable Changes"
    assert thread.article.declared_comments is None
    texts = thread.comments.set_index("id")["text"]
    assert texts["c12"] == "The 7:10 sailing is gone – that was my commute."
    assert texts["c12.1"] == "It moved to 7:25; see the “Weekday” column."
    assert texts["c10"] == "I wrote to the council and they said the timetable is"
    assert thread.diagnostics.counts["link"] == 2
    assert thread.problems == []


def test_no_comments_sample_has_article_and_footer_only(samples: Path) -> None:
    thread = commentscope.load(samples / "no_comments.txt")
    assert thread.article.byline == "Ines Duarte"
    assert thread.article.body == "Nothing much happened, and that is the story."
    assert dict(thread.diagnostics.counts) == {"article": 3, "footer": 1}
