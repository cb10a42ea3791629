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
from commentscope.nested import NestedRows

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


def reply_forest(
    comments: pd.DataFrame,
    root: str | None = None,
    max_depth: int | None = None,
    *,
    source: str | None = None,
    selected: np.ndarray | None = None,
) -> NestedRows:
    """``reply_tree`` as columns, for the JSON writer to nest: the nodes' fields in the tree's order,
    each with its level in it. No object is made per comment, so a large thread's tree costs
    about as much memory as its rows."""
    parents = parent_rows(comments)
    keep, context = _selection(comments, parents, root, max_depth, source, selected)
    shown = np.flatnonzero(keep)
    order, levels = _nesting(comments["depth"].to_numpy(dtype=np.int64)[shown], _shown_parents(parents, shown))
    rows = shown if order is None else shown[order]
    fields = (["source"] if "source" in comments.columns else []) + _NODE_FIELDS
    taken = [name for name in fields if name != "replies_count"]
    if order is None and len(shown) == len(comments):
        frame = comments[taken]  # the frame's own columns, not copied
    else:
        frame = comments[taken].iloc[rows].reset_index(drop=True)
    frame.insert(fields.index("replies_count"), "replies_count", reply_counts(parents)[rows])
    if context is not None:
        frame["context"] = context[rows]
    return NestedRows(frame, levels)


def json_nesting(forest: list[dict[str, Any]] | NestedRows) -> int:
    """How deep a forest of ``reply_tree`` (or ``reply_forest``) nests as JSON: the outer array, then
    an object and its replies array for each level of replies."""
    if isinstance(forest, NestedRows):
        return 1 + 2 * (int(forest.levels.max()) + 1 if len(forest.levels) else 0)
    deepest = 0
    stack = [(node, 1) for node in forest]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in node["replies"])
    return 1 + 2 * deepest


def _shown_parents(parents: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """Each shown row's parent as a place among the shown rows; -1 where it is not shown above
    the row (the row then heads a tree of its own, as in ``reply_tree``)."""
    place = np.full(len(parents) + 1, -1, dtype=np.int64)  # parents' -1 reads the last entry: not shown
    place[shown] = np.arange(len(shown))
    above = place[parents[shown]]
    return np.where(above < np.arange(len(shown)), above, -1)


def _nesting(depth: np.ndarray, parents: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """The order of the tree (None: the rows' own) and each row's level in it, for rows whose
    parents are given as earlier places (-1 for a tree's top).

    The rows are most often in the tree's order already, as readers write them: levels are then
    depths less the tops' depth, and the rows are in order when each parent is the latest row one
    level up and no row is more than one level below the one before it. Else the trees are walked.
    """
    count = len(parents)
    if count == 0:
        return None, np.zeros(0, dtype=np.int64)
    top = parents < 0
    levels = depth - depth[0]
    below = np.flatnonzero(~top)
    if (levels[top] == 0).all() and (levels[below] == levels[parents[below]] + 1).all():
        steps_ok = bool((np.diff(levels) <= 1).all())
        by_level = np.argsort(levels, kind="stable")
        keys = levels[by_level] * count + by_level  # (level, place), increasing
        latest = np.searchsorted(keys, (levels[below] - 1) * count + below) - 1
        if steps_ok and (by_level[latest] == parents[below]).all():
            return None, levels
    return _walked(parents)


def _walked(parents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Depth first, children in their rows' order: what ``reply_tree`` builds, as an order and levels."""
    children = np.argsort(parents, kind="stable").tolist()  # the tops first, then each row's children
    starts = np.concatenate([[0], np.cumsum(np.bincount(parents + 1, minlength=len(parents) + 1))]).tolist()
    order: list[int] = []
    levels: list[int] = []
    stack = [(row, 0) for row in reversed(children[: starts[1]])]
    while stack:
        row, level = stack.pop()
        order.append(row)
        levels.append(level)
        stack.extend((child, level + 1) for child in reversed(children[starts[row + 1] : starts[row + 2]]))
    return np.asarray(order, dtype=np.int64), np.asarray(levels, dtype=np.int64)


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
