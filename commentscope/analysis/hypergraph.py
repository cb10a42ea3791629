"""The reply hypergraph of Zhang, Culbertson and Paritosh (CSCW 2018), as ConvoKit's HyperConvo computes it.

Comments are nodes (c), commenters are hypernodes (C) holding their comments, and a reply
gives three edges: c->c (reply to parent), C->c (replier to the parent comment) and C->C
(replier to the parent's author, a self-reply included, as ConvoKit keeps it). The figures
and their names are ConvoKit's, so that a table of them lines up with HyperConvo's output.
Each anonymous comment is a commenter of its own: anonymous comments are never one person.
Pingbacks and trackbacks are left out, as no person wrote them (``_structure.by_people``).
Everything is counted from integer edge arrays (sorting and bincounts), never from an
explicit graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentscope.analysis._structure import by_people, parent_rows, people_codes
from commentscope.analysis.network import pair_counts
from commentscope.errors import InputError

#: ConvoKit's names for the degree distributions, in its order.
DEGREE_DISTRIBUTIONS = [
    "indegree over c->c responses",
    "indegree over C->c responses",
    "outdegree over C->c responses",
    "indegree over C->C responses",
    "outdegree over C->C responses",
]
#: The degree statistics, in ConvoKit's order (its 2nd-argmax and normalised 2nd-largest are left out).
DEGREE_STATS = ["max", "argmax", "norm.max", "2nd-largest", "mean", "mean-nonzero", "prop-nonzero", "prop-multiple",
                "entropy"]  # fmt: skip
MOTIFS = [
    "reciprocity motif",
    "external reciprocity motif",
    "dyadic interaction motif",
    "incoming triads",
    "outgoing triads",
]

#: Every ``hypergraph_features`` key once, grouped for a readable table.
HYPERGRAPH_GROUPS: dict[str, list[str]] = {
    "page": ["source", "comments_used"],
    "motifs": [f"count[{motif}]" for motif in MOTIFS],
    **{name: [f"{stat}[{name}]" for stat in DEGREE_STATS] for name in DEGREE_DISTRIBUTIONS},
}

_DIGITS = 4


def hypergraph_features(comments: pd.DataFrame, source: str, first: int | None = None) -> dict[str, Any]:
    """Motif counts and degree statistics of one page's reply hypergraph.

    ``first`` keeps the first N comments in time order (undated ones last, ties in page
    order), like ConvoKit's ``prefix_len``; a reply whose parent is left out has no edges.
    The page's comments by people are the conversation (pingbacks and trackbacks are left
    out, before ``first``): top-level comments answer the article, which is not a node.
    Degree statistics of an empty distribution are None.
    """
    if first is not None and first < 0:
        raise InputError(f"first must be 0 or more, not {first}")
    order = _time_order(comments)
    order = order[by_people(comments)[order]][:first]
    parents = parent_rows(comments)
    kept = np.full(len(comments), -1, dtype=np.int64)
    kept[order] = np.arange(len(order))
    answered = parents[order]
    parent = np.where(answered >= 0, kept[np.maximum(answered, 0)], -1)  # -1 also when the parent is left out
    speaker = _speakers(people_codes(comments)[0][order])
    return {"source": source, "comments_used": len(order), **features(parent, speaker)}


def features(parent: np.ndarray, speaker: np.ndarray) -> dict[str, Any]:
    """The figures of nodes 0..m-1 in time order, given each one's parent (-1: none) and speaker (first seen first)."""
    m, k = len(parent), int(speaker.max(initial=-1)) + 1
    reply = np.flatnonzero(parent >= 0)
    target = parent[reply]
    who, whom = speaker[reply], speaker[target]
    speaker_edges = _distinct(who, whom)  # C->C
    grand = parent[target]
    deep = grand >= 0
    same = speaker[reply[deep]] == speaker[grand[deep]]
    mutual, _ = pair_counts(*speaker_edges, np.ones(len(speaker_edges[0]), dtype=np.int64))
    into, out = np.bincount(speaker_edges[1], minlength=k), np.bincount(speaker_edges[0], minlength=k)
    distributions = [
        np.bincount(target, minlength=m),
        np.bincount(_distinct(target, who)[0], minlength=m),
        np.bincount(_distinct(who, target)[0], minlength=k),
        into,
        out,
    ]
    motifs = [int(same.sum()), int((~same).sum()), mutual, _pairs_within(into), _pairs_within(out)]
    result: dict[str, Any] = {f"count[{name}]": count for name, count in zip(MOTIFS, motifs, strict=True)}
    for name, degrees in zip(DEGREE_DISTRIBUTIONS, distributions, strict=True):
        result.update({f"{stat}[{name}]": value for stat, value in degree_stats(degrees).items()})
    return result


def degree_stats(degrees: np.ndarray) -> dict[str, Any]:
    """ConvoKit's ``degree_stat_funcs`` on one distribution (entropy in nats, of the degrees as weights)."""
    if len(degrees) == 0:
        return dict.fromkeys(DEGREE_STATS)
    total = int(degrees.sum())
    nonzero = degrees[degrees != 0]
    weights = nonzero / total if total else nonzero
    return {
        "max": int(degrees.max()),
        "argmax": int(np.argmax(degrees)),
        "norm.max": _round(degrees.max() / total) if total else 0,
        "2nd-largest": int(np.partition(degrees, -2)[-2]) if len(degrees) > 1 else None,
        "mean": _round(degrees.mean()),
        "mean-nonzero": _round(nonzero.mean()) if len(nonzero) else 0,
        "prop-nonzero": _round((degrees != 0).mean()),
        "prop-multiple": _round((nonzero > 1).mean()) if len(nonzero) else 0,
        "entropy": _round(0.0 - (weights * np.log(weights)).sum()) if total else None,  # 0.0 - : no -0.0
    }


def _time_order(comments: pd.DataFrame) -> np.ndarray:
    times = comments["timestamp"].to_numpy()
    ticks = np.where(np.isnat(times), np.iinfo(np.int64).max, times.astype("datetime64[us]").astype(np.int64))
    return np.argsort(ticks, kind="stable")


def _speakers(codes: np.ndarray) -> np.ndarray:
    """Named authors keep one code each, every anonymous comment gets its own; renumbered by first appearance."""
    anonymous = codes < 0
    codes = codes.copy()
    codes[anonymous] = codes.max(initial=-1) + 1 + np.arange(int(anonymous.sum()))
    return pd.factorize(codes)[0].astype(np.int64)


def _distinct(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (a, b) pairs of two non-negative integer arrays."""
    width = int(b.max(initial=0)) + 1
    keys = np.unique(a.astype(np.int64) * width + b)
    return keys // width, keys % width


def _pairs_within(degrees: np.ndarray) -> int:
    """Unordered pairs among each hypernode's distinct neighbours, summed: ConvoKit's triads."""
    return int((degrees * (degrees - 1) // 2).sum())


def _round(value: float) -> float:
    return round(float(value), _DIGITS)
