"""The one builder of comment trees: id/parent rows in, schema-correct Threads out, with depth,
page position and path ids derived, and every reader's frame checked against the schema (``conform``).

Every reader's tree comes from ``build_tree``: data-file readers through ``build_threads`` (or
``Records``, for readers that gather one record at a time), with parents given as ids; readers
that work out the nesting themselves (a text page's indents, an HTML page's markup) give parent
rows. So ids, trees and the oddities of real dumps are handled once, and every frame a reader
makes passes ``conform`` on its way out.

The work is done on all records of a file together with numpy and Arrow (a monthly dump
holds millions): ids are normalised to strings, each parent is looked up in its own thread, and
depth and page order (depth first, children in record order, as a page shows them) come from
pointer jumping and subtree sizes rather than a walk per comment. What cannot be placed is kept
and counted: a duplicate id gets a suffix, a reply whose parent is missing or that closes a
cycle becomes top level, each reported once per thread as a ``Problem``.
"""

from __future__ import annotations

import ctypes
import functools
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commentscope.errors import InputError, ParseError
from commentscope.model import COMMENT_SCHEMA, Article, Diagnostics, Problem, Stack, Thread
from commentscope.ordering import depth_levels, stable_order
from commentscope.parallel import in_parallel
from commentscope.readers.ids import ID_PREFIX, MISREAD_ID

_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # what dtype="str" means in pandas 3
#: Bytes of texts whose words are counted at once: the masks stay in the processor's cache.
_COUNTING_STEP = 1 << 20
_ONES = np.uint64(0x0101010101010101)  # eight bytes of 0 or 1 times this: their sum, in the top byte
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(8)], dtype=np.uint64)  # the first n bytes of a word
#: The record fields a reader fills, in the order ``Records.add`` takes them.
FIELDS = ("thread", "id", "parent", "author", "time", "text", "kind", "line", "author_id", "score")
#: Schema columns a reader's own frame may lack: ``conform`` adds them, null.
NULLABLE_COLUMNS = ("number", "author_id", "score")


@dataclass
class Records:
    """Comment records gathered one at a time (XML and nested JSON readers), turned into Threads at once."""

    columns: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in FIELDS})
    articles: dict[str, Article] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    #: per thread key: records read but not kept as comments, by reason ("spam", "trashed", "more_stub")
    skipped: dict[str, Counter[str]] = field(default_factory=dict)

    def add(
        self,
        thread: str | None,
        id: Any,
        parent: Any,
        author: str | None,
        time: Any,
        text: str,
        kind: str = "comment",
        line: int = 0,
        author_id: Any = None,
        score: Any = None,
    ) -> None:
        values = (thread, id, parent, author, time, text, kind, line, author_id, score)
        for name, value in zip(FIELDS, values, strict=True):
            self.columns[name].append(value)

    def skip(self, thread: str | None, reason: str, count: int = 1) -> None:
        """Count records read and not kept as comments, for the thread's diagnostics."""
        self.skipped.setdefault(_key(thread), Counter())[reason] += count

    def problem(self, thread: str | None, kind: str, message: str, line: int | None = None) -> None:
        self.problems.setdefault(_key(thread), []).append(Problem(kind, message, line))

    def threads(
        self,
        source: str,
        *,
        lenient: bool = False,
        timezone: str | None = "UTC",
        file_problems: Sequence[Problem] = (),
    ) -> list[Thread]:
        return build_threads(
            self.columns,
            source,
            articles=self.articles,
            problems=self.problems,
            lenient=lenient,
            timezone=timezone,
            file_problems=file_problems,
            skipped=self.skipped,
        )


def spelled_ids(ids: pa.Array) -> pa.Array:
    """Comment ids as every output writes them (``readers.ids``): a source's ``421882`` is
    ``c421882``, so that a parent link survives ``pd.read_csv``."""
    misread = pc.match_substring_regex(ids, MISREAD_ID, ignore_case=True)
    if not pc.any(misread).as_py():
        return ids
    prefixed = pc.binary_join_element_wise(pa.scalar(ID_PREFIX, ids.type), ids, pa.scalar("", ids.type))
    return pc.if_else(misread, prefixed, ids)


def as_ids(values: Iterable[Any]) -> tuple[list[str | None], np.ndarray]:
    """Ids as strings, whatever type each record gave (``5``, ``5.0`` and ``"5"`` are one id), and a
    mask of the records that gave a number (schema drift, where others give strings)."""
    out: list[str | None] = []
    numbers: list[bool] = []
    for value in values:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if value is None or (isinstance(value, float) and value != value):
            out.append(None)
            number = False
        elif isinstance(value, float) and value.is_integer():
            out.append(str(int(value)))
        else:
            out.append(value if isinstance(value, str) else str(value))
        numbers.append(number)
    return out, np.array(numbers, dtype=bool)


