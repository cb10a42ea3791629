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
    edges = network.loc[network["source"] != network["target"], ["source", "target"]]
    directed = set(zip(edges["source"], edges["target"], strict=True))
    pairs = {frozenset(edge) for edge in directed}
    if not pairs:
        return None
    mutual = sum(1 for a, b in directed if (b, a) in directed) // 2
    return round(mutual / len(pairs), 4)
