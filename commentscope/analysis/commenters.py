"""Who commented, how much, and with whom: one row per named commenter.

Anonymous comments are different people whose names the page lost, so they are never
merged into one commenter: they share one final summary row (author null,
``anonymous`` True), which never counts as anyone's replier or partner and never
takes a place in a top-N list. Pingbacks and trackbacks are nobody
(``_structure.by_people``): no row, no replier, no partner. Across several pages (a
``source`` column) the same name is taken to be the same person.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from commentscope.analysis._structure import by_people, parent_rows, people_codes
from commentscope.analysis.network import name_order
from commentscope.errors import InputError

#: Columns of ``commenter_table``, in order; ``pages`` is added when the frame has a ``source`` column.
COMMENTER_COLUMNS: list[str] = [
    "author",
    "anonymous",
    "comments",
    "top_level",
    "replies_made",
    "replies_received",
    "distinct_repliers",
    "distinct_partners",
    "words",
    "mean_words",
    "first_seen",
    "last_seen",
]

#: Sort keys that read best smallest first; every other sort key puts the largest first.
_ASCENDING = {"author", "first_seen", "last_seen"}


def commenter_table(
    comments: pd.DataFrame,
    sort_by: str = "comments",
    top: int | None = None,
    *,
    selected: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per named commenter, then the anonymous row when there are anonymous comments.

    replies_made: their comments that answer another comment (any author, a pingback too).
    replies_received: direct replies to their comments, from anyone, themselves included.
    distinct_repliers / distinct_partners: named people other than themselves who
    answered them / whom they answered.
    Sorted by ``sort_by`` (largest first, but author and dates earliest first), ties by
    first_seen then author; names compare as in ``network.name_order`` (case and accents
    aside); ``top`` keeps that many named commenters.
    ``selected`` (a mask from ``filters.select_comments``) describes each person by their
    selected comments only, with the replies those received from anyone, selected or not.
    """
    has_pages = "source" in comments.columns
    columns = COMMENTER_COLUMNS + (["pages"] if has_pages else [])
    if sort_by not in columns or sort_by == "anonymous":
        choices = ", ".join(name for name in columns if name != "anonymous")
        raise InputError(f"cannot sort commenters by {sort_by!r}; choose one of: {choices}")
    if top is not None and top < 0:
        raise InputError(f"top must be 0 or more, not {top}")
    table = _tally(comments, has_pages, selected)
    named = table[~table["anonymous"]]
    named = named.assign(_name=[name_order(name) for name in named["author"]])
    keys = [key if key != "author" else "_name" for key in dict.fromkeys([sort_by, "first_seen", "author"])]
    named = named.sort_values(
        keys, ascending=[key in _ASCENDING or key == "_name" for key in keys], na_position="last", kind="stable"
    ).drop(columns="_name")
    if top is not None:
        named = named.head(top)
    return pd.concat([named, table[table["anonymous"]]]).reset_index(drop=True)[columns]


def _tally(comments: pd.DataFrame, has_pages: bool, selected: np.ndarray | None) -> pd.DataFrame:
    """Unsorted table; row 0 gathers the anonymous comments and is dropped when there are none."""
    codes, names = people_codes(comments)
    who = codes + 1  # 0 = anonymous, k = names[k - 1], negative = nobody
    groups = len(names) + 1
    parents = parent_rows(comments)
    people = by_people(comments)
    chosen = people if selected is None else people & np.asarray(selected, dtype=bool)
    replies = parents >= 0
    made = replies & chosen  # selected replies, whoever they answer
    received = np.flatnonzero(replies & people)
    received = received[chosen[parents[received]]]  # replies to selected comments, from anyone
    depth = comments["depth"].to_numpy()
    timestamps = comments["timestamp"][chosen].groupby(who[chosen])
    count = np.bincount(who[chosen], minlength=groups)
    words = np.bincount(who[chosen], weights=comments["words"].to_numpy(dtype=np.float64)[chosen], minlength=groups)
    table = pd.DataFrame(
        {
            "author": pd.Series([None, *names.to_pylist()], dtype="str"),
            "anonymous": np.arange(groups) == 0,
            "comments": count,
            "top_level": np.bincount(who[chosen & (depth == 0)], minlength=groups),
            "replies_made": np.bincount(who[made], minlength=groups),
            "replies_received": np.bincount(who[parents[received]], minlength=groups),
            "distinct_repliers": _distinct(who[parents[received]], who[received], who[received] > 0, groups),
            "distinct_partners": _distinct(who[made], who[parents[made]], who[parents[made]] > 0, groups),
            "words": words.astype(np.int64),
            "mean_words": np.round(words / np.maximum(count, 1), 2),
            "first_seen": timestamps.min().reindex(range(groups)).to_numpy(),
            "last_seen": timestamps.max().reindex(range(groups)).to_numpy(),
        }
    )
    table["first_seen"] = table["first_seen"].astype(comments["timestamp"].dtype)
    table["last_seen"] = table["last_seen"].astype(comments["timestamp"].dtype)
    if has_pages:
        table["pages"] = comments["source"][chosen].groupby(who[chosen]).nunique().reindex(range(groups), fill_value=0)
    return table[count > 0]


def _distinct(owner: np.ndarray, other: np.ndarray, counted: np.ndarray, groups: int) -> np.ndarray:
    """Per owner, the number of distinct ``other`` people where ``counted``, never the owner itself."""
    mask = counted & (owner != other)
    pairs = np.unique(owner[mask] * groups + other[mask])
    return np.bincount(pairs // groups, minlength=groups)