def utc_times(values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Epoch seconds or ISO 8601 strings (any zone) as naive UTC ``datetime64[us]``, and a mask of the
    values given that could not be read."""
    series = pd.Series(values, dtype=object)
    numeric = pd.to_numeric(series, errors="coerce")
    is_number = numeric.notna() & series.map(lambda v: not isinstance(v, str))
    times = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us, UTC]")
    if is_number.any():
        within = is_number & (numeric.abs() < _LARGEST_EPOCH_SECONDS)
        times[within] = pd.to_datetime(numeric[within] * 1_000_000, unit="us", utc=True).astype(times.dtype)
    text = series.notna() & ~is_number
    if text.any():
        times[text] = pd.to_datetime(series[text].astype(str), utc=True, format="ISO8601", errors="coerce")
    unread = (series.notna() & times.isna()).to_numpy()
    return times.dt.tz_localize(None).to_numpy(dtype="datetime64[us]"), unread


_ZONE = r"(?:[zZ]|[+-][0-9]{2}:?[0-9]{2}|UTC|GMT)$"
_EPOCH = r"^-?[0-9]+(?:\.[0-9]*)?$"


#: Epoch seconds past this are no time (datetime64[us] ends about 290,000 years from 1970): NaT.
_LARGEST_EPOCH_SECONDS = 9.2e12


def epoch_times(seconds: np.ndarray) -> np.ndarray:
    """Epoch seconds (NaN where missing) as naive UTC ``datetime64[us]``, NaT where missing."""
    times = np.full(len(seconds), np.datetime64("NaT", "us"))
    known = np.isfinite(seconds) & (np.abs(seconds) < _LARGEST_EPOCH_SECONDS)
    times[known] = (seconds[known] * 1_000_000).astype(np.int64).astype("datetime64[us]")
    return times


def utc_timestamp(value: Any) -> pd.Timestamp | None:
    """One time (epoch seconds or ISO string) as a naive UTC Timestamp, for an article's date."""
    times, unread = utc_times([value])
    return None if unread[0] or pd.isna(times[0]) else pd.Timestamp(times[0])


def written_times(values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, bool]:
    """Times as a file writes them: naive as written, unless any carries a zone or is epoch seconds,
    when all become naive UTC (the flag says so); and a mask of the values that could not be read."""
    series = pd.Series(list(values), dtype=object)
    given = series.notna() & (series.astype(str).str.strip() != "")
    text = series.where(given).astype(str).str.strip()
    zoned = given & (text.str.contains(_ZONE, regex=True) | text.str.match(_EPOCH) | series.map(_is_number))
    if zoned.any():
        times, unread = utc_times(
            [float(v) if isinstance(v, str) and re.match(_EPOCH, v.strip()) else v for v in series.where(given, None)]
        )
        return times, unread, True
    try:
        parsed = pd.to_datetime(text.where(given), format="ISO8601", errors="coerce")
    except ValueError:  # zones the pattern missed, and not all the same: those become UTC
        parsed = pd.to_datetime(text.where(given), format="ISO8601", errors="coerce", utc=True)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(None)
    retry = given & parsed.isna()
    if retry.any():
        # a zone the pattern missed makes pandas give zoned times: those become UTC, the rest stay as written
        parsed[retry] = pd.to_datetime(text[retry], format="mixed", errors="coerce", utc=True).dt.tz_convert(None)
    return parsed.to_numpy(dtype="datetime64[us]"), (given & parsed.isna()).to_numpy(), False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


@dataclass
class Tree:
    """Comments' tree as row numbers, which every reader's frame takes its structure from, with
    the rows the builder had to mend to make it whole (each mask is over the rows)."""

    parent: np.ndarray  # each comment's parent row, -1 at top level
    depth: np.ndarray
    position: np.ndarray  # place in its thread: depth first, children in row order
    ids: pa.Array | None  # as kept: a repeat gets ~2, ~3..., a missing one ~ROW; None if the reader gave none
    duplicate: np.ndarray  # an earlier row of the thread holds the id (kept under a suffix)
    missing_id: np.ndarray
    missing_parent: np.ndarray  # answers a comment that is not there (kept at top level)
    cyclic: np.ndarray  # answered itself through others (the circle is cut at its first row)

    def paths(self, top_labels: np.ndarray, order: np.ndarray | None = None) -> pa.Array:
        """Path ids (``c16.2.1``), the top level named by ``top_labels`` (``path_ids``)."""
        return path_ids(self.parent, self.depth, top_labels, order)


def build_tree(parents: np.ndarray | pa.Array, ids: pa.Array | None = None, threads: np.ndarray | None = None) -> Tree:
    """The one tree builder: each record's parent, as the id it answers (``ids`` then required), or
    as a row number when the reader read the nesting itself (a page's indents or markup); ``threads``
    codes which thread each record is in (one thread when None).

    It always checks that ids are unique in their thread, that each parent exists and that no reply
    answers itself through others, and mends what breaks that (see the module's note), so the tree
    it gives is whole; the caller reports the rows it mended."""
    count = len(parents)
    threads = np.zeros(count, dtype=np.int64) if threads is None else threads
    by_row = isinstance(parents, np.ndarray)
    if ids is None:
        duplicate = missing_id = np.zeros(count, dtype=bool)
    else:
        wanted = pa.nulls(count, ids.type) if by_row else parents
        key_codes, duplicate, parent = _keyed_rows(threads, ids, wanted)
        missing_id = pc.is_null(ids).to_numpy(zero_copy_only=False) if count else np.zeros(0, dtype=bool)
        if duplicate.any() or missing_id.any():
            ids = _suffixed(ids, key_codes, duplicate, missing_id)
    if by_row:
        parent = np.asarray(parents, dtype=np.int64).copy()
        missing_parent = (parent < -1) | (parent >= count)
        parent[missing_parent] = -1
    else:
        has_parent = ~pc.is_null(parents).to_numpy(zero_copy_only=False) if count else np.zeros(0, dtype=bool)
        missing_parent = has_parent & (parent < 0)
    depth, cyclic = _depths(parent)  # a comment that answers itself is a cycle of one
    if cyclic.any():
        parent = _cut_cycles(parent, cyclic)
        depth, _ = _depths(parent)
    position = _preorder(parent, depth, threads)
    return Tree(parent, depth, position, ids, duplicate, missing_id, missing_parent, cyclic)


def _suffixed(ids: pa.Array, key_codes: np.ndarray, duplicate: np.ndarray, missing: np.ndarray) -> pa.Array:
    """Ids made unique: a repeat keeps its place as ``ID~2``, ``ID~3``..., a missing id becomes ``~ROW``."""
    renamed = np.flatnonzero(duplicate | missing)
    times_seen: dict[int, int] = {}
    names = []
    for i in renamed:
        times_seen[key_codes[i]] = times_seen.get(key_codes[i], 1) + 1
        names.append(f"~{i + 1}" if missing[i] else f"{ids[int(i)].as_py()}~{times_seen[key_codes[i]]}")
    mask = np.zeros(len(ids), dtype=bool)
    mask[renamed] = True
    return pc.replace_with_mask(ids, pa.array(mask), pa.array(names, type=ids.type))


def build_threads(
    columns: dict[str, Any],
    source: str,
    *,
    articles: dict[str, Article] | None = None,
    problems: dict[str, list[Problem]] | None = None,
    lenient: bool = False,
    timezone: str | None = "UTC",
    extra: dict[str, Any] | None = None,
    file_problems: Sequence[Problem] = (),
    unread_times: tuple[np.ndarray, Sequence[Any] | None] | None = None,
    key_is_source: bool = False,
    skipped: dict[str, Counter[str]] | None = None,
    left_out: frozenset[str] = frozenset({"spam", "trashed"}),
    texts: bool = True,
) -> list[Thread]:
    """One Thread per distinct ``thread`` value, in order of first appearance, sourced ``FILE#KEY``.

    Each id must be unique in its thread, each parent must exist there and no reply may answer
    itself through others: what breaks this is kept and reported (see the module's note), so the
    tree is always whole. ``columns`` holds ``FIELDS`` (``author_id`` and ``score`` may be missing:
    then null) as equal-length sequences (its ``text`` is taken out, so that a
    dump's texts are not held twice); ``time`` is either already
    ``datetime64[us]`` or epoch seconds / ISO strings (read as UTC). ``extra`` may give the
    schema's ``number`` (else null). A thread key of None names the file's only thread: its source
    is the file itself. ``file_problems`` (bad lines, a truncated end) go to the file's first Thread.
    ``unread_times`` (a mask and the values as given) names times a reader could not read itself.
    ``key_is_source``: the keys are sources already (commentscope's own output read back).
    ``skipped`` counts, per thread key, records not kept as comments, by reason; those named in
    ``left_out`` were left out on purpose (the source's moderation), which ``check`` reports as information.
    ``texts=False`` (``ReadOptions.texts``): the words are counted and the texts left empty, not put in order.
    """
    articles = articles or {}
    problems = {key: list(found) for key, found in (problems or {}).items()}
    count = len(columns["id"])
    lines = np.asarray(columns["line"], dtype=np.int64)
    thread_codes, thread_keys = _factorize(columns["thread"])

    def report(kind: str, mask: np.ndarray, describe: Any) -> None:
        """One Problem per thread for the records in ``mask``: how many, and the first."""
        where = np.flatnonzero(mask)
        if not len(where):
            return
        codes = thread_codes[where]
        for code in np.unique(codes):
            rows = where[codes == code]
            message = describe(len(rows), int(rows[0]))
            problems.setdefault(_key(thread_keys[code]), []).append(Problem(kind, message, int(lines[rows[0]])))

    given_ids, id_numbers = _ids(columns["id"])
    given_parents, parent_numbers = _ids(columns["parent"])
    ids, parents = spelled_ids(given_ids), spelled_ids(given_parents)  # messages quote the ids as given
    strings = (~id_numbers & ~pc.is_null(ids).to_numpy(zero_copy_only=False)) | (
        ~parent_numbers & ~pc.is_null(parents).to_numpy(zero_copy_only=False)
    )
    if strings.any():
        report(
            "mixed_id_types",
            id_numbers | parent_numbers,
            lambda n, i: f"{n} id(s) arrive as numbers where others are strings (read as the same ids)",
        )

    def tree() -> Tree:
        """The records' tree, with what could not be placed reported."""
        built = build_tree(parents, ids, thread_codes)
        report(
            "duplicate_id",
            built.duplicate & ~built.missing_id,
            lambda n, i: (
                f"{n} comment(s) repeat an id already used in this thread, first {given_ids[i].as_py()!r} "
                "(kept, with ~2, ~3... added)"
            ),
        )
        report("missing_id", built.missing_id, lambda n, i: f"{n} comment(s) have no id (kept as ~RECORD)")
        report(
            "missing_parent",
            built.missing_parent,
            lambda n, i: (
                f"{n} comment(s) answer a comment not in the file, first {given_parents[i].as_py()!r}; "
                "kept as top level"
            ),
        )
        report(
            "cycle",
            built.cyclic,
            lambda n, i: (
                f"{n} comment(s) answer each other in a circle, first {built.ids[i].as_py()!r}; "
                "each circle is cut at its first comment, which becomes top level"
            ),
        )
        return built

    # The texts are the bulk of a dump: their words are counted in the worker while this thread
    # works out the tree, and they are taken out of the caller's columns, so that only the
    # reordered copy stays.
    keep_texts = texts  # from here on, ``texts`` is the column of texts
    texts = _arrow_strings(columns.pop("text"))
    built, words = in_parallel(_call, [tree, functools.partial(word_counts, texts)])
    parent, depth, position = built.parent, built.depth, built.position
    times, raw_times = columns["time"], columns["time"]
    unread = None
    if isinstance(times, np.ndarray) and times.dtype == np.dtype("datetime64[us]"):
        unread, raw_times = unread_times or (None, None)
    else:
        times, unread = utc_times(list(times))
    if unread is not None and unread.any():
        bad = np.flatnonzero(unread)
        shown = [None if raw_times is None else raw_times[i] for i in bad]
        if not lenient:
            raise ParseError(f"cannot read the time {shown[0]!r}", source=source, line=int(lines[bad[0]]))
        for i, value in zip(bad, shown, strict=True):
            problem = Problem("unreadable_date", f"cannot read the time {value!r}", int(lines[i]))
            problems.setdefault(_key(thread_keys[thread_codes[i]]), []).append(problem)
    large = texts.nbytes >= _LARGE_TEXTS
    if large:
        _hand_back_freed_memory()  # what reading and the tree left, before the reordered copies are made
    # Every column is put in its final order (by thread, then position) as it is made.
    bounds = np.concatenate([[0], np.cumsum(np.bincount(thread_codes, minlength=len(thread_keys)))])
    row = bounds[thread_codes] + position  # each record's row among all threads' comments
    in_order = bool(np.array_equal(row, np.arange(count)))  # a file already in page order is not copied
    arranged = np.empty(count, dtype=np.int64)
    arranged[row] = np.arange(count)

    def arrange(values: Any) -> Any:
        return values if in_order else values.take(pa.array(arranged))

    def text_columns() -> dict[str, Any]:
        """The texts (the bulk of the work), authors and kinds in order: in the worker."""
        nonlocal texts
        if not keep_texts:
            ordered = _empty_strings(count)
        else:
            if not in_order and isinstance(texts, pa.ChunkedArray):
                texts = texts.combine_chunks()  # in one piece first: Arrow's take would combine a copy of its own
                if large:
                    _hand_back_freed_memory()  # the chunks' memory, which the threads that made it do not reuse
            ordered = arrange(texts)
        texts = None  # the caller's order is no longer needed
        if large:
            _hand_back_freed_memory()
        return {
            "text": pd.arrays.ArrowStringArray(ordered.fill_null("") if ordered.null_count else ordered, dtype=_STR),
            "author": _strings(arrange(_arrow_strings(columns["author"]))),
            "kind": _strings(arrange(_arrow_strings(columns["kind"]))),
        }

    def tree_columns() -> dict[str, Any]:
        """The ids, paths and numbers in order: in this thread."""
        parents_in_order = parent[arranged]
        given = (extra or {}).get("number")
        numbers = null_column("Int64", count) if given is None else pd.array(list(given), dtype="Int64")
        paths = built.paths(_top_labels(parent, position, numbers, thread_codes), None if in_order else arranged)

        def nullable(name: str, dtype: str) -> Any:
            values = columns.get(name)
            if values is None:
                return null_column(dtype, count)
            if dtype == "Int64":
                return pd.array(pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce"), dtype="Float64")
            return _strings(_ids(values)[0])

        return {
            "id": _strings(arrange(built.ids)),
            "parent_id": _strings(built.ids.take(pa.array(np.maximum(parents_in_order, 0), mask=parents_in_order < 0))),
            "path": _strings(paths),
            "depth": depth.astype(np.int64)[arranged],
            "position": position[arranged],
            "number": numbers[arranged],
            "author_id": nullable("author_id", "str")[arranged],
            "timestamp": np.asarray(times, dtype="datetime64[us]")[arranged],
            "words": words[arranged],
            "line": lines[arranged],
            "score": _whole(nullable("score", "Int64"))[arranged],
        }

    frame_columns, text_frame_columns = in_parallel(_call, [tree_columns, text_columns])
    frame_columns.update(text_frame_columns)
    everything = pd.DataFrame({name: frame_columns[name] for name in COMMENT_SCHEMA}, copy=False)
    del frame_columns, text_frame_columns
    threads = []
    skipped = skipped or {}

    def diagnostics(key: str | None, read: int) -> Diagnostics:
        counts = Counter({"read": read})
        counts.update(skipped.get(_key(key), Counter()))
        return Diagnostics(unit="records", counts=counts, total=sum(counts.values()), left_out=left_out)

    for code, key in enumerate(thread_keys):
        part = everything.iloc[bounds[code] : bounds[code + 1]]
        part.index = pd.RangeIndex(len(part))
        thread = _thread(source, key, part, articles, problems, timezone, key_is_source)
        thread.diagnostics = diagnostics(key, len(part))
        threads.append(thread)
    for key in dict.fromkeys([*articles, *skipped]):  # threads with an article, or only records left out
        if key not in thread_keys:
            empty = everything.iloc[:0].reset_index(drop=True)
            thread = _thread(source, key, empty, articles, problems, timezone, False)
            thread.diagnostics = diagnostics(key, 0)
            threads.append(thread)
    stack = Stack(everything, tuple(thread.comments for thread in threads))
    for thread in threads:
        thread.stack = stack
    if not threads and file_problems:
        raise ParseError(f"no comment could be read: {file_problems[0].message}", source=source)
    if not threads:
        raise InputError("holds no comments", source=source)
    threads[0].problems[:0] = file_problems
    if large:
        _hand_back_freed_memory()
    return threads


def null_column(dtype: str, count: int) -> pd.api.extensions.ExtensionArray:
    """A column of ``count`` nulls of a nullable schema dtype ("str" or "Int64"), made without a
    Python list of Nones (which pandas would look at one by one)."""
    if dtype == "Int64":
        return pd.arrays.IntegerArray(np.zeros(count, dtype=np.int64), np.ones(count, dtype=bool))
    return _strings(pa.nulls(count, pa.large_string()))


def _empty_strings(count: int) -> pa.Array:
    """``count`` empty strings, in one buffer of offsets."""
    offsets = pa.py_buffer(np.zeros(count + 1, np.int64))
    return pa.Array.from_buffers(pa.large_string(), count, [None, offsets, pa.py_buffer(b"")])


def _whole(values: pd.api.extensions.ExtensionArray) -> pd.api.extensions.ExtensionArray:
    """Scores as whole numbers: a fractional one (no source gives one) is null rather than cut."""
    whole = values.copy()
    whole[(values % 1 != 0).fillna(False)] = pd.NA
    return whole.astype("Int64")


def _top_labels(
    parent: np.ndarray, position: np.ndarray, numbers: pd.api.extensions.ExtensionArray, threads: np.ndarray
) -> np.ndarray:
    """What names each top-level comment in its path id: the site's numbers when every top-level
    comment has one and none repeats within its thread, else its page position."""
    top = parent < 0
    given = numbers[top]
    if len(given) and not given.isna().any():
        keyed = pd.DataFrame({"thread": threads[top], "number": np.asarray(given, dtype=np.int64)})
        if not keyed.duplicated().any():
            return np.where(top, numbers.fillna(0).to_numpy(dtype=np.int64), position)
    return position


def path_ids(
    parents: np.ndarray, depths: np.ndarray, top_labels: np.ndarray, order: np.ndarray | None = None
) -> pa.Array:
    """Path ids (``c16.2.1``): ``ID_PREFIX`` and a top-level comment's label, then parent.k for the k-th reply (k from
    1, siblings in row order). ``parents`` holds row indices (-1 at top level) and every parent
    comes before its replies' level; built one depth at a time, each level from the ids above.
    ``order``: the rows to give, in the order to give them (every row, in row order, by default)."""
    top = np.flatnonzero(parents < 0)
    replies = np.flatnonzero(parents >= 0)
    by_parent = replies[stable_order(parents[replies])]
    group_start = np.searchsorted(parents[by_parent], parents[by_parent], side="left")
    ordinal = np.zeros(len(parents), dtype=np.int64)
    ordinal[by_parent] = np.arange(len(by_parent)) - group_start + 1

    rows = top
    labels = pc.cast(pa.array(np.asarray(top_labels)[top].astype(np.int64)), pa.large_string())
    level_ids = pc.binary_join_element_wise(
        pa.scalar(ID_PREFIX, pa.large_string()), labels, pa.scalar("", pa.large_string())
    )
    all_rows, all_ids = [rows], [level_ids]
    for level in depth_levels(depths)[1:]:
        above, rows = rows, level
        parent_ids = level_ids.take(pa.array(np.searchsorted(above, parents[rows])))
        level_ids = pc.binary_join_element_wise(
            parent_ids, pc.cast(pa.array(ordinal[rows]), pa.large_string()), pa.scalar(".", pa.large_string())
        )
        all_rows.append(rows)
        all_ids.append(level_ids)
    place = np.empty(len(parents), dtype=np.int64)  # each row's place among the levels' ids
    place[np.concatenate(all_rows)] = np.arange(len(parents))
    return pa.concat_arrays(all_ids).take(pa.array(place if order is None else place[order]))


def conform(thread: Thread) -> Thread:
    """A reader's Thread as the schema says: its columns in order, and those a reader may lack added
    as nulls (a path id derived from the tree when it has none).

    Every reader's output passes here (``readers.load_threads``), so a reader that misses a column
    fails at once, loudly, rather than somewhere in the analysis. The tree itself (unique ids,
    parents that exist, no cycles) is the builder's guarantee (``build_tree``), so
    it is not hashed again here for every page; ``validate_comments`` checks it in full."""
    frame = thread.comments
    if list(frame.columns) == list(COMMENT_SCHEMA):
        return thread
    count = len(frame)
    added = {
        name: null_column(COMMENT_SCHEMA[name][0], count) for name in NULLABLE_COLUMNS if name not in frame.columns
    }
    if "path" not in frame.columns and {"id", "parent_id"} <= set(frame.columns):
        added["path"] = _strings(_derived_paths(frame))
    if added:
        frame = frame.assign(**added)
    missing = [name for name in COMMENT_SCHEMA if name not in frame.columns]
    if missing:
        raise ValueError(f"{thread.source}: the reader's comments lack columns: {', '.join(missing)}")
    thread.comments = frame[list(COMMENT_SCHEMA)]
    return thread


def _derived_paths(frame: pd.DataFrame) -> pa.Array:
    parents = pd.Index(frame["id"]).get_indexer(frame["parent_id"].to_numpy())
    numbers = frame["number"].array if "number" in frame.columns else null_column("Int64", len(frame))
    position = np.arange(len(frame), dtype=np.int64)
    labels = _top_labels(parents, position, numbers, np.zeros(len(frame), dtype=np.int64))
    return build_tree(parents).paths(labels)


def json_lines(data: bytes | memoryview, what: str = "record") -> tuple[list[tuple[int, Any]], list[Problem]]:
    """Each line's JSON value with its line number, and a Problem for each line that is not JSON (a
    last line cut short is reported as a truncated file). Blank lines are skipped."""
    import msgspec

    decoder = msgspec.json.Decoder()
    try:
        values = decoder.decode_lines(data)
    except (msgspec.DecodeError, UnicodeDecodeError):  # msgspec before 0.19 raises the second for bad UTF-8
        values = None
    if values is not None and bytes(data[:1]) != b"\n" and b"\n\n" not in data:
        return list(enumerate(values, 1)), []
    found: list[tuple[int, Any]] = []
    problems: list[Problem] = []
    lines = bytes(data).split(b"\n")
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            found.append((number, decoder.decode(line)))
        except (msgspec.DecodeError, UnicodeDecodeError) as error:
            if number - 1 == last and not bytes(data).endswith((b"\n", b"}", b"]")):
                problems.append(Problem("truncated", f"the file ends inside a {what}: {line[:60]!r}", number))
            else:
                problems.append(Problem("bad_line", f"not JSON ({error}): {line[:60]!r}", number))
    return found, problems


def word_counts(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Whitespace-separated words of each text, as ``len(text.split())`` counts them: word starts (a
    byte that is no space after one that is, or a text's first) summed per text over the texts'
    bytes, ``_COUNTING_STEP`` bytes at a time. Python's white space is ASCII's (tab to carriage
    return, the four separators 0x1C-0x1F, space) and a few wider characters (``_mark_wide_spaces``)."""
    if isinstance(texts, pa.ChunkedArray):
        return np.concatenate([np.zeros(0, dtype=np.int64), *(word_counts(chunk) for chunk in texts.chunks)])
    texts = texts.cast(pa.large_string()).fill_null("")
    counts = np.zeros(len(texts), dtype=np.int64)
    if not len(texts):
        return counts
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset : texts.offset + len(texts) + 1]
    data = texts.buffers()[2]
    if data is None or offsets[-1] == offsets[0]:
        return counts
    raw = np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
    relative = offsets - offsets[0]
    # Slices of whole texts, about _COUNTING_STEP bytes each, so that the masks stay small.
    cuts = np.unique(
        np.concatenate([[0], np.searchsorted(relative[:-1], np.arange(0, len(raw), _COUNTING_STEP)), [len(texts)]])
    )
    for first, last in itertools.pairwise(cuts):
        low, high = relative[first], relative[last]
        if high > low:
            counts[first:last] = _slice_word_counts(raw[low:high], relative[first : last + 1] - low)
    return counts


def _slice_word_counts(part: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Words of the texts that ``bounds`` (their starts, then the end) cut ``part`` into."""
    size = len(part)
    space = part <= 32  # white space, and the control bytes below it that are not (set back below)
    controls = np.flatnonzero(part < 28)
    space[controls[(part[controls] < 9) | (part[controls] > 13)]] = False
    wide = np.flatnonzero(part >= 0xC2)
    if len(wide):
        _mark_wide_spaces(part, wide, space)
    # Word starts, one byte each, then eight bytes to a word: room past the end for the last text's end.
    begins = np.zeros((size + 8) & ~7, dtype=bool)
    np.logical_not(space, out=begins[:size])
    begins[1:size] &= space[:-1]
    starts, ends = bounds[:-1], bounds[1:]
    filled = starts[ends > starts]
    begins[filled] = ~space[filled]  # a text's first byte starts a word unless it is space
    words = begins.view(np.uint64)
    before = np.concatenate([[0], np.cumsum(((words * _ONES) >> np.uint64(56)).astype(np.int64))])
    return _starts_before(words, before, ends) - _starts_before(words, before, starts)


def _starts_before(words: np.ndarray, before: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Word starts before each byte in ``at``: those of the whole eight-byte words before it
    (``before``), and those of its own word's first bytes."""
    partial = ((words[at >> 3] & _LOW_BYTES[at & 7]) * _ONES) >> np.uint64(56)
    return before[at >> 3] + partial.astype(np.int64)


def _mark_wide_spaces(part: np.ndarray, leads: np.ndarray, space: np.ndarray) -> None:
    """Mark every byte of the white space str.split knows beyond ASCII: U+0085 and U+00A0 (C2 85,
    C2 A0), U+1680 (E1 9A 80), U+2000-U+200A, U+2028, U+2029, U+202F (E2 80 xx), U+205F (E2 81 9F),
    U+3000 (E3 80 80). ``leads`` are the bytes from C2 up (the text is valid UTF-8, so a lead's
    continuation bytes follow it)."""
    lead = part[leads]
    two = leads[lead == 0xC2]
    two = two[(part[two + 1] == 0x85) | (part[two + 1] == 0xA0)]
    three = leads[(lead >= 0xE1) & (lead <= 0xE3)]
    first, second, third = part[three], part[three + 1], part[three + 2]
    general = (second == 0x80) & ((third <= 0x8A) | (third == 0xA8) | (third == 0xA9) | (third == 0xAF))
    wide = (
        ((first == 0xE1) & (second == 0x9A) & (third == 0x80))
        | ((first == 0xE2) & (general | ((second == 0x81) & (third == 0x9F))))
        | ((first == 0xE3) & (second == 0x80) & (third == 0x80))
    )
    three = three[wide]
    for at, length in ((two, 2), (three, 3)):
        for byte in range(length):
            space[at + byte] = True


def _factorize(values: Any) -> tuple[np.ndarray, list[str | None]]:
    """Thread codes in order of first appearance, and the keys (None for records without one)."""
    strings = _arrow_strings(values)
    if isinstance(strings, pa.ChunkedArray):  # one piece first: pyarrow 17 cannot combine chunks' dictionaries
        strings = strings.combine_chunks()
    encoded = pc.dictionary_encode(strings, null_encoding="encode")
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    keys = encoded.dictionary.to_pylist()
    return codes, keys


def _arrow_strings(values: Any) -> pa.Array | pa.ChunkedArray:
    """Large strings, as Arrow arrays (chunks kept) or from Python values."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        strings = values.cast(pa.large_string())
        try:
            strings.validate(full=True)
        except pa.ArrowInvalid:  # bytes that are not UTF-8 inside a JSON string: replaced, as --encoding-errors does
            strings = pa.array(
                [
                    None if v is None else v.decode("utf-8", "replace")
                    for v in strings.cast(pa.large_binary()).to_pylist()
                ],
                type=pa.large_string(),
            )
        return strings
    return pa.array([None if v is None else str(v) for v in values], type=pa.large_string())


def _strings(values: Any) -> pd.api.extensions.ExtensionArray:
    return pd.arrays.ArrowStringArray(_arrow_strings(values), dtype=_STR)


def _key(key: str | None) -> str:
    return "" if key is None else key


def _thread(
    source: str,
    key: str | None,
    comments: pd.DataFrame,
    articles: dict[str, Article],
    problems: dict[str, list[Problem]],
    timezone: str | None,
    key_is_source: bool,
) -> Thread:
    name = source if key is None else key if key_is_source else f"{source}#{key}"
    article = articles.get(_key(key)) or Article(source=name)
    article.source = name
    return Thread(article=article, comments=comments, problems=problems.get(_key(key), []), timezone=timezone)


def _ids(values: Any) -> tuple[pa.Array, np.ndarray]:
    """Ids as an Arrow string array (numbers written as integers), and a mask of those given as numbers."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array) and (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return values.cast(pa.large_string()), np.zeros(len(values), dtype=bool)
    if isinstance(values, pa.Array) and pa.types.is_integer(values.type):
        return pc.cast(values, pa.large_string()), ~pc.is_null(values).to_numpy(zero_copy_only=False)
    listed = values.to_pylist() if isinstance(values, pa.Array) else list(values)
    strings, numbers = as_ids(listed)
    return pa.array(strings, type=pa.large_string()), numbers


def _depths(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each comment's depth by pointer jumping (log of the deepest chain rounds), and a mask of those
    that never reach a top-level comment: in a cycle, or below one."""
    depth = (parent >= 0).astype(np.int64)
    up = parent.copy()
    for _ in range(max(1, int(np.ceil(np.log2(max(len(parent), 2))))) + 2):
        climbing = np.flatnonzero(up >= 0)
        if not len(climbing):
            break
        above = up[climbing]
        depth[climbing] += depth[above]
        up[climbing] = up[above]
    return depth, up >= 0


def _cut_cycles(parent: np.ndarray, stuck: np.ndarray) -> np.ndarray:
    """Make the first comment (in record order) of each cycle top level; few records take this path."""
    parent = parent.copy()
    for start in np.flatnonzero(stuck):
        path: list[int] = []
        seen: set[int] = set()
        node = int(start)
        while node >= 0 and node not in seen:
            seen.add(node)
            path.append(node)
            node = int(parent[node])
        if node >= 0:  # closed a circle: node is on it
            circle = path[path.index(node) :]
            parent[min(circle)] = -1
    return parent


def _preorder(parent: np.ndarray, depth: np.ndarray, thread_codes: np.ndarray) -> np.ndarray:
    """Position in each thread depth first, children in record order: subtree sizes bottom up, then
    each comment's offset top down, one depth at a time."""
    count = len(parent)
    size = np.ones(count, dtype=np.int64)
    levels = depth_levels(depth)
    for rows in reversed(levels[1:]):
        np.add.at(size, parent[rows], size[rows])
    # Offset among siblings: the sizes of the earlier siblings (roots: per thread), in record order.
    group = np.where(parent >= 0, parent + len(thread_codes), thread_codes) if count else parent
    ordered = stable_order(group)
    grouped = group[ordered]
    first = np.ones(count, dtype=bool)
    first[1:] = grouped[1:] != grouped[:-1]
    group_start = np.maximum.accumulate(np.where(first, np.arange(count), 0)) if count else ordered
    sizes_before = np.cumsum(size[ordered]) - size[ordered]
    offset = np.empty(count, dtype=np.int64)
    offset[ordered] = sizes_before - sizes_before[group_start]
    position = np.zeros(count, dtype=np.int64)
    for level, rows in enumerate(levels):
        position[rows] = offset[rows] if level == 0 else position[parent[rows]] + 1 + offset[rows]
    return position


def _keyed_rows(threads: np.ndarray, ids: pa.Array, parents: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each record's key (equal for the same id in the same thread; a missing id is one id), whether
    an earlier record holds its key, and its parent's row: the first holder of the parent id in the
    record's thread, -1 where there is none. Ids become integer codes once, so no string is joined."""
    count = len(ids)
    # One code per distinct string, ids first: a parent is an id when its code is below their number.
    encoded = pc.dictionary_encode(pa.concat_arrays([ids.fill_null("\x00"), parents]))
    every = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    codes, wanted = every[:count], every[count:]
    width = int(codes.max(initial=-1)) + 1
    answering = np.flatnonzero((wanted >= 0) & (wanted < width))
    parent = np.full(count, -1, dtype=np.int64)
    if width == count:  # every id once in the file (a dump's case): its code is its key
        holder = np.empty(count, dtype=np.int64)
        holder[codes] = np.arange(count)
        found = holder[wanted[answering]]
        same = threads[found] == threads[answering]
        parent[answering[same]] = found[same]
        return codes, np.zeros(count, dtype=bool), parent
    keys, first, key_codes = np.unique(threads * width + codes, return_index=True, return_inverse=True)
    wanted_keys = threads[answering] * width + wanted[answering]
    at = np.minimum(np.searchsorted(keys, wanted_keys), len(keys) - 1)
    same = keys[at] == wanted_keys
    parent[answering[same]] = first[at[same]]
    return key_codes, first[key_codes] != np.arange(count), parent


#: Texts of this many bytes make an input large enough to hand freed memory back (``_hand_back_freed_memory``).
_LARGE_TEXTS = 64 << 20


@functools.cache
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to hand back this way
        return None


def _hand_back_freed_memory() -> None:
    """Give the system back the memory malloc holds freed (glibc's ``malloc_trim``). A big input's
    columns are decoded on Arrow's threads, each allocating from a malloc arena of its own, and
    freed later from others: no thread reuses that memory, and the command keeps freed memory
    (``cli.process``), so it would otherwise count against the process for the rest of its run."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _call(work: Any) -> Any:
    return work()


_BLOCKS = ("p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table")


def html_text(markup: str | None) -> str:
    """An HTML fragment (a comment's body in an export) as plain text: paragraphs joined by one blank
    line, ``<br>`` as a line break, entities decoded. Plain text passes through."""
    if markup is None or markup == "":
        return ""
    markup = str(markup).replace(
        "\r\n", "\n"
    )  # a number where text was due: schema drift, kept as text.replace("\r", "\n")
    if "<" not in markup and "&" not in markup:
        return _paragraphs(markup)
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _paragraphs(markup)
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
        if element.text is not None or len(element):
            element.text = "\n\n" + (element.text or "")
    return _paragraphs(root.text_content())


def _paragraphs(text: str) -> str:
    """Lines trimmed of trailing space, runs of blank lines as one, no blank lines at either end."""
    lines = [line.rstrip() for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line.strip() or (kept and kept[-1]):
            kept.append(line if line.strip() else "")
    return "\n".join(kept).strip()


def xml_elements(page: Any, tags: tuple[str, ...], problems: list[Problem]) -> Iterator[Any]:
    """The elements named ``tags`` of an XML input as each ends, streamed (lxml's iterparse; the
    caller clears what it is done with). A file cut short ends the stream with a "truncated"
    Problem, so that what came before is still read."""
    from lxml import etree

    data = page.take()
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    if not isinstance(data, bytes):
        stream.seek(0)
    events = etree.iterparse(stream, events=("end",), tag=tags, huge_tree=True, resolve_entities=False, no_network=True)
    try:
        for _, element in events:
            yield element
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        kind = (
            "truncated" if "end of data" in str(error).lower() or "premature end" in str(error).lower() else "bad_xml"
        )
        problems.append(Problem(kind, f"the XML cannot be read from here on ({error.msg})", line))


def local_name(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child_text(element: Any, name: str) -> str | None:
    """The text of the first child called ``name``, whatever its namespace."""
    for child in element:
        if local_name(child) == name:
            return child.text
    return None


def release(element: Any) -> None:
    """Free a streamed element and the siblings before it, so memory stays flat over a big file."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
