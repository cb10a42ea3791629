"""Write random trees as pages and parse them back: the parser must give the identical thread."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentscope.model import Article
from commentscope.page_generator import write_page
from commentscope.readers import layout
from commentscope.readers.dates import looks_like_date
from commentscope.readers.textpage import LINK_LINES, parse_page

# what the reader takes off a name: an avatar's placeholder before it, a link after it
_PLACEHOLDER = re.compile(f"(?:{layout.AVATAR_PREFIX})|(?:{layout.HEADER_LINKS_AFTER.removeprefix('(?i)')})", re.I)

WORD = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "S"), exclude_characters="•\u2028\u2029"),
    min_size=1,
    max_size=8,
)


def _line(words: list[str]) -> str:
    return " ".join(words)


plain_line = st.lists(WORD, min_size=1, max_size=6).map(_line)
list_line = st.tuples(st.sampled_from(["1. ", "2. ", "• ", "- "]), plain_line).map("".join)
body_line = st.one_of(plain_line, plain_line, list_line).filter(
    lambda line: line.strip() not in LINK_LINES and not looks_like_date(line)
)
paragraph = st.lists(body_line, min_size=1, max_size=3).map("\n".join)
comment_text = st.lists(paragraph, min_size=1, max_size=4).map("\n\n".join)
author = st.one_of(
    st.none(),
    st.lists(WORD, min_size=1, max_size=3)
    .map(_line)
    .filter(lambda name: not looks_like_date(name) and not name.lower().endswith(("says", "says:")))
    .filter(lambda name: not _PLACEHOLDER.search(name) and name.lower() not in layout.NOT_A_NAME),
)
minute = st.datetimes(min_value=pd.Timestamp("2000-01-01"), max_value=pd.Timestamp("2030-12-31")).map(
    lambda t: pd.Timestamp(t).floor("min")
)


@st.composite
def threads(draw: st.DrawFn) -> pd.DataFrame:
    """A random tree: each comment replies to one of the open comments on the path to the last one."""
    size = draw(st.integers(min_value=0, max_value=40))
    depths: list[int] = []
    for _ in range(size):
        deepest = min(depths[-1] + 1, 30) if depths else 0
        depths.append(draw(st.integers(min_value=0, max_value=deepest)))
    count = len(depths)
    return pd.DataFrame(
        {
            "depth": depths,
            "number": pd.array([count - i if d == 0 else None for i, d in enumerate(depths)], dtype="Int64"),
            "author": [draw(author) for _ in depths],
            "timestamp": [draw(minute) for _ in depths],
            "text": [draw(comment_text) for _ in depths],
        }
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(threads(), st.sampled_from([2, 3, 4]), st.booleans())
def test_written_page_parses_back_to_the_same_thread(comments: pd.DataFrame, step: int, header: bool) -> None:
    article = Article(source="generated", title="A generated article", byline="Some Writer", body="Body text.")
    page = write_page(article, comments, step=step, header=header)

    thread = parse_page(page, "generated")

    parsed = thread.comments
    assert parsed["depth"].tolist() == comments["depth"].tolist()
    assert _parent_positions(parsed) == _expected_parents(comments["depth"].tolist())
    assert _nulls_as_none(parsed["author"]) == _nulls_as_none(comments["author"])
    assert parsed["timestamp"].tolist() == comments["timestamp"].tolist()
    assert parsed["text"].tolist() == comments["text"].tolist()
    # a page nested one level deep, where a comment's author answers after someone else, is rightly
    # warned about as possibly flattened: the warning is all a page of that shape gets
    # and a body's list line dated only by a moment ("1. nyss") is read as text, with a warning
    warned = {"replies_maybe_flattened", "moment_list_lines"}
    assert [problem for problem in thread.problems if problem.kind not in warned] == []
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total


def _nulls_as_none(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(value) else value for value in values]


def _parent_positions(parsed: pd.DataFrame) -> list[int | None]:
    position_of = dict(zip(parsed["id"], parsed["position"], strict=True))
    return [None if pd.isna(parent) else position_of[parent] for parent in parsed["parent_id"]]


def _expected_parents(depths: list[int]) -> list[int | None]:
    """The nearest earlier comment one level up, as FORMAT.md defines a reply's parent."""
    last_at_depth: dict[int, int] = {}
    parents: list[int | None] = []
    for position, depth in enumerate(depths):
        parents.append(last_at_depth.get(depth - 1) if depth else None)
        last_at_depth[depth] = position
    return parents
