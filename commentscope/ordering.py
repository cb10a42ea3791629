"""Orders of rows, computed as numpy computes them fastest: the same results as ``np.argsort(kind="stable")``
and ``np.lexsort``, by the sorts numpy does quickly (radix sorts of 16-bit integers, one sort of
one integer key rather than a lexsort of several). Kept apart from the rules that use them, so
that a rule reads as what it orders by.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np


def stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` of non-negative integers: below 2**16 one radix sort,
    below 2**32 two of 16 bits each (numpy radix-sorts 16-bit integers; wider ones it merge-sorts,
    several times slower)."""
    if not len(keys) or keys.max() >= 1 << 32 or keys.min() < 0:
        return np.argsort(keys, kind="stable")
    if keys.max() < 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    by_low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    return by_low[np.argsort((keys[by_low] >> 16).astype(np.uint16), kind="stable")]


def depth_levels(depth: np.ndarray) -> list[np.ndarray]:
    """The rows at each depth (0, 1, 2...), each level's in row order: what every pass that works
    one level at a time walks, top down or (reversed) bottom up."""
    by_depth = stable_order(depth)
    starts = np.searchsorted(depth[by_depth], np.arange(int(depth.max(initial=0)) + 2))
    return [by_depth[start:stop] for start, stop in pairwise(starts)]


def lexsort(keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """``np.lexsort(keys)`` (the last key sorts first, ties kept in order), as one stable sort of a
    single integer key where the keys fit in one: numpy's lexsort of several keys costs many times
    the sort of one. A key too wide to fit is replaced by its rank among its distinct values, which
    keeps the order; keys that still do not fit go to ``np.lexsort``."""
    combined = _combined_key(keys)
    return np.lexsort(keys) if combined is None else stable_order(combined)


#: Below this, a product of key widths fits in an int64 with room to spare.
KEY_LIMIT = 2**62


def _combined_key(keys: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """One int64 per row ordering as ``keys`` do (the last first); None when they cannot share one."""
    if not len(keys) or not len(keys[-1]):
        return None
    combined, width = np.zeros(len(keys[-1]), dtype=np.int64), 1
    for key in reversed(keys):
        shifted = None
        if key.dtype.kind in "biu":
            low, high = int(key.min()), int(key.max())
            span = high - low + 1
            if width * span < KEY_LIMIT and high < 2**63:
                shifted = key.astype(np.int64) - low
        if shifted is None:
            distinct, shifted = np.unique(key, return_inverse=True)
            span = len(distinct)
            if width * span >= KEY_LIMIT or (key.dtype.kind == "f" and np.isnan(distinct).any()):
                return None
        combined, width = combined * span + shifted, width * span
    return combined
