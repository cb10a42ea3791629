"""The reply tree, nested for JSON or flat for tables, whole or from one comment down.

The frame's row order is taken as document order (a reply after the comment it
answers), as every reader produces it; children keep that order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentscope.analysis._structure import parent_rows, reply_counts
from commentscope.analysis.filters import with_ancestors
from commentscope.errors import InputError

_NODE_FIELDS = ["id", "author", "timestamp", "depth", "words", "replies_count", "text"]


def tree_rows(
    comments: pd.DataFrame,
    root: str | None = None,
    max_depth: int | None = None,
    *,
    source: str | None = None,
    selected: np.ndarray | None = None,
) -> pd.DataFrame:
    """The comments ``reply_tree`` would nest, flat, in document order, plus ``replies_count``.

    ``root`` keeps one comment and everything under it; ``max_depth`` keeps rows whose
    absolute depth is at most that. ``replies_count`` counts direct replies in the whole
    thread, so a row cut off by ``max_depth`` still shows that it was answered.
    ``source`` names the page of ``root`` in a corpus where ids repeat across pages.
    ``selected`` (a mask from ``filters.select_comments``) keeps the selected comments and
    their ancestors, and adds a ``context`` column, True for an ancestor shown only to place them.
    """
    parents = parent_rows(comments)
    keep, context = _selection(comments, parents, root, max_depth, source, selected)
    rows = comments.iloc[np.flatnonzero(keep)].reset_index(drop=True)
    rows["replies_count"] = reply_counts(parents)[keep]
    if context is not None:
        rows["context"] = context[keep]
    return rows


def reply_tree(
    comments: pd.DataFrame,
    root: str | None = None,
    max_depth: int | None = None,
    *,
    source: str | None = None,
    selected: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """The selection of ``tree_rows`` as nested dicts: a list of roots, replies in document order.

    Each node holds id, author (None if anonymous), timestamp (``pd.Timestamp`` or None),
    depth, words, replies_count, text and replies; a ``source`` key leads when the frame
    has a ``source`` column, and a ``context`` key follows text when ``selected`` is given.
    Built without recursion, so any depth works here; note that
    the stdlib ``json`` encoder itself recurses and fails on very deep nesting.
    """
    parents = parent_rows(comments)
    keep, context = _selection(comments, parents, root, max_depth, source, selected)
    shown = np.flatnonzero(keep)
    fields = (["source"] if "source" in comments.columns else []) + _NODE_FIELDS
    columns = {name: _plain(comments[name].iloc[shown]) for name in fields if name != "replies_count"}
    columns["replies_count"] = reply_counts(parents)[shown].tolist()
    if context is not None:
        fields = [*fields, "context"]
        columns["context"] = context[shown].tolist()
    parent_of = parents.tolist()
    nodes: dict[int, dict[str, Any]] = {}
    forest: list[dict[str, Any]] = []
    for row, values in zip(shown.tolist(), zip(*(columns[name] for name in fields), strict=True), strict=True):
        node = dict(zip(fields, values, strict=True))
        node["replies"] = []
        nodes[row] = node
        parent = nodes.get(parent_of[row])
        (forest if parent is None else parent["replies"]).append(node)
    return forest


def json_nesting(forest: list[dict[str, Any]]) -> int:
    """How deep a forest of ``reply_tree`` nests as JSON: the outer array, then an object and its
    replies array for each level of replies."""
    deepest = 0
    stack = [(node, 1) for node in forest]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node["replies"])
    return 1 + 2 * deepest


def _selection(
    comments: pd.DataFrame,
    parents: np.ndarray,
    root: str | None,
    max_depth: int | None,
    source: str | None,
    selected: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Boolean masks of the rows to show and, with ``selected``, of those shown only as context."""
    depth = comments["depth"].to_numpy(dtype=np.int64)
    keep = np.ones(len(comments), dtype=bool)
    context = None
    if selected is not None:
        selected = np.asarray(selected, dtype=bool)
        if len(selected) != len(comments):
            raise ValueError(f"selected has {len(selected)} entries for {len(comments)} comments")
        keep = with_ancestors(comments, selected, parents)
        context = keep & ~selected
    if max_depth is not None:
        if max_depth < 0:
            raise InputError(f"max depth must be 0 or more, not {max_depth}")
        keep &= depth <= max_depth
    if root is not None:
        keep &= _subtree(depth, parents, _root_row(comments, root, source))
    elif source is not None:
        raise InputError("a page can only be named together with a root comment")
    return keep, context


def _root_row(comments: pd.DataFrame, root: str, source: str | None) -> int:
    matches = comments["id"] == root
    if source is not None:
        if "source" not in comments.columns:
            raise InputError(f"no page {source!r}: the comments come from a single page")
        matches &= comments["source"] == source
    rows = np.flatnonzero(matches.to_numpy())
    if len(rows) == 0:
        where = f" in {source!r}" if source is not None else ""
        raise InputError(f"no comment with id {root!r}{where}")
    if len(rows) > 1:
        raise InputError(f"comment id {root!r} occurs on several pages; name the page as PAGE:{root}")
    return int(rows[0])


def _subtree(depth: np.ndarray, parents: np.ndarray, top: int) -> np.ndarray:
    """Mask of ``top`` and its descendants; shallow rows first, so parents are decided first."""
    inside = [False] * len(parents)
    inside[top] = True
    parent_of = parents.tolist()
    below = np.flatnonzero(depth > depth[top])
    for row in below[np.argsort(depth[below], kind="stable")].tolist():
        inside[row] = inside[parent_of[row]]
    return np.asarray(inside, dtype=bool)


def _plain(values: pd.Series) -> list[Any]:
    """Python values for JSON-minded callers: None for missing, ints not numpy ints."""
    return values.astype(object).where(values.notna(), None).tolist()
