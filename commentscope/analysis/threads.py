"""Each top-level comment's subthread as a thread of its own: size, shape, people and timing.

A page's figures mix conversations that never met; researchers compare subthreads, so
each gets one row. Everything is array work over the comments, one pass per depth level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from commentscope.analysis._structure import parent_rows, people_codes, subtree_sizes
from commentscope.errors import InputError
from commentscope.ordering import depth_levels

#: Column -> dtype of ``subthread_table`` (a corpus adds ``source`` first).
SUBTHREAD_SCHEMA: dict[str, str] = {
    "id": "str",
    "author": "str",
    "size": "int64",
    "depth": "int64",
    "width": "int64",
    "participants": "int64",
    "first_reply_minutes": "float64",
    "duration_hours": "float64",
    "share": "float64",
    "structural_virality": "float64",
    "h_index": "int64",
}

_ASCENDING = {"source", "id", "author"}
_DIGITS = 4


def root_rows(depth: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Row of each comment's top-level ancestor (a top-level comment is its own).

    Shallowest level first, so every parent knows its root before its children ask.
    """
    roots = np.arange(len(parents), dtype=np.int64)
    for rows in depth_levels(depth)[1:]:
        roots[rows] = roots[parents[rows]]
    return roots


def subthread_table(
    comments: pd.DataFrame,
    sort_by: str | None = None,
    limit: int | None = None,
    sentiment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per top-level comment, in page order unless ``sort_by`` names a column.

    size: comments in the subthread, the top-level one included; depth: its deepest reply
    level (0 without replies); width: most comments on one level; participants: distinct
    named people (anonymous comments, pingbacks and trackbacks are nobody); first_reply_minutes: from the comment to
    its first direct reply; duration_hours: from the first reply to the last; share: of the
    page's comments; structural_virality and h_index of the subthread as a tree of its own,
    rooted at the top-level comment (None / 0 without replies). Sorted largest first (ids
    and names in order), ties kept in page order; ``limit`` keeps that many rows.
    ``sentiment`` (``sentiment_by_subthread``) adds its columns, one row per top-level comment.
    """
    has_pages = "source" in comments.columns
    columns = (["source"] if has_pages else []) + list(SUBTHREAD_SCHEMA)
    if sentiment is not None:
        columns += list(sentiment.columns)
    if sort_by is not None and sort_by not in columns:
        raise InputError(f"cannot sort subthreads by {sort_by!r}; choose one of: {', '.join(columns)}")
    if limit is not None and limit < 0:
        raise InputError(f"limit must be 0 or more, not {limit}")
    depth = comments["depth"].to_numpy(dtype=np.int64)
    parents = parent_rows(comments)
    roots = root_rows(depth, parents)
    top = np.flatnonzero(depth == 0)
    n = len(comments)
    size = np.bincount(roots, minlength=n)[top]
    max_depth = np.zeros(n, dtype=np.int64)
    np.maximum.at(max_depth, roots, depth)
    table = pd.DataFrame(
        {
            "id": comments["id"].to_numpy()[top],
            "author": comments["author"].to_numpy()[top],
            "size": size,
            "depth": max_depth[top],
            "width": _width(roots, depth, n)[top],
            "participants": _participants(people_codes(comments)[0], roots, n)[top],
        }
    )
    first_reply, duration = _timing(comments["timestamp"], parents, roots, depth, n)
    table["first_reply_minutes"] = first_reply[top]
    table["duration_hours"] = duration[top]
    page_size = _page_sizes(comments, has_pages)
    table["share"] = np.round(size / page_size[top], _DIGITS) if len(top) else np.array([], dtype=np.float64)
    table["structural_virality"] = _virality(depth, parents, roots, n)[top]
    table["h_index"] = _h_index(roots, depth, n)[top]
    if has_pages:
        table.insert(0, "source", comments["source"].to_numpy()[top])
    table = table.astype({"source": "str", **SUBTHREAD_SCHEMA} if has_pages else SUBTHREAD_SCHEMA)
    if sentiment is not None:
        table = pd.concat([table, sentiment.reset_index(drop=True)], axis=1)
    if sort_by is not None:
        table = table.sort_values(sort_by, ascending=sort_by in _ASCENDING, na_position="last", kind="stable")
    if limit is not None:
        table = table.head(limit)
    return table.reset_index(drop=True)[columns]


def _width(roots: np.ndarray, depth: np.ndarray, n: int) -> np.ndarray:
    width = np.zeros(n, dtype=np.int64)
    root, _, counts = _per_level(roots, depth)
    np.maximum.at(width, root, counts)
    return width


def _participants(codes: np.ndarray, roots: np.ndarray, n: int) -> np.ndarray:
    """Distinct named people (``people_codes``) under each root."""
    named = codes >= 0
    width = int(codes.max(initial=0)) + 1
    pairs = np.unique(roots[named] * width + codes[named])
    return np.bincount(pairs // width, minlength=n).astype(np.int64)


def _timing(
    timestamps: pd.Series, parents: np.ndarray, roots: np.ndarray, depth: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes from each root to its first direct reply; hours from its first reply to its last."""
    ticks = timestamps.to_numpy().astype("datetime64[us]").astype(np.int64)
    dated = ~np.isnat(timestamps.to_numpy())
    big, small = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    replies = (depth > 0) & dated
    first, last = np.full(n, big), np.full(n, small)
    np.minimum.at(first, roots[replies], ticks[replies])
    np.maximum.at(last, roots[replies], ticks[replies])
    duration = np.where(first < big, (last - first) / 3.6e9, np.nan)
    direct = (depth == 1) & dated
    first_direct = np.full(n, big)
    np.minimum.at(first_direct, roots[direct], ticks[direct])
    answered = (first_direct < big) & dated
    first_reply = np.full(n, np.nan)
    first_reply[answered] = (first_direct[answered] - ticks[answered]) / 6e7
    return np.round(first_reply, _DIGITS), np.round(duration, _DIGITS)


def _page_sizes(comments: pd.DataFrame, has_pages: bool) -> np.ndarray:
    if not has_pages:
        return np.full(len(comments), len(comments), dtype=np.int64)
    return comments.groupby("source", sort=False)["id"].transform("size").to_numpy(dtype=np.int64)


def _virality(depth: np.ndarray, parents: np.ndarray, roots: np.ndarray, n: int) -> np.ndarray:
    """Mean distance between the subthread's pairs of comments: 2·s·(m−s) over each non-root edge, over m(m−1)."""
    sizes = subtree_sizes(depth, parents).astype(np.float64)
    m = np.bincount(roots, minlength=n).astype(np.float64)
    reply = depth > 0
    paths = np.bincount(roots[reply], weights=2 * sizes[reply] * (m[roots[reply]] - sizes[reply]), minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(m > 1, paths / (m * (m - 1)), np.nan)
    return np.round(value, _DIGITS)


def _h_index(roots: np.ndarray, depth: np.ndarray, n: int) -> np.ndarray:
    """The largest h such that reply level h under the root holds at least h comments; 0 without replies."""
    h = np.zeros(n, dtype=np.int64)
    reply = depth > 0
    root, level, counts = _per_level(roots[reply], depth[reply])
    qualifies = counts >= level
    np.maximum.at(h, root[qualifies], level[qualifies])
    return h


def _per_level(roots: np.ndarray, depth: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(root, level, comments) for every level of every subthread that holds a comment."""
    levels = int(depth.max(initial=0)) + 1
    keys, counts = np.unique(roots * levels + depth, return_counts=True)
    return keys // levels, keys % levels, counts
