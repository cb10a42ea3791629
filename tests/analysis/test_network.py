import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis import NETWORK_SCHEMA, reciprocity, reply_network
from commentscope.analysis.filters import CommentFilter, select_comments
from commentscope.analysis.network import MUTUAL_SCHEMA, mutual_pairs, name_order, self_reply_count


def edges(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if value is None or value != value else value for value in row) for row in frame.values.tolist()]


def test_small_thread_shows_the_anonymous_node(small):
    # 1.1 Bob->Ann, 1.1.1 Ann->Bob, 1.1.2 anon->Bob, 1.2 Cat->Ann, 2.1 Bob->anon
    network = reply_network(small)
    assert edges(network) == [
        ("Ann", "Bob", 1),
        ("Bob", "Ann", 1),
        ("Bob", None, 1),
        ("Cat", "Ann", 1),
        (None, "Bob", 1),
    ]
    assert {name: str(dtype) for name, dtype in network.dtypes.items()} == NETWORK_SCHEMA
    # pairs {Ann, Bob} (both ways) and {Ann, Cat} (one way); the anonymous node is no person
    assert reciprocity(network) == 0.5


def test_named_only_is_the_old_view(small):
    network = reply_network(small, named_only=True)
    assert edges(network) == [("Ann", "Bob", 1), ("Bob", "Ann", 1), ("Cat", "Ann", 1)]
    assert reciprocity(network) == 0.5


def test_counts_sorting_and_self_replies(build):
    frame = build(
        [
            ("1", None, "Zoe", None, "x"),
            ("1.1", "1", "Yan", None, "x"),
            ("1.2", "1", "Yan", None, "x"),
            ("1.2.1", "1.2", "Yan", None, "x"),  # Yan answers Yan
            ("1.3", "1", "Abe", None, "x"),
            ("1.3.1", "1.3", "Zoe", None, "x"),
            ("2", None, None, None, "x"),
            ("2.1", "2", None, None, "x"),  # anonymous answers anonymous: maybe two people, kept
        ]
    )
    network = reply_network(frame)
    assert edges(network) == [("Yan", "Zoe", 2), ("Abe", "Zoe", 1), ("Zoe", "Abe", 1), (None, None, 1)]
    assert self_reply_count(frame) == 1
    with_self = reply_network(frame, self_replies=True)
    assert edges(with_self) == [
        ("Yan", "Zoe", 2),
        ("Abe", "Zoe", 1),
        ("Yan", "Yan", 1),
        ("Zoe", "Abe", 1),
        (None, None, 1),
    ]
    # pairs {Yan, Zoe} one way, {Abe, Zoe} both ways; the self-reply is not a pair
    assert reciprocity(network) == reciprocity(with_self) == 0.5


def test_ties_sort_ignoring_case_and_accents(build):
    frame = build(
        [
            ("1", None, "Target", None, "x"),
            ("1.1", "1", "bob", None, "x"),
            ("1.2", "1", "Émile", None, "x"),
            ("1.3", "1", "Ann", None, "x"),
            ("1.4", "1", "Zed", None, "x"),
            ("1.5", "1", "anna", None, "x"),
            ("1.6", "1", "Emma", None, "x"),
            ("1.7", "1", None, None, "x"),
        ]
    )
    assert reply_network(frame)["source"].tolist()[:6] == ["Ann", "anna", "bob", "Émile", "Emma", "Zed"]
    assert reply_network(frame)["source"].isna().tolist()[-1]  # the anonymous node last
    assert sorted(["b", "B", "É", "a", "E", "e"], key=name_order) == ["a", "B", "b", "E", "e", "É"]


def test_reciprocity_edge_cases():
    def net(*pairs):
        return pd.DataFrame(pairs, columns=["source", "target", "replies"]).astype(NETWORK_SCHEMA)

    assert reciprocity(net()) is None
    assert reciprocity(net(("A", "A", 3))) is None
    assert reciprocity(net(("A", "B", 1))) == 0.0
    assert reciprocity(net(("A", "B", 1), ("B", "A", 5))) == 1.0
    assert reciprocity(net(("A", None, 1), (None, "A", 5))) is None
    assert reciprocity(net(("A", "B", 1), ("B", "A", 1), ("A", "C", 1), ("C", "D", 1))) == round(1 / 3, 4)


