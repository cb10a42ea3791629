"""Reply structure as integer arrays: the parent of each row, what hangs under it, and who wrote it.

Every analysis needs "who replied to whom"; computing it once per call as row numbers
keeps the rest vectorised. A ``source`` column (a corpus of several pages) scopes ids
to their page, since ids are unique only within one page. Who counts as a person is
decided here once (``by_people``, ``author_codes``), for every figure about people.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commentscope.errors import InputError
from commentscope.ordering import KEY_LIMIT, depth_levels, lexsort


def arrow_strings(column: pd.Series) -> pa.Array:
    """A str column as one Arrow array (a frame built by concatenation may hold it in chunks)."""
    values = pa.array(column, pa.large_string())
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


#: The kinds of comment (``model.COMMENT_SCHEMA``'s ``kind``) that no person wrote: another
#: site's notice that it linked to the page.
LINK_NOTICES = ("pingback", "trackback")

#: The ``author_codes`` of a comment by a person who left no name, and of one no person wrote.
ANONYMOUS, NOBODY = -1, -2


def by_people(comments: pd.DataFrame) -> np.ndarray:
    """Whether a person, named or anonymous, wrote each comment.

    A pingback or trackback is a comment of the page (its tree, its count) but nobody: no
    commenter, no node or end of a reply between people, no participant. A frame without a
    ``kind`` column holds comments only.
    """
    if "kind" not in comments.columns:
        return np.ones(len(comments), dtype=bool)
    return ~comments["kind"].isin(LINK_NOTICES).to_numpy(dtype=bool)


def author_codes(authors: pa.Array, people: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """(a code per row, the names the codes index): a named person's place among the names, in
    order of first appearance; ``ANONYMOUS`` for a person without a name; ``NOBODY`` where no
    person wrote the row (``people``, from ``by_people``), so that a pingback's title is no name."""
    if people.all():
        encoded = authors.dictionary_encode()
        return _codes(encoded), encoded.dictionary
    encoded = authors.filter(pa.array(people)).dictionary_encode()
    codes = np.full(len(authors), NOBODY, dtype=np.int64)
    codes[people] = _codes(encoded)
    return codes, encoded.dictionary


def people_codes(comments: pd.DataFrame) -> tuple[np.ndarray, pa.Array]:
    """``author_codes`` of a comments frame."""
    return author_codes(arrow_strings(comments["author"]), by_people(comments))


def _codes(encoded: pa.DictionaryArray) -> np.ndarray:
    return pc.fill_null(encoded.indices, ANONYMOUS).to_numpy(zero_copy_only=False).astype(np.int64)


def replies_between_people(parents: np.ndarray, people: np.ndarray) -> np.ndarray:
    """Rows of the replies that a person wrote to a person's comment: a pingback answers nobody,
    and answering one answers nobody."""
    replies = np.flatnonzero(parents >= 0)
    return replies[people[replies] & people[parents[replies]]]


def parent_rows(comments: pd.DataFrame) -> np.ndarray:
    """Row number (0-based, positional) of each comment's parent; -1 for a top-level comment."""
    if "source" in comments.columns:
        scopes = pd.factorize(comments["source"])[0]
    else:
        scopes = np.zeros(len(comments), dtype=np.int64)
    ids, parent_ids = arrow_strings(comments["id"]), arrow_strings(comments["parent_id"])
    return scoped_parent_rows(ids, parent_ids, scopes, comments["depth"].to_numpy(dtype=np.int64))


