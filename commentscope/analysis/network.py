"""Who answers whom: the directed reply network between commenters.

The comments without a name are many people whose names the page lost. By default they are
one node, null in the data and ``(anonymous)`` in tables, so that the exchanges with them
stay visible; it is never one person, so it takes no part in reciprocity or mutual pairs.
Pingbacks and trackbacks are nobody (``_structure.by_people``): no node, and no edge either way.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from commentscope.analysis._structure import by_people, parent_rows, replies_between_people
from commentscope.ordering import lexsort

#: Column -> dtype of ``reply_network``; a null source or target is the anonymous node.
NETWORK_SCHEMA: dict[str, str] = {"source": "str", "target": "str", "replies": "int64"}

#: Column -> dtype of ``mutual_pairs``.
MUTUAL_SCHEMA: dict[str, str] = {
    "person_a": "str",
    "person_b": "str",
    "a_to_b": "int64",
    "b_to_a": "int64",
    "replies": "int64",
}


def reply_network(
    comments: pd.DataFrame,
    *,
    named_only: bool = False,
    self_replies: bool = False,
    selected: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per (replier, author replied to) pair, with the count of replies.

    The anonymous comments are one node (null); ``named_only`` leaves out every reply from
    or to them instead. A named person answering their own comment is left out unless
    ``self_replies`` (``self_reply_count`` counts them); an anonymous comment answering
    another is kept, as they may be two people. ``selected`` (a mask from
    ``filters.select_comments``) counts only the selected replies, whoever they answer.
    Across several pages the same name is the same person. Sorted by replies, most
    first, then by names in ``name_order`` (the anonymous node after the names).
    """
    replier, answered = _reply_pairs(comments, selected)
    codes, names = pd.factorize(pd.concat([replier, answered], ignore_index=True))
    source, target = codes[: len(replier)], codes[len(replier) :]
    keep = np.ones(len(source), dtype=bool)
    if named_only:
        keep &= (source >= 0) & (target >= 0)
    if not self_replies:
        keep &= (source != target) | (source < 0)
    anonymous = len(names)  # the node code of the anonymous comments
    source = np.where(source < 0, anonymous, source)[keep]
    target = np.where(target < 0, anonymous, target)[keep]
    if len(source) == 0:
        return _empty(NETWORK_SCHEMA)
    people = anonymous + 1
    keys, replies = np.unique(source.astype(np.int64) * people + target, return_counts=True)
    source, target = keys // people, keys % people
    rank = _ranks(names)
    order = lexsort((rank[target], rank[source], -replies))
    labels = np.array([*names.tolist(), None], dtype=object)
    edges = pd.DataFrame({"source": labels[source[order]], "target": labels[target[order]], "replies": replies[order]})
    return edges.astype(NETWORK_SCHEMA)


def self_reply_count(comments: pd.DataFrame, *, selected: np.ndarray | None = None) -> int:
    """Replies by a named person to their own comment (the ones ``reply_network`` leaves out by default)."""
    replier, answered = _reply_pairs(comments, selected)
    return int((replier.notna() & (replier == answered)).sum())


def reciprocity(network: pd.DataFrame) -> float | None:
    """Share of connected pairs of people who answered each other both ways.

    Pairs are unordered pairs of two different named people with a reply at least one way;
    self-replies and the anonymous node are no pairs. None when there is no such pair.
    """
    named = network[network["source"].notna() & network["target"].notna()]
    codes, _ = pd.factorize(pd.concat([named["source"], named["target"]], ignore_index=True))
    source, target = codes[: len(named)], codes[len(named) :]
    mutual, pairs = pair_counts(source, target, named["replies"].to_numpy())
    return round(mutual / pairs, 4) if pairs else None


def mutual_pairs(network: pd.DataFrame) -> pd.DataFrame:
    """The pairs of named people who answered each other, one row each, with both counts.

    person_a is the one who replied more (the first in ``name_order`` on a tie); sorted by
    the pair's replies, most first, then by the smaller of the two counts, then by names.
    """
    named = network[network["source"].notna() & network["target"].notna() & (network["source"] != network["target"])]
    count = {(s, t): int(n) for s, t, n in named.itertuples(index=False, name=None)}
    rows = []
    for (source, target), there in count.items():
        back = count.get((target, source))
        if back is None:
            continue
        a_first = there > back or (there == back and name_order(source) < name_order(target))
        if a_first:
            rows.append((source, target, there, back, there + back))
    if not rows:
        return _empty(MUTUAL_SCHEMA)
    rows.sort(key=lambda row: (-row[4], -row[3], name_order(row[0]), name_order(row[1])))
    return pd.DataFrame(rows, columns=list(MUTUAL_SCHEMA)).astype(MUTUAL_SCHEMA)


def name_order(name: str) -> tuple[str, str, str]:
    """Sort key for names: case and accents ignored first ("émile" beside "Emile", "ann" beside
    "Ann"), then accents, then case, so the order is total and the same on every machine."""
    folded = name.casefold()
    bare = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    return bare, folded, name


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


def _reply_pairs(comments: pd.DataFrame, selected: np.ndarray | None) -> tuple[pd.Series, pd.Series]:
    """(author of each counted reply, author of the comment it answers); null for anonymous.

    Counted: the replies between people, selected when ``selected`` is given."""
    parents = parent_rows(comments)
    replies = replies_between_people(parents, by_people(comments))
    if selected is not None:
        replies = replies[np.asarray(selected, dtype=bool)[replies]]
    authors = comments["author"]
    return (
        authors.iloc[replies].reset_index(drop=True),
        authors.iloc[parents[replies]].reset_index(drop=True),
    )


def _ranks(names: pd.Index) -> np.ndarray:
    """Each name's place in ``name_order``, and the anonymous node (code ``len(names)``) last."""
    order = sorted(range(len(names)), key=lambda code: name_order(names[code]))
    rank = np.empty(len(names) + 1, dtype=np.int64)
    rank[order] = np.arange(len(names))
    rank[len(names)] = len(names)
    return rank


def _empty(schema: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in schema.items()})
