"""Hand-built comment frames for the analysis tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from comment_frames import Row, build_comments

from commentscope.model import COMMENT_SCHEMA


def build_corpus(pages: dict[str, list[Row]]) -> pd.DataFrame:
    """Several pages concatenated, each tagged by a ``source`` column, as a corpus reader would."""
    return pd.concat([build_comments(rows, source) for source, rows in pages.items()], ignore_index=True)


def chain(length: int) -> pd.DataFrame:
    """One top-level comment and replies nested ``length - 1`` deep, alternating two authors."""
    rows: list[Row] = [("1", None, "A", "2020-01-01 00:00", "start")]
    for k in range(1, length):
        rows.append((rows[-1][0] + ".1", rows[-1][0], "AB"[k % 2], "2020-01-01 00:00", "more"))
    return build_comments(rows)


def star(width: int) -> pd.DataFrame:
    """``width`` top-level comments, all by one author, one minute apart (built column-wise: it is big)."""
    numbers = np.arange(1, width + 1)
    frame = pd.DataFrame(
        {
            "id": numbers.astype(str),
            "parent_id": None,
            "depth": 0,
            "position": numbers - 1,
            "number": numbers,
            "author": "A",
            "timestamp": pd.Timestamp("2020-01-01") + pd.to_timedelta(numbers - 1, unit="min"),
            "text": "a b",
            "words": 2,
            "line": 1 + 4 * (numbers - 1),
            "kind": "comment",
        }
    )
    return frame.reindex(columns=list(COMMENT_SCHEMA)).astype(
        {name: dtype for name, (dtype, _) in COMMENT_SCHEMA.items()}
    )


@pytest.fixture(scope="session")
def build():
    """``build(rows, source=None)``: see ``build_comments``."""
    return build_comments


@pytest.fixture(scope="session")
def corpus():
    """``corpus({source: rows})``: see ``build_corpus``."""
    return build_corpus


@pytest.fixture(scope="session")
def make_chain():
    """``make_chain(length)``: see ``chain``."""
    return chain


@pytest.fixture(scope="session")
def make_star():
    """``make_star(width)``: see ``star``."""
    return star


#: A small thread, worked through by hand in the tests:
#:
#: 1 Ann          2019-01-24 07:00   depth 0   3 words
#:   1.1 Bob      08:00              depth 1   2 words
#:     1.1.1 Ann  08:30              depth 2   1 word
#:     1.1.2 anon 09:00              depth 2   4 words
#:   1.2 Cat      10:00              depth 1   1 word
#: 2 anon         2019-01-25 07:00   depth 0   2 words
#:   2.1 Bob      07:10              depth 1   1 word
#: 3 Bob          date unreadable    depth 0   1 word
SMALL: list[Row] = [
    ("1", None, "Ann", "2019-01-24 07:00", "one two three"),
    ("1.1", "1", "Bob", "2019-01-24 08:00", "four five"),
    ("1.1.1", "1.1", "Ann", "2019-01-24 08:30", "six"),
    ("1.1.2", "1.1", None, "2019-01-24 09:00", "seven eight nine ten"),
    ("1.2", "1", "Cat", "2019-01-24 10:00", "x"),
    ("2", None, None, "2019-01-25 07:00", "y y"),
    ("2.1", "2", "Bob", "2019-01-25 07:10", "z"),
    ("3", None, "Bob", None, "late"),
]


@pytest.fixture
def small() -> pd.DataFrame:
    """The ``SMALL`` thread."""
    return build_comments(SMALL)
