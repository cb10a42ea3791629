"""Selecting comments before an analysis runs: by author, text, time and depth."""

from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_trees import document_order

from commentscope.analysis._structure import parent_rows
from commentscope.analysis.filters import (
    CommentFilter,
    detached,
    joined_selection,
    parse_time_bound,
    select_comments,
    with_ancestors,
)
from commentscope.errors import InputError


def ids(small, **spec):
    return select_comments(small, CommentFilter(**spec)).comments["id"].tolist()


def test_no_filter_selects_everything(small):
    selection = select_comments(small, CommentFilter())
    assert selection.mask.all() and selection.kept == selection.total == 8
    assert selection.filters == {} and selection.description() == ""
    assert not CommentFilter().active


def test_authors_are_exact_names_any_of_which_will_do(small):
    assert ids(small, authors=("Bob",)) == ["1.1", "2.1", "3"]
    assert ids(small, authors=("Ann", "Cat")) == ["1", "1.1.1", "1.2"]
    assert ids(small, authors=("bob",)) == []  # names are exact


def test_anonymous_alone_or_beside_names(small):
    assert ids(small, anonymous=True) == ["1.1.2", "2"]
    assert ids(small, authors=("Cat",), anonymous=True) == ["1.1.2", "1.2", "2"]


def test_unknown_author_is_reported(small):
    selection = select_comments(small, CommentFilter(authors=("Bob", "Bobb", "Bobb")))
    assert selection.unknown_authors == ("Bobb",)
    assert selection.kept == 3


def test_grep_is_a_regular_expression_over_text(small):
    assert ids(small, pattern=r"\bt\w+") == ["1", "1.1.2"]  # two, three; ten
    assert ids(small, pattern="^S") == []
    assert ids(small, pattern="^S", ignore_case=True) == ["1.1.1", "1.1.2"]  # six; seven


def test_bad_pattern_says_why():
    with pytest.raises(InputError, match=r"--grep '\(' is not a regular expression: missing \), unterminated"):
        CommentFilter(pattern="(")


def test_since_and_until_take_days_whole(small):
    # SMALL: five comments on 2019-01-24 (07:00 to 10:00), two on 2019-01-25, one undated
    assert ids(small, until=date(2019, 1, 24)) == ["1", "1.1", "1.1.1", "1.1.2", "1.2"]
    assert ids(small, since=date(2019, 1, 25)) == ["2", "2.1"]
    assert ids(small, since=date(2019, 1, 24), until=date(2019, 1, 24)) == ["1", "1.1", "1.1.1", "1.1.2", "1.2"]


def test_since_and_until_moments_are_inclusive(small):
    assert ids(small, since=datetime(2019, 1, 24, 8, 30), until=datetime(2019, 1, 24, 10)) == ["1.1.1", "1.1.2", "1.2"]
    assert ids(small, since=datetime(2019, 1, 24, 8, 31), until=date(2019, 1, 24)) == ["1.1.2", "1.2"]


def test_undated_comments_are_counted_when_time_filters_leave_them_out(small):
    selection = select_comments(small, CommentFilter(authors=("Bob",), since=date(2000, 1, 1)))
    assert selection.comments["id"].tolist() == ["1.1", "2.1"]
    assert selection.undated == 1  # Bob's comment 3 has no date
    assert select_comments(small, CommentFilter(authors=("Bob",))).undated == 0


def test_offsets_are_converted_for_utc_times_and_refused_for_naive_ones(small):
    eight_utc_in_paris = datetime(2019, 1, 24, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    spec = CommentFilter(until=eight_utc_in_paris)
    assert select_comments(small, spec, timezone="UTC").comments["id"].tolist() == ["1", "1.1"]
    with pytest.raises(InputError, match=r"--until 2019-01-24 09:00:00\+01:00 has a UTC offset, but these"):
        select_comments(small, spec)


def test_depths(small):
    assert ids(small, min_depth=2) == ["1.1.1", "1.1.2"]
    assert ids(small, max_depth=0) == ["1", "2", "3"]
    assert ids(small, min_depth=1, max_depth=1) == ["1.1", "1.2", "2.1"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"min_depth": -1}, "min depth must be 0 or more, not -1"),
        ({"min_depth": 3, "max_depth": 2}, "min depth 3 is more than max depth 2"),
        ({"since": date(2019, 1, 2), "until": date(2019, 1, 1)}, "since 2019-01-02 is after until 2019-01-01"),
        (
            {"since": datetime(2019, 1, 2, 0, 0), "until": date(2019, 1, 1)},
            "since 2019-01-02 00:00 is after until 2019-01-01",
        ),
    ],
)
def test_contradictions_are_refused(spec, message):
    with pytest.raises(InputError) as error:
        CommentFilter(**spec)
    assert error.value.message == message


def test_a_day_window_within_one_day_is_fine():
    CommentFilter(since=datetime(2019, 1, 1, 23, 59), until=date(2019, 1, 1))


