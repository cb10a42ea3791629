import math

import numpy as np
import pytest

from commentscope.analysis import HYPERGRAPH_GROUPS, hypergraph_features
from commentscope.analysis.hypergraph import degree_stats
from commentscope.errors import InputError

# deep.txt in time order (node: id author -> parent node):
#   0: 5 anon        1: 6 Gus          2: 6.1 Jana -> 1   3: 7 Priya        4: 7.1 Tom -> 3
#   5: 7.1.1 Priya -> 4   6: 7.1.1.1 anon -> 5   7: 7.1.1.1.1 Tom -> 6   8: 7.1.1.1.1.1 Priya -> 7
#   9: 7.2 anon -> 3
# Speakers by first appearance: anon(0), Gus, Jana, Priya, Tom, anon(6), anon(9): each anonymous comment is its own.
DEEP = [
    ("5", None, None, "2021-03-03 12:00", "x"),
    ("6", None, "Gus", "2021-03-03 18:02", "x"),
    ("6.1", "6", "Jana", "2021-03-03 18:30", "x"),
    ("7", None, "Priya", "2021-03-03 21:15", "x"),
    ("7.1", "7", "Tom", "2021-03-03 21:40", "x"),
    ("7.1.1", "7.1", "Priya", "2021-03-03 22:02", "x"),
    ("7.1.1.1", "7.1.1", None, "2021-03-03 23:30", "x"),
    ("7.1.1.1.1", "7.1.1.1", "Tom", "2021-03-04 00:05", "x"),
    ("7.1.1.1.1.1", "7.1.1.1.1", "Priya", "2021-03-04 07:45", "x"),
    ("7.2", "7", None, "2021-03-04 08:10", "x"),
]


def entropy(weights: list[int]) -> float:
    total = sum(weights)
    return round(-sum(w / total * math.log(w / total) for w in weights if w), 4)


def test_deep_thread_by_hand(build):
    page = build([DEEP[k] for k in (3, 4, 5, 6, 7, 8, 9, 1, 2, 0)])  # the page's order; time order is what counts
    features = hypergraph_features(page, "deep")
    assert list(features) == [key for group in HYPERGRAPH_GROUPS.values() for key in group]
    assert features["comments_used"] == 10
    # replies whose grandparent has the same author: 7.1.1 (Priya over Tom over Priya); the other three at
    # depth >= 2 (7.1.1.1, 7.1.1.1.1, 7.1.1.1.1.1) are external
    assert features["count[reciprocity motif]"] == 1
    assert features["count[external reciprocity motif]"] == 3
    assert features["count[dyadic interaction motif]"] == 1  # Priya and Tom, both ways
    # speakers answered by: Gus {Jana}, Priya {Tom, anon6, anon9}, Tom {Priya}, anon6 {Tom}: C(3, 2) = 3
    assert features["count[incoming triads]"] == 3
    # speakers answering: Jana {Gus}, Priya {Tom}, Tom {Priya, anon6}, anon6 {Priya}, anon9 {Priya}: C(2, 2) = 1
    assert features["count[outgoing triads]"] == 1
    # c->c indegrees per node: 0,1,0,2,1,1,1,1,0,0
    assert {stat: features[f"{stat}[indegree over c->c responses]"] for stat in ["max", "argmax", "norm.max",
            "2nd-largest", "mean", "mean-nonzero", "prop-nonzero", "prop-multiple", "entropy"]} == {
        "max": 2, "argmax": 3, "norm.max": round(2 / 7, 4), "2nd-largest": 1, "mean": 0.7,
        "mean-nonzero": round(7 / 6, 4), "prop-nonzero": 0.6, "prop-multiple": round(1 / 6, 4),
        "entropy": entropy([0, 1, 0, 2, 1, 1, 1, 1, 0, 0]),
    }  # fmt: skip
    # C->c outdegrees (distinct comments answered) per speaker: 0, 0, 1, 2 (Priya: 7.1, 7.1.1.1.1), 2, 1, 1
    assert (
        features["argmax[outdegree over C->c responses]"] == 3
        and features["2nd-largest[outdegree over C->c responses]"] == 2
    )
    assert features["prop-multiple[outdegree over C->c responses]"] == 0.4  # 2 of 5
    # C->C indegrees: 0, 1, 0, 3, 1, 1, 0; outdegrees: 0, 0, 1, 1, 2, 1, 1
    assert (
        features["max[indegree over C->C responses]"] == 3 and features["norm.max[indegree over C->C responses]"] == 0.5
    )
    assert features["entropy[indegree over C->C responses]"] == entropy([1, 3, 1, 1])
    assert features["mean-nonzero[indegree over C->C responses]"] == 1.5
    assert features["argmax[outdegree over C->C responses]"] == 4
    assert features["mean[outdegree over C->C responses]"] == round(6 / 7, 4)


def test_first_keeps_the_earliest_comments(build):
    # the first 8: 7.1.1.1.1.1 and 7.2 left out; 7.1.1.1.1 (Tom) -> anonymous is the last external motif
    features = hypergraph_features(build(DEEP), "deep", first=8)
    assert features["comments_used"] == 8
    assert features["count[external reciprocity motif]"] == 2
    assert features["count[incoming triads]"] == 1  # Priya answered by Tom and anon6 only
    assert hypergraph_features(build(DEEP), "deep", first=100)["comments_used"] == 10
    with pytest.raises(InputError):
        hypergraph_features(build(DEEP), "deep", first=-1)


def test_a_reply_whose_parent_is_left_out_has_no_edges(build):
    # 1.1 is dated before 1: the first comment in time is the reply, whose parent is not kept
    frame = build([("1", None, "A", "2020-01-01 10:00", "x"), ("1.1", "1", "B", "2020-01-01 09:00", "x")])
    features = hypergraph_features(frame, "p", first=1)
    assert features["max[indegree over c->c responses]"] == 0
    assert features["entropy[indegree over c->c responses]"] is None  # no edges at all
    assert features["2nd-largest[indegree over c->c responses]"] is None  # one node


def test_self_replies_count_as_convokit_counts_them(build):
    # A answers A: a C->C edge to itself, so A's incoming set is {A, B}: one incoming triad, no dyad
    frame = build([("1", None, "A", None, "x"), ("1.1", "1", "A", None, "x"), ("1.2", "1", "B", None, "x")])
    features = hypergraph_features(frame, "p")
    assert features["count[incoming triads]"] == 1
    assert features["count[dyadic interaction motif]"] == 0


def test_anonymous_comments_are_each_their_own_speaker(build):
    # two anonymous comments answering each other are two people: no self-reply, no reciprocity motif
    frame = build([("1", None, None, None, "x"), ("1.1", "1", None, None, "x"), ("1.1.1", "1.1", None, None, "x")])
    features = hypergraph_features(frame, "p")
    assert features["count[reciprocity motif]"] == 0 and features["count[external reciprocity motif]"] == 1
    assert features["max[outdegree over C->C responses]"] == 1  # three speakers


def test_degree_stats_edge_cases():
    assert degree_stats(np.array([], dtype=np.int64)) == dict.fromkeys(degree_stats(np.array([1])))
    zeros = degree_stats(np.array([0, 0]))
    assert (zeros["norm.max"], zeros["mean-nonzero"], zeros["prop-multiple"], zeros["entropy"]) == (0, 0, 0, None)
    assert degree_stats(np.array([5]))["entropy"] == 0.0