def test_mutual_pairs_list_both_counts():
    network = pd.DataFrame(
        [
            ("Ann", "Bob", 1),
            ("Bob", "Ann", 3),
            ("Cat", "Dan", 2),
            ("Dan", "Cat", 2),
            ("Eve", "Ann", 9),  # one way only
            ("Ann", None, 4),
            (None, "Ann", 4),  # the anonymous node is not a person
            ("Fay", "Fay", 5),
        ],
        columns=["source", "target", "replies"],
    ).astype(NETWORK_SCHEMA)
    pairs = mutual_pairs(network)
    # equal totals: the more even exchange first
    assert pairs.values.tolist() == [["Cat", "Dan", 2, 2, 4], ["Bob", "Ann", 3, 1, 4]]
    assert {name: str(dtype) for name, dtype in pairs.dtypes.items()} == MUTUAL_SCHEMA
    assert mutual_pairs(network.iloc[4:]).empty
    assert list(mutual_pairs(network.iloc[4:]).columns) == list(MUTUAL_SCHEMA)


def test_empty_and_anonymous_only(build):
    for frame in (build([]), build([("1", None, None, None, "x"), ("1.1", "1", "Ann", None, "x")])):
        network = reply_network(frame, named_only=True)
        assert network.empty
        assert {name: str(dtype) for name, dtype in network.dtypes.items()} == NETWORK_SCHEMA
        assert reciprocity(network) is None
    assert edges(reply_network(frame)) == [("Ann", None, 1)]


def test_corpus_joins_parents_within_a_page(corpus):
    frame = corpus(
        {
            "a": [("1", None, "Ann", None, "x"), ("1.1", "1", "Bob", None, "x")],
            "b": [("1", None, "Cat", None, "x"), ("1.1", "1", "Bob", None, "x"), ("2", None, "Ann", None, "x")],
        }
    )
    assert edges(reply_network(frame)) == [("Bob", "Ann", 1), ("Bob", "Cat", 1)]


def test_selected_replies_count_whoever_they_answer(small):
    bob = select_comments(small, CommentFilter(authors=("Bob",))).mask
    assert edges(reply_network(small, selected=bob)) == [("Bob", "Ann", 1), ("Bob", None, 1)]
    late = select_comments(small, CommentFilter(since=pd.Timestamp("2019-01-24 08:30").to_pydatetime())).mask
    assert edges(reply_network(small, selected=late)) == [
        ("Ann", "Bob", 1),
        ("Bob", None, 1),
        ("Cat", "Ann", 1),
        (None, "Bob", 1),
    ]


@st.composite
def threads(draw):
    size = draw(st.integers(0, 30))
    parents = [None if k == 0 else draw(st.one_of(st.none(), st.integers(0, k - 1))) for k in range(size)]
    authors = draw(st.lists(st.sampled_from(["A", "a", "B", "É", None]), min_size=size, max_size=size))
    return parents, authors


@settings(max_examples=80, deadline=None)
@given(threads())
def test_every_reply_is_counted_once(build, drawn):
    parents, authors = drawn
    depth: list[int] = []
    for parent in parents:
        depth.append(0 if parent is None else depth[parent] + 1)
    # ids in order of creation are a valid document order for the analyses that count replies
    rows = [(f"c{k}", None if p is None else f"c{p}", authors[k], None, "x") for k, p in enumerate(parents)]
    frame = build(rows)
    replies = sum(parent is not None for parent in parents)
    selfish = sum(p is not None and authors[k] is not None and authors[k] == authors[p] for k, p in enumerate(parents))
    assert reply_network(frame)["replies"].sum() == replies - selfish
    assert reply_network(frame, self_replies=True)["replies"].sum() == replies
    assert self_reply_count(frame) == selfish
    named = sum(p is not None and authors[k] is not None and authors[p] is not None for k, p in enumerate(parents))
    assert reply_network(frame, named_only=True, self_replies=True)["replies"].sum() == named
    network = reply_network(frame, self_replies=True)
    ranks = [
        (-n, name_order(s) if s is not None else ("\U0010ffff",), name_order(t) if t is not None else ("\U0010ffff",))
        for s, t, n in edges(network)
    ]
    assert ranks == sorted(ranks)
    assert np.all(network["replies"].to_numpy() > 0)
