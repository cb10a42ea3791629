"""What a picture of a thread can show: the part of the reply tree that fits, and the busiest people.

A page of 200,000 comments cannot be drawn comment by comment in a file someone mails, so
these pick what is drawn (whole subthreads, largest first) and say what was left out. Pure
functions: frames in, frames and counts out; the geometry is the report's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from commentscope.analysis._structure import by_people, parent_rows, replies_between_people, subtree_sizes
from commentscope.analysis.threads import root_rows
from commentscope.ordering import depth_levels, lexsort


@dataclass(frozen=True)
class TreeLayout:
    """The comments an icicle draws, with their place, and what was left out.

    ``nodes``: one row per comment drawn, in document order, with ``row`` (its position in
    the comments frame), ``parent`` (the parent's index in ``nodes``, -1 at top level),
    ``depth``, ``size`` (comments drawn in its subtree, itself included) and ``y`` (where
    its subtree starts, in comments: a subtree occupies ``y`` to ``y + size``).
    """

    nodes: pd.DataFrame
    comments: int
    subthreads: int
    subthreads_shown: int
    truncated: bool  # the largest subthread alone exceeded the budget and is drawn only in part

    @property
    def comments_left_out(self) -> int:
        return self.comments - len(self.nodes)


def tree_layout(comments: pd.DataFrame, budget: int) -> TreeLayout:
    """Draw whole subthreads, largest first, while they fit in ``budget`` comments.

    When even the largest does not fit, its first ``budget`` comments in page order are
    drawn (a parent always comes before its replies, so every one drawn has its parent
    drawn). Drawn subthreads keep their page order.
    """
    depth = comments["depth"].to_numpy(dtype=np.int64)
    parents = parent_rows(comments)
    sizes = subtree_sizes(depth, parents)
    roots = np.flatnonzero(depth == 0)
    ancestor = root_rows(depth, parents)
    by_size = roots[np.argsort(-sizes[roots], kind="stable")]
    fitting = by_size[np.cumsum(sizes[by_size]) <= budget]
    truncated = len(fitting) == 0 and len(roots) > 0
    chosen = ancestor == by_size[0] if truncated else np.isin(ancestor, fitting)
    shown = np.flatnonzero(chosen)[:budget] if truncated else np.flatnonzero(chosen)
    index = np.full(len(comments), -1, dtype=np.int64)
    index[shown] = np.arange(len(shown))
    shown_parents = np.where(parents[shown] >= 0, index[np.maximum(parents[shown], 0)], -1)
    shown_depth = depth[shown]
    shown_sizes = subtree_sizes(shown_depth, shown_parents)
    nodes = pd.DataFrame(
        {
            "row": shown,
            "parent": shown_parents,
            "depth": shown_depth,
            "size": shown_sizes,
            "y": _starts(shown_depth, shown_parents, shown_sizes),
        }
    )
    subthreads_shown = 1 if truncated else len(fitting)
    return TreeLayout(nodes, len(comments), len(roots), subthreads_shown, truncated)


def _starts(depth: np.ndarray, parents: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Where each subtree starts: a parent's start + 1, plus the sizes of its earlier siblings."""
    starts = np.zeros(len(depth), dtype=np.int64)
    for rows in depth_levels(depth):  # page order within the level
        if not len(rows):
            continue
        group = parents[rows]
        order = np.argsort(group, kind="stable")
        grouped, ordered = group[order], sizes[rows][order]
        running = np.cumsum(ordered) - ordered
        first = np.r_[True, grouped[1:] != grouped[:-1]]
        running -= np.maximum.accumulate(np.where(first, running, 0))
        base = np.where(grouped >= 0, starts[np.maximum(grouped, 0)] + 1, 0)
        starts[rows[order]] = base + running
    return starts


def reply_pairs(comments: pd.DataFrame) -> pd.DataFrame:
    """Replies per (replier, replied-to) pair, with anonymous comments as one node (author None).

    Unlike ``reply_network`` the anonymous side is kept, so a picture can show how much of
    the talk is with people who left no name; anonymous to anonymous is left out (nothing
    says they are the same person, nor that they are not). Most replies first, then names.
    """
    pairs = _Pairs.of(comments)
    return pairs.frame(np.ones(len(pairs.counts), dtype=bool))


@dataclass(frozen=True)
class _Pairs:
    """Pairs as codes into ``labels`` (0 = anonymous, then names in name order), most replies first.

    Ties go by name, anonymous last: ``rank`` orders the codes that way.
    """

    source: np.ndarray
    target: np.ndarray
    counts: np.ndarray
    labels: np.ndarray

    @property
    def rank(self) -> np.ndarray:
        return np.r_[len(self.labels), np.arange(1, len(self.labels))]

    @classmethod
    def of(cls, comments: pd.DataFrame) -> _Pairs:
        codes, names = pd.factorize(comments["author"], sort=True)
        who = codes + 1  # 0 = anonymous, k = names[k - 1]
        parents = parent_rows(comments)
        replies = replies_between_people(parents, by_people(comments))
        source, target = who[replies], who[parents[replies]]
        keep = (source > 0) | (target > 0)
        groups = len(names) + 1
        pair_codes, counts = np.unique(source[keep] * groups + target[keep], return_counts=True)
        labels = np.r_[np.array([None], dtype=object), np.asarray(names, dtype=object)]
        source, target = pair_codes // groups, pair_codes % groups
        pairs = cls(source, target, counts.astype(np.int64), labels)
        order = lexsort((pairs.rank[target], pairs.rank[source], -counts))
        return cls(source[order], target[order], pairs.counts[order], labels)

    def frame(self, keep: np.ndarray) -> pd.DataFrame:
        labels = self.labels
        return pd.DataFrame(
            {
                "source": pd.Series(labels[self.source[keep]], dtype=object),
                "target": pd.Series(labels[self.target[keep]], dtype=object),
                "replies": pd.Series(self.counts[keep], dtype="int64"),
            }
        )


@dataclass(frozen=True)
class NetworkView:
    """The busiest people and the pairs between them.

    ``people``: name (None for the anonymous node), replies_made, replies_received; busiest
    first, then by name. ``pairs``: source, target, replies, mutual (two named people who
    answered each other).
    """

    people: pd.DataFrame
    pairs: pd.DataFrame
    people_total: int
    pairs_total: int


def network_view(comments: pd.DataFrame, max_people: int) -> NetworkView:
    """The ``max_people`` people with the most replies made and received, and every pair among them."""
    pairs = _Pairs.of(comments)
    groups = len(pairs.labels)
    made = np.bincount(pairs.source, weights=pairs.counts, minlength=groups).astype(np.int64)
    received = np.bincount(pairs.target, weights=pairs.counts, minlength=groups).astype(np.int64)
    present = np.zeros(groups, dtype=bool)
    present[pairs.source] = True
    present[pairs.target] = True
    candidates = np.flatnonzero(present)
    ranked = candidates[lexsort((pairs.rank[candidates], -(made + received)[candidates]))]
    chosen = ranked[:max_people]
    kept = np.zeros(groups, dtype=bool)
    kept[chosen] = True
    inside = kept[pairs.source] & kept[pairs.target]
    edges = pairs.frame(inside)
    source, target = pairs.source[inside], pairs.target[inside]
    directed = set(zip(source.tolist(), target.tolist(), strict=True))
    edges["mutual"] = [
        a != b and a > 0 and b > 0 and (b, a) in directed for a, b in zip(source.tolist(), target.tolist(), strict=True)
    ]
    people = pd.DataFrame(
        {
            "name": pd.Series([pairs.labels[code] for code in chosen.tolist()], dtype=object),
            "replies_made": made[chosen],
            "replies_received": received[chosen],
        }
    )
    return NetworkView(people, edges, len(candidates), len(pairs.counts))