def subtree_sizes(depth: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Comments in the subtree under each row, the row itself included.

    One depth at a time, deepest first, so every child has handed its size up before its parent
    does; depth (parent's + 1) orders the rows whatever their order in the frame.
    """
    sizes = np.ones(len(parents), dtype=np.int64)
    for rows in reversed(depth_levels(depth)[1:]):
        rows = rows[parents[rows] >= 0]
        np.add.at(sizes, parents[rows], sizes[rows])
    return sizes


def reply_counts(parents: np.ndarray) -> np.ndarray:
    """Direct replies to each row."""
    return np.bincount(parents[parents >= 0], minlength=len(parents)).astype(np.int64)


def scoped_parent_rows(ids: pa.Array, parent_ids: pa.Array, scopes: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """``parent_rows`` for rows whose ids are unique only within their scope (a page, a thread).

    A frame in page order (as every reader gives it) holds each reply's parent as the nearest row
    above it one level up: taken from there when every reply names that row's id, in its own
    scope, so the parent named is the one found whatever else shares its id. Otherwise ids and
    parents are coded together, so each (scope, id) becomes one integer and the lookup is a
    hash of integers rather than of string pairs.
    """
    if ids.null_count:
        raise InputError("comment ids are not unique")
    above = _in_page_order(parent_ids, scopes, depth, ids)
    if above is not None:
        return above
    count = len(ids)
    encoded = pa.concat_arrays([ids, parent_ids.cast(ids.type)]).dictionary_encode()
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    width = max(len(encoded.dictionary), 1)
    scopes = scopes.astype(np.int64)
    keys = pd.Index(scopes * width + codes[:count])
    if not keys.is_unique:
        raise InputError("comment ids are not unique")
    wanted = codes[count:]
    named = wanted >= 0
    parents = np.full(count, -1, dtype=np.int64)
    parents[named] = keys.get_indexer(scopes[named] * width + wanted[named])
    orphans = named & (parents < 0)
    if orphans.any():
        missing = parent_ids[int(np.flatnonzero(orphans)[0])].as_py()
        raise InputError(f"a reply names an unknown parent comment {missing!r}")
    return parents


def _in_page_order(parent_ids: pa.Array, scopes: np.ndarray, depth: np.ndarray, ids: pa.Array) -> np.ndarray | None:
    """Each row's parent as the nearest row above it one level up, when that is the comment each
    reply names (in its scope) and only replies are below the top level; else None."""
    replies = pc.is_valid(parent_ids).to_numpy(zero_copy_only=False)
    if not np.array_equal(replies, depth > 0):
        return None
    above = _rows_above(depth)
    rows = np.flatnonzero(replies)
    parents = above[rows]
    if (parents < 0).any() or not np.array_equal(scopes[parents], scopes[rows]):
        return None
    named = pc.equal(ids.take(pa.array(parents)), parent_ids.filter(pa.array(replies)))
    return above if pc.all(named).as_py() else None


def _rows_above(depth: np.ndarray) -> np.ndarray:
    """The nearest row above each row one level up (-1 at the top level, or where none is)."""
    above = np.full(len(depth), -1, dtype=np.int64)
    for upper, rows in pairwise(depth_levels(depth)):  # each level's rows in page order
        place = np.searchsorted(upper, rows) - 1
        above[rows] = np.where(place >= 0, upper[np.maximum(place, 0)], -1)
    return above


# Reductions within groups, every group at once. ``labels`` gives each value's group (0..count-1);
# a group without values gets the ``empty`` value (NaN for the float ones).


def group_sum(labels: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Exact int64 sums (a float sum would round past 2**53)."""
    total = np.zeros(count, dtype=np.int64)
    np.add.at(total, labels, values.astype(np.int64))
    return total


def group_extreme(labels: np.ndarray, values: np.ndarray, count: int, *, largest: bool, empty: int) -> np.ndarray:
    out = np.full(count, empty, dtype=np.int64)
    (np.maximum if largest else np.minimum).at(out, labels, values)
    return out


def group_sorted(labels: np.ndarray, values: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values sorted within their group, groups in order; each group's first place; each group's size)."""
    sizes = np.bincount(labels, minlength=count)
    return _by_group_and_value(labels, values)[1], np.cumsum(sizes) - sizes, sizes


def _by_group_and_value(labels: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(labels, values) ordered by label, then value: integer values by one sort of a key holding
    both, where it fits in 63 bits (no order of rows is needed, only the values)."""
    if values.dtype.kind in "iu" and len(values):
        low, high = int(values.min()), int(values.max())
        span = high - low + 1
        if span * (int(labels.max()) + 1) < KEY_LIMIT and high < 2**63:
            keys = np.sort(labels.astype(np.int64) * span + (values.astype(np.int64) - low))
            return keys // span, (keys % span + low).astype(values.dtype)
    order = lexsort((values, labels))
    return labels[order], values[order]


def group_median(labels: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """As ``np.median`` of each group: the middle value, or the mean of the two middle ones, in float64."""
    ordered, starts, sizes = group_sorted(labels, values, count)
    ordered = ordered.astype(np.float64)
    out = np.full(count, np.nan)
    filled = sizes > 0
    low = ordered[(starts + (sizes - 1) // 2)[filled]]
    high = ordered[(starts + sizes // 2)[filled]]
    out[filled] = (low + high) / 2
    return out


def group_quantiles(labels: np.ndarray, values: np.ndarray, count: int, quantiles: list[float]) -> np.ndarray:
    """As ``np.quantile`` (method "linear") of each group: one row per quantile, one column per group.

    The same arithmetic as numpy's, so the figures are equal to the last bit: the virtual index
    (n - 1)·q, and the interpolation taken from the upper neighbour when its weight is 0.5 or more.
    """
    ordered, starts, sizes = group_sorted(labels, values, count)
    ordered = ordered.astype(np.float64)
    out = np.full((len(quantiles), count), np.nan)
    filled = np.flatnonzero(sizes > 0)
    size, start = sizes[filled], starts[filled]
    for row, quantile in enumerate(quantiles):
        virtual = (size - 1) * np.float64(quantile)
        below = np.floor(virtual)
        weight = virtual - below
        low = ordered[start + below.astype(np.int64)]
        high = ordered[start + np.minimum(below.astype(np.int64) + 1, size - 1)]
        step = high - low
        out[row, filled] = np.where(weight >= 0.5, high - step * (1 - weight), low + step * weight)
    return out


def group_mode(labels: np.ndarray, values: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(the most frequent value of each group, a tie going to the smallest; how often it occurs, 0
    for a group without values)."""
    label, value = _by_group_and_value(labels, values)
    starts = np.flatnonzero(np.r_[True, (label[1:] != label[:-1]) | (value[1:] != value[:-1])]) if len(label) else label
    runs = np.diff(np.r_[starts, len(label)])
    run_label, run_value = label[starts], value[starts]
    # runs are in order of value within their group, so a group's first longest run holds the smallest mode
    longest = np.flatnonzero(runs == group_extreme(run_label, runs, count, largest=True, empty=0)[run_label])
    first = longest[np.r_[True, run_label[longest][1:] != run_label[longest][:-1]]] if len(longest) else longest
    mode = np.zeros(count, dtype=values.dtype)
    times = np.zeros(count, dtype=np.int64)
    mode[run_label[first]] = run_value[first]
    times[run_label[first]] = runs[first]
    return mode, times


def group_first(labels: np.ndarray, count: int, *keys: np.ndarray) -> np.ndarray:
    """Place of each group's first value in the order of ``keys`` (the last key sorts first); -1 for none."""
    order = lexsort((*keys, labels))
    label = labels[order]
    heads = np.r_[True, label[1:] != label[:-1]] if len(order) else np.zeros(0, dtype=bool)
    first = np.full(count, -1, dtype=np.int64)
    first[label[heads]] = order[heads]
    return first


@dataclass(frozen=True)
class GroupedRows:
    """The columns the per-thread figures read, for many threads stacked in one set of arrays.

    ``group`` labels each row's thread (0..groups-1); ``parents`` are row numbers into the stack,
    so a thread's replies point within it. ``scope`` labels the page each row's ids belong to: a
    thread's own, or one page each for a corpus summed up as one group. ``by_people`` marks the
    rows a person wrote (``by_people`` of the frame).
    """

    group: np.ndarray
    groups: int
    scope: np.ndarray
    depth: np.ndarray
    parents: np.ndarray
    authors: pa.Array
    timestamps: np.ndarray
    words: np.ndarray
    by_people: np.ndarray

    @functools.cached_property
    def ticks(self) -> np.ndarray:
        """Microseconds since the epoch; NaT as it comes (check ``dated``)."""
        return self.timestamps.astype("datetime64[us]").astype(np.int64)

    @functools.cached_property
    def dated(self) -> np.ndarray:
        return ~np.isnat(self.timestamps)

    @functools.cached_property
    def _coded(self) -> tuple[np.ndarray, pa.Array]:
        return author_codes(self.authors, self.by_people)

    @property
    def author_codes(self) -> np.ndarray:
        """``author_codes``: one integer per named person, ``ANONYMOUS``, or ``NOBODY``."""
        return self._coded[0]

    @property
    def names(self) -> pa.Array:
        """The names ``author_codes`` index."""
        return self._coded[1]

    @functools.cached_property
    def people(self) -> np.ndarray:
        """One integer per (thread, named person), -1 for anyone else: in order of first appearance,
        so within each thread too."""
        codes = self.author_codes
        named = codes >= 0
        people = np.full(len(codes), -1, dtype=np.int64)
        width = int(codes.max(initial=0)) + 1
        people[named] = pd.factorize(self.group[named].astype(np.int64) * width + codes[named])[0]
        return people

    @functools.cached_property
    def person_group(self) -> np.ndarray:
        """The group of each person code of ``people``."""
        people = self.people
        named = people >= 0
        group = np.zeros(int(people.max(initial=-1)) + 1, dtype=np.int64)
        group[people[named]] = self.group[named]
        return group
