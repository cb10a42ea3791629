"""A shape of data that analysis makes and writers write: rows that nest, kept as columns.

It lives apart from both, so that analysis needs nothing of output, and free of heavy imports,
so that the CLI can load the writers without pandas (``--help`` stays fast).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass(frozen=True)
class NestedRows:
    """Rows that nest, kept as columns: in JSON each row is an object of its columns and then, under
    ``key``, the array of the rows nested in it. The rows come in the nested order (a row, then all
    that is nested in it), each with its level: 0 at the top, at most one more than the row before."""

    rows: pd.DataFrame
    levels: np.ndarray
    key: str = "replies"
