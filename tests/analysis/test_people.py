"""Who is a person: pingbacks and trackbacks are comments of the page, and nobody in any figure about people."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from random_trees import document_order

from commentscope.analysis import (
    commenter_table,
    hypergraph_features,
    reciprocity,
    reply_network,
    sentiment_by_commenter,
    subthread_table,
    thread_stats,
    timeline,
)
from commentscope.analysis._structure import ANONYMOUS, NOBODY, author_codes, by_people, people_codes
from commentscope.analysis.layout import network_view
from commentscope.analysis.network import self_reply_count
from commentscope.model import Article

ARTICLE = Article(source="p")


def with_kinds(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """The frame with the comments of the given ids made of the given kind."""
    frame = frame.copy()
    for cid, kind in kinds.items():
        frame.loc[frame["id"] == cid, "kind"] = kind
    return frame


#: Ann and Bob talk; a pingback titled "Bob" answers Ann (as a WXR export may nest one), Cat
#: answers the pingback, and a trackback without a name stands at top level.
ROWS = [
    ("1", None, "Ann", "2020-01-01 10:00", "hello there"),
    ("1.1", "1", "Bob", "2020-01-01 10:30", "hi"),
    ("1.2", "1", "Bob", "2020-01-01 11:00", "linked here"),
    ("1.2.1", "1.2", "Cat", "2020-01-01 12:00", "nice link"),
    ("2", None, None, "2020-01-02 09:00", "quoted"),
    ("3", None, "Bob", "2020-01-02 10:00", "later"),
]
KINDS = {"1.2": "pingback", "2": "trackback"}


def test_by_people_and_author_codes(build):
    frame = with_kinds(build(ROWS), KINDS)
    people = by_people(frame)
    assert people.tolist() == [True, True, False, True, False, True]
    codes, names = people_codes(frame)
    assert codes.tolist() == [0, 1, NOBODY, 2, NOBODY, 1]
    assert names.to_pylist() == ["Ann", "Bob", "Cat"]
    assert by_people(frame.drop(columns="kind")).all()  # a frame without kinds holds comments only
    codes, names = author_codes(pa.array(["Pat", None, "Pat", "Lee"], pa.large_string()), np.array([0, 1, 1, 1], bool))
    assert codes.tolist() == [NOBODY, ANONYMOUS, 0, 1] and names.to_pylist() == ["Pat", "Lee"]


def test_stats_count_the_link_notices_and_leave_them_out_of_people(build):
    stats = thread_stats(with_kinds(build(ROWS), KINDS), ARTICLE)
    assert (stats["comments"], stats["replies"], stats["pingbacks"]) == (6, 3, 2)
    # the unnamed trackback is no anonymous person; the pingback named "Bob" is no comment of Bob's
    assert (stats["anonymous"], stats["commenters"], stats["top_commenter"]) == (0, 3, "Bob")
    assert stats["comments_per_commenter"] == round(4 / 3, 4)  # Ann 1, Bob 2, Cat 1
    assert stats["reciprocity"] == 0.0  # Bob -> Ann only: Cat answered nobody, the pingback answers nobody
    assert stats["longest_exchange"] == 2


def test_commenters_have_no_row_replier_or_partner_that_is_a_pingback(build):
    rows = commenter_table(with_kinds(build(ROWS), KINDS)).set_index("author", drop=False)
    assert rows["author"].tolist() == ["Bob", "Ann", "Cat"]  # no anonymous row: the trackback is nobody
    ann, bob, cat = (rows.loc[name] for name in ("Ann", "Bob", "Cat"))
    assert (bob["comments"], bob["replies_made"]) == (2, 1)
    assert (ann["replies_received"], ann["distinct_repliers"]) == (1, 1)  # Bob's, not the pingback's
    assert (cat["replies_made"], cat["distinct_partners"]) == (1, 0)


def test_the_network_has_no_edge_to_or_from_a_pingback(build):
    frame = with_kinds(build(ROWS), KINDS)
    network = reply_network(frame, self_replies=True)
    assert network.values.tolist() == [["Bob", "Ann", 1]]
    assert reply_network(frame, named_only=True).values.tolist() == [["Bob", "Ann", 1]]
    assert reciprocity(network) == 0.0
    selected = np.array([True, False, True, True, True, True])
    assert reply_network(frame, selected=selected).empty


def test_a_pingback_answering_a_pingback_of_the_same_site_is_no_self_reply(build):
    rows = [
        ("1", None, "Blog", None, "[…] one […]"),
        ("1.1", "1", "Blog", None, "[…] two […]"),
        ("2", None, "Ann", None, "a"),
        ("2.1", "2", "Ann", None, "b"),
    ]
    frame = with_kinds(build(rows), {"1": "pingback", "1.1": "pingback"})
    assert self_reply_count(frame) == 1  # Ann's
    assert reply_network(frame, self_replies=True).values.tolist() == [["Ann", "Ann", 1]]


def test_subthread_participants_hypergraph_timeline_view_and_sentiment_leave_pingbacks_out(build):
    frame = with_kinds(build(ROWS), KINDS)
    assert subthread_table(frame)["participants"].tolist() == [3, 0, 1]  # Ann, Bob, Cat; nobody; Bob
    features = hypergraph_features(frame, "p")
    assert features["comments_used"] == 4  # the people's comments
    assert features == hypergraph_features(frame, "p", first=4)  # left out before the first N
    assert timeline(frame)["commenters"].tolist() == [3, 1]  # 2 January: the trackback and Bob
    view = network_view(frame, 10)
    assert view.people["name"].tolist() == ["Ann", "Bob"] and view.pairs_total == 1
    scores = sentiment_by_commenter(frame, pd.Series([0.5, 0.1, 0.9, 0.2, 0.9, 0.3]))
    assert scores["author"].tolist() == ["Ann", "Bob", "Cat"] and scores["scored"].tolist() == [1, 2, 1]


def test_a_corpus_pingback_named_like_a_person_elsewhere_adds_nobody(corpus):
    frame = corpus(
        {
            "a.txt": [("1", None, "Ann", "2020-01-01 10:00", "hi"), ("2", None, "Bob", None, "[…]")],
            "b.txt": [("1", None, "Bob", "2020-01-02 10:00", "yo")],
        }
    )
    frame.loc[(frame["source"] == "a.txt") & (frame["id"] == "2"), "kind"] = "pingback"
    stats = thread_stats(frame, ARTICLE)
    assert (stats["commenters"], stats["pingbacks"], stats["comments"]) == (2, 1, 3)
    table = commenter_table(frame)
    assert dict(zip(table["author"], table["pages"], strict=True)) == {"Ann": 1, "Bob": 1}


# --- Whatever a pingback is named, no figure about people changes. ----------------------------------


@st.composite
def threads(draw):
    """Rows in document order with random parents, authors and kinds."""
    size = draw(st.integers(min_value=0, max_value=20))
    parents: list[int | None] = [None] * size
    for k in range(1, size):
        parents[k] = draw(st.one_of(st.none(), st.integers(0, k - 1)))
    authors = draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=size, max_size=size))
    kinds = draw(
        st.lists(st.sampled_from(["comment", "comment", "pingback", "trackback"]), min_size=size, max_size=size)
    )
    order = document_order(parents)
    rows = [
        (f"c{k}", None if parents[k] is None else f"c{parents[k]}", authors[k], f"2020-01-01 00:{k:02d}", "x")
        for k in order
    ]
    return rows, {f"c{k}": kinds[k] for k in order if kinds[k] != "comment"}


def people_figures(frame: pd.DataFrame) -> dict:
    """Every figure about people, tables as JSON (so that missing values compare equal)."""
    return {
        "stats": thread_stats(frame, ARTICLE),
        "commenters": commenter_table(frame).to_json(orient="records", date_format="iso"),
        "network": reply_network(frame, self_replies=True).to_json(orient="records", date_format="iso"),
        "participants": subthread_table(frame)["participants"].tolist(),
        "hypergraph": hypergraph_features(frame, "p"),
        "timeline": timeline(frame)["commenters"].tolist(),
    }


@settings(max_examples=80, deadline=None)
@given(threads(), st.sampled_from(["A", "Z", None]))
def test_a_pingbacks_name_changes_no_figure_about_people(build, thread, name):
    rows, kinds = thread
    frame = with_kinds(build(rows), kinds)
    renamed = frame.copy()
    renamed.loc[~by_people(frame), "author"] = name
    figures = people_figures(frame)
    assert people_figures(renamed) == figures
    people = [row for row in rows if row[0] not in kinds]
    named = {row[2] for row in people} - {None}
    assert figures["stats"]["pingbacks"] == len(kinds)
    assert figures["stats"]["commenters"] == len(named)
    assert figures["stats"]["anonymous"] == sum(row[2] is None for row in people)
    table = commenter_table(frame)
    assert set(table["author"][~table["anonymous"]]) == named
    by_id = {row[0]: row for row in rows}
    between = [
        (row[2], by_id[row[1]][2]) for row in people if row[1] is not None and row[1] not in kinds
    ]  # replies from a person to a person, as (replier, answered)
    assert reply_network(frame, self_replies=True)["replies"].sum() == len(between)
    assert reciprocity(reply_network(frame)) == figures["stats"]["reciprocity"]
