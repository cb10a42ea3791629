"""Who answers whom: the directed reply network between named commenters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commentscope.analysis._structure import parent_rows

#: Column -> dtype of ``reply_network``.
NETWORK_SCHEMA: dict[str, str] = {"source": "str", "target": "str", "replies": "int64"}


def reply_network(comments: pd.DataFrame) -> pd.DataFrame:
    """One row per (replier, author replied to) pair of named commenters, with the count of replies.

    Replies from or to anonymous comments are left out: they cannot be told apart.
    Self-replies stay (source == target); ``reciprocity`` ignores them. Across several
    pages the same name is the same person. Sorted by replies, most first, then names.
    """
    parents = parent_rows(comments)
    replies = np.flatnonzero(parents >= 0)
    authors = comments["author"]
    pairs = pd.DataFrame(
        {
            "source": authors.iloc[replies].to_numpy(),
            "target": authors.iloc[parents[replies]].to_numpy(),
        }
    ).dropna()
    if pairs.empty:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in NETWORK_SCHEMA.items()})
    edges = pairs.groupby(["source", "target"]).size().rename("replies").reset_index()
    edges = edges.sort_values(["replies", "source", "target"], ascending=[False, True, True], kind="stable")
    return edges.astype(NETWORK_SCHEMA).reset_index(drop=True)


def reciprocity(network: pd.DataFrame) -> float | None:
    """Share of connected pairs of people who answered each other both ways.

    Pairs are unordered pairs of two different people with a reply at least one way;
    self-replies are not pairs. None when there is no such pair.
    """
    codes, _ = pd.factorize(pd.concat([network["source"], network["target"]], ignore_index=True))
    source, target = codes[: len(network)], codes[len(network) :]
    mutual, pairs = pair_counts(source, target, network["replies"].to_numpy())
    return round(mutual / pairs, 4) if pairs else None


def pair_counts(source: np.ndarray, target: np.ndarray, replies: np.ndarray, at_least: int = 1) -> tuple[int, int]:
    """(pairs who each answered the other at least ``at_least`` times, pairs with any reply), by integer person codes.

    One row per directed (source, target) edge with its reply count; self-replies are no pair.
    Sorting and membership tests only, so a big network costs n log n rather than a Python loop.
    """
    apart = source != target
    source, target, replies = source[apart], target[apart], replies[apart]
    people = int(max(source.max(initial=-1), target.max(initial=-1))) + 1
    low, high = np.minimum(source, target), np.maximum(source, target)
    ordered = np.sort(low.astype(np.int64) * people + high)
    pairs = int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1 if len(ordered) else 0
    strong = replies >= at_least
    keys = source[strong].astype(np.int64) * people + target[strong]
    reverse = target[strong].astype(np.int64) * people + source[strong]
    return int(np.isin(reverse, keys).sum()) // 2, pairs