def test_description_names_every_filter(small):
    spec = CommentFilter(
        authors=("Bob",), anonymous=True, pattern="z", ignore_case=True, since=date(2019, 1, 25), max_depth=1
    )
    selection = select_comments(small, spec)
    assert selection.filters == {
        "author": "'Bob' or anonymous",
        "grep": "/z/i",
        "since": "2019-01-25",
        "max_depth": "1",
    }
    assert selection.description() == (
        "1 of 8 comments selected (author 'Bob' or anonymous; grep /z/i; since 2019-01-25; max depth 1)"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2019-01-24", date(2019, 1, 24)),
        (" 2019-01-24 ", date(2019, 1, 24)),
        ("2019-01-24 13:00", datetime(2019, 1, 24, 13)),
        ("2019-01-24T13:00:05", datetime(2019, 1, 24, 13, 0, 5)),
        ("2019-01-24T13:00Z", datetime(2019, 1, 24, 13, tzinfo=UTC)),
    ],
)
def test_time_bounds(text, value):
    parsed = parse_time_bound(text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("text", ["03/04/2020", "yesterday", "2019-13-01", ""])
def test_time_bounds_refused(text):
    with pytest.raises(ValueError, match="is not a date or date-time; use YYYY-MM-DD"):
        parse_time_bound(text)


def test_ancestors_and_detached(small):
    selection = select_comments(small, CommentFilter(authors=("Ann",), min_depth=1))  # 1.1.1
    assert small["id"][with_ancestors(small, selection.mask)].tolist() == ["1", "1.1", "1.1.1"]
    frame = detached(small, select_comments(small, CommentFilter(authors=("Ann", "Bob"))).mask)
    parent_ids = frame["parent_id"].astype(object).where(frame["parent_id"].notna(), None)
    assert list(zip(frame["id"], parent_ids, strict=True)) == [
        ("1", None),
        ("1.1", "1"),
        ("1.1.1", "1.1"),
        ("2.1", None),  # its parent is anonymous, not selected
        ("3", None),
    ]
    assert frame["depth"].tolist() == [0, 1, 2, 1, 0]  # depths stay as on the page


def test_corpus_detached_keeps_pages_apart(corpus):
    frame = corpus(
        {
            "a": [("1", None, "Ann", None, "x"), ("1.1", "1", "Bob", None, "x")],
            "b": [("1", None, "Cat", None, "x"), ("1.1", "1", "Ann", None, "x")],
        }
    )
    out = detached(frame, select_comments(frame, CommentFilter(authors=("Ann",))).mask)
    assert out[["source", "id"]].values.tolist() == [["a", "1"], ["b", "1.1"]]
    assert out["parent_id"].isna().tolist() == [True, True]


@st.composite
def threads(draw):
    """Rows of a random thread in document order (each comment answers an earlier one or none)."""
    size = draw(st.integers(min_value=0, max_value=30))
    parents = [None if k == 0 else draw(st.one_of(st.none(), st.integers(0, k - 1))) for k in range(size)]
    order = document_order(parents)
    authors = draw(st.lists(st.sampled_from(["A", "B", "b", None]), min_size=size, max_size=size))
    days = draw(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=size, max_size=size))
    rows = [
        (
            f"c{k}",
            None if parents[k] is None else f"c{parents[k]}",
            authors[k],
            None if days[k] is None else f"2020-01-0{days[k]} 12:00",
            ["alpha beta", "Beta", "gamma"][k % 3],
        )
        for k in order
    ]
    return rows


specs = st.builds(
    CommentFilter,
    authors=st.lists(st.sampled_from(["A", "B", "Z"]), max_size=2).map(tuple),
    anonymous=st.booleans(),
    pattern=st.sampled_from([None, "beta", "^a"]),
    ignore_case=st.booleans(),
    since=st.sampled_from([None, date(2020, 1, 2)]),
    until=st.sampled_from([None, date(2020, 1, 4), datetime(2020, 1, 3, 12)]),
    min_depth=st.sampled_from([None, 0, 1]),
    max_depth=st.sampled_from([None, 2, 5]),
)


@settings(max_examples=80, deadline=None)
@given(rows=threads(), spec=specs)
def test_filters_combine_as_and(build, rows, spec):
    frame = build(rows)
    parts = [
        CommentFilter(authors=spec.authors, anonymous=spec.anonymous),
        CommentFilter(pattern=spec.pattern, ignore_case=spec.ignore_case),
        CommentFilter(since=spec.since, until=spec.until),
        CommentFilter(min_depth=spec.min_depth, max_depth=spec.max_depth),
    ]
    expected = np.logical_and.reduce([select_comments(frame, part).mask for part in parts])
    selection = select_comments(frame, spec)
    assert selection.mask.tolist() == expected.tolist()
    assert selection.comments["id"].tolist() == frame["id"][expected].tolist()
    assert selection.kept + (~selection.mask).sum() == len(frame)


@settings(max_examples=80, deadline=None)
@given(rows=threads(), spec=specs)
def test_ancestors_are_exactly_what_places_the_selection(build, rows, spec):
    frame = build(rows)
    mask = select_comments(frame, spec).mask
    keep = with_ancestors(frame, mask)
    parents = parent_rows(frame)
    assert (keep | ~mask).all()  # the selection is kept
    assert all(parents[row] < 0 or keep[parents[row]] for row in np.flatnonzero(keep))  # closed upwards
    needed = mask.copy()  # brute force: walk up from each selected comment
    for row in np.flatnonzero(mask):
        while parents[row] >= 0:
            row = parents[row]
            needed[row] = True
    assert keep.tolist() == needed.tolist()
    parent_rows(detached(frame, mask))  # stands on its own: no reply names a parent outside it


def test_pages_selections_join_into_one_over_their_corpus(small):
    import pandas as pd

    corpus = pd.concat([small.assign(source="a"), small.assign(source="b")], ignore_index=True)
    spec = CommentFilter(authors=("Bob", "Nobody"))
    parts = [select_comments(small, spec), select_comments(small.assign(author="Nobody"), spec)]
    joined = joined_selection(parts, corpus)
    assert joined.mask.tolist() == [*parts[0].mask.tolist(), *parts[1].mask.tolist()]
    assert joined.comments["id"].tolist() == ["1.1", "2.1", "3", *small["id"]]
    assert (joined.kept, joined.total) == (3 + len(small), 2 * len(small))
    assert joined.unknown_authors == ()  # each name is on some page
    alone = joined_selection([parts[0], parts[0]], corpus)
    assert alone.unknown_authors == ("Nobody",)
