"""Reply structure as integer arrays: the parent of each row and what hangs under it.

Every analysis needs "who replied to whom"; computing it once per call as row numbers
keeps the rest vectorised. A ``source`` column (a corpus of several pages) scopes ids
to their page, since ids are unique only within one page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commentscope.errors import InputError


def arrow_strings(column: pd.Series) -> pa.Array:
    """A str column as one Arrow array (a frame built by concatenation may hold it in chunks)."""
    values = pa.array(column, pa.large_string())
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def parent_rows(comments: pd.DataFrame) -> np.ndarray:
    """Row number (0-based, positional) of each comment's parent; -1 for a top-level comment."""
    if "source" in comments.columns:
        keys = pd.MultiIndex.from_arrays([comments["source"], comments["id"]])
        wanted = pd.MultiIndex.from_arrays([comments["source"], comments["parent_id"]])
        if not keys.is_unique:
            raise InputError("comment ids are not unique")
        parents = keys.get_indexer(wanted).astype(np.int64)
    else:
        ids = arrow_strings(comments["id"])
        if len(ids.dictionary_encode().dictionary) != len(ids):  # a quicker distinct count than count_distinct
            raise InputError("comment ids are not unique")
        found = pc.index_in(arrow_strings(comments["parent_id"]), value_set=ids)
        parents = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    orphans = comments["parent_id"].notna().to_numpy() & (parents < 0)
    if orphans.any():
        missing = comments["parent_id"][orphans].iloc[0]
        raise InputError(f"a reply names an unknown parent comment {missing!r}")
    return parents


def subtree_sizes(depth: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Comments in the subtree under each row, the row itself included.

    One depth at a time, deepest first, so every child has handed its size up before its parent
    does; depth (parent's + 1) orders the rows whatever their order in the frame.
    """
    sizes = np.ones(len(parents), dtype=np.int64)
    by_depth = np.argsort(depth, kind="stable")
    level_starts = np.searchsorted(depth[by_depth], np.arange(int(depth.max(initial=0)) + 2))
    for level in range(len(level_starts) - 2, 0, -1):
        rows = by_depth[level_starts[level] : level_starts[level + 1]]
        rows = rows[parents[rows] >= 0]
        np.add.at(sizes, parents[rows], sizes[rows])
    return sizes


def reply_counts(parents: np.ndarray) -> np.ndarray:
    """Direct replies to each row."""
    return np.bincount(parents[parents >= 0], minlength=len(parents)).astype(np.int64)
