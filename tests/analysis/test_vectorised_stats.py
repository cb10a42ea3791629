"""The per-thread statistics computed for all threads at once equal, figure for figure, the
per-thread definitions they replaced (kept below as the reference, one thread at a time)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis import corpus_totals, page_stats
from commentscope.analysis import stats as stats_module
from commentscope.analysis._structure import arrow_strings, group_median, group_quantiles, subtree_sizes
from commentscope.analysis.network import pair_counts
from commentscope.errors import InputError
from commentscope.model import COMMENT_SCHEMA, Article, Thread
from commentscope.readers.corpus import corpus_comments

_DIGITS = 4
_MINUTE = 60_000_000

# --- The reference: the per-thread code as it was before the figures were grouped. ---------------


def reference_stats(comments: pd.DataFrame, article: Article) -> dict[str, Any]:
    """Summarise a thread in plain Python values (str, int, float, None, ``pd.Timestamp``).

    Depths are the schema's (0 = top level). With a ``source`` column the frame is a
    corpus: counts cover every page and structural virality is the mean over pages.
    An empty thread gives 0 for counts and None for everything else.
    """
    depth = comments["depth"].to_numpy(dtype=np.int64)
    parents = parent_rows(comments)
    sizes = subtree_sizes(depth, parents)
    link_notices = comments["kind"].isin(["pingback", "trackback"])  # no person wrote them
    people = comments["author"].where(~link_notices)  # a person's name; null for anyone else
    named = people.dropna()
    times = comments["timestamp"].dropna()
    words = comments["words"]
    top = depth == 0
    return {
        "source": article.source,
        "title": article.title,
        "byline": article.byline,
        "declared_comments": article.declared_comments,
        "comments": len(comments),
        "top_level": int(top.sum()),
        "replies": int((~top).sum()),
        "pingbacks": int(link_notices.sum()),
        "anonymous": int((comments["author"].isna() & ~link_notices).sum()),
        "commenters": int(named.nunique()),
        "max_depth": int(depth.max()) if len(depth) else None,
        "mean_depth": _round(depth.mean()) if len(depth) else None,
        "h_index": h_index(depth),
        "structural_virality": _corpus_virality(comments, sizes),
        "largest_subthread": int(sizes[top].max()) if top.any() else 0,
        "first_comment": times.min() if len(times) else None,
        "last_comment": times.max() if len(times) else None,
        "span_hours": _round((times.max() - times.min()) / pd.Timedelta(hours=1)) if len(times) else None,
        "median_reply_delay_minutes": _median_reply_delay(comments["timestamp"], parents),
        "words_total": int(words.sum()),
        "words_median": _round(words.median()) if len(words) else None,
        "busiest_day": _busiest_day(times),
        **_busiest_hours(times),
        "top_commenter": _top_commenter(people, comments["timestamp"]),
        **literature_measures(comments, people, parents),
    }


def h_index(depth: np.ndarray) -> int:
    """Thread h-index (Gómez, Kaltenbrunner & López 2008).

    The largest h such that nesting level h (top level = 1, so level = depth + 1)
    holds at least h comments; 0 for an empty thread.
    """
    per_level = np.bincount(depth)
    levels = np.arange(1, len(per_level) + 1)
    reached = levels[per_level >= levels]
    return int(reached.max()) if len(reached) else 0


def structural_virality(sizes: np.ndarray) -> float | None:
    """Mean distance between all pairs of nodes of one page's tree (Goel et al. 2016).

    The tree's root is the article, its other nodes the comments, so n = comments + 1.
    ``sizes`` are the comments' subtree sizes: the edge above a subtree of s nodes lies
    on 2·s·(n−s) ordered paths; summed and divided by n(n−1). None without comments.
    """
    value = _virality(sizes)
    return None if value is None else _round(value)


def _virality(sizes: np.ndarray) -> float | None:
    n = len(sizes) + 1
    if n == 1:
        return None
    s = sizes.astype(np.float64)
    return float((2 * s * (n - s)).sum()) / (n * (n - 1))


def _corpus_virality(comments: pd.DataFrame, sizes: np.ndarray) -> float | None:
    """One page: its virality. Several pages (a ``source`` column): the plain mean over pages."""
    if "source" not in comments.columns:
        return structural_virality(sizes)
    per_page = [_virality(sizes[rows]) for rows in comments.groupby("source", sort=False).indices.values()]
    values = [value for value in per_page if value is not None]
    return _round(float(np.mean(values))) if values else None


def _median_reply_delay(timestamps: pd.Series, parents: np.ndarray) -> float | None:
    replies = parents >= 0
    reply_times = timestamps.to_numpy()[replies]
    parent_times = timestamps.to_numpy()[parents[replies]]
    delays = pd.Series(reply_times - parent_times).dropna()
    if delays.empty:
        return None
    return _round(delays.median() / pd.Timedelta(minutes=1))


def _busiest_day(times: pd.Series) -> str | None:
    day = _busiest(times.dt.normalize())
    return None if day is None else day.strftime("%Y-%m-%d")


def _busiest_hours(times: pd.Series) -> dict[str, Any]:
    """The busiest clock hour and the busiest hour of the day, each with its count."""
    dated = times.dropna()
    if dated.empty:
        return dict.fromkeys(
            ("busiest_hour", "busiest_hour_comments", "busiest_hour_of_day", "busiest_hour_of_day_comments")
        )
    hour, of_day = _busiest(dated.dt.floor("h")), _busiest(dated.dt.hour)
    return {
        "busiest_hour": hour.strftime("%Y-%m-%d %H:%M"),
        "busiest_hour_comments": int((dated.dt.floor("h") == hour).sum()),
        "busiest_hour_of_day": int(of_day),
        "busiest_hour_of_day_comments": int((dated.dt.hour == of_day).sum()),
    }


def _busiest(values: pd.Series) -> Any:
    """The most frequent value; a tie goes to the smallest (earliest day, earliest hour)."""
    if values.empty:
        return None
    counts = values.value_counts()
    best = counts[counts == counts.max()].index.min()
    return best.item() if isinstance(best, np.generic) else best


def _top_commenter(people: pd.Series, timestamps: pd.Series) -> str | None:
    """Most comments; a tie goes to who commented first (by time, undated last, then by place in the page).

    Array work rather than a groupby: this runs once per page, and a corpus has thousands.
    """
    encoded = arrow_strings(people).dictionary_encode()  # codes follow first appearance
    codes = pc.fill_null(encoded.indices, -1).to_numpy()
    named = codes >= 0
    if not named.any():
        return None
    codes, names = codes[named], encoded.dictionary
    times = timestamps.to_numpy()[named]
    ticks = np.where(np.isnat(times), np.iinfo(np.int64).max, times.astype("datetime64[us]").astype(np.int64))
    first = np.full(len(names), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, ticks)
    best = np.lexsort((np.arange(len(names)), first, -np.bincount(codes, minlength=len(names))))[0]
    return str(names[int(best)].as_py())


def _round(value: float) -> float:
    return round(float(value), _DIGITS)


def literature_measures(comments: pd.DataFrame, people: pd.Series, parents: np.ndarray) -> dict[str, Any]:
    """Every ``MEASURE_GROUPS`` key: counts as int, the rest float or None where undefined.

    ``people``: each comment's named person, null for an anonymous one, a pingback or a trackback."""
    codes = author_codes(people)
    timestamps = comments["timestamp"].to_numpy()
    dated = ~np.isnat(timestamps)
    ticks = timestamps.astype("datetime64[us]").astype(np.int64)
    depth = comments["depth"].to_numpy(dtype=np.int64)
    counts = np.bincount(codes[codes >= 0])
    edges = reply_edges(codes, parents)
    mutual, pairs = pair_counts(*edges)
    delays = _reply_delays(ticks, dated, parents)
    return {
        **_participation(codes, counts, ticks, dated),
        "longest_exchange": longest_exchange(codes, depth, parents),
        "mutual_dyads": pair_counts(*edges, at_least=2)[0],
        "reciprocity": _maybe(mutual / pairs if pairs else None),  # as ``network.reciprocity``
        **_reply_times(delays, ticks, dated, depth, parents),
        "gini_comments": _maybe(gini(counts)),
        "top10pct_share": _maybe(top_share(counts, math.ceil(len(counts) / 10))),  # at least one
        "one_time_share": _share(counts == 1),
    }


def author_codes(authors: pd.Series) -> np.ndarray:
    """One integer per named author (-1 for anonymous), in order of first appearance."""
    encoded = arrow_strings(authors).dictionary_encode()
    return pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def gini(counts: np.ndarray) -> float | None:
    """Gini coefficient of comments per commenter: 0 when all wrote as many, towards 1 when one wrote all."""
    k = len(counts)
    if k == 0:
        return None
    x = np.sort(counts).astype(np.float64)
    return float(2 * (np.arange(1, k + 1) * x).sum() / (k * x.sum()) - (k + 1) / k)


def top_share(counts: np.ndarray, people: int) -> float | None:
    """Share of named comments written by the ``people`` most active commenters."""
    if len(counts) == 0:
        return None
    return float(np.sort(counts)[::-1][:people].sum() / counts.sum())


def longest_exchange(codes: np.ndarray, depth: np.ndarray, parents: np.ndarray) -> int:
    """Most comments in one reply chain alternating between two named people (A→B→A…); 0 when none.

    run[c] is the longest such chain ending at c: one more than its parent's when c's author
    also wrote the grandparent (and not the parent), 2 when c answers someone else, one
    level at a time so that a parent's run is known before its replies'.
    """
    run = np.where(codes >= 0, 1, 0).astype(np.int64)
    by_depth = np.argsort(depth, kind="stable")
    level_starts = np.searchsorted(depth[by_depth], np.arange(int(depth.max(initial=0)) + 2))
    for level in range(1, len(level_starts) - 1):
        rows = by_depth[level_starts[level] : level_starts[level + 1]]
        parent = parents[rows]
        grandparent = parents[parent]
        mine, theirs = codes[rows], codes[parent]
        before = np.where(grandparent >= 0, codes[grandparent], -1)
        pair = (mine >= 0) & (theirs >= 0) & (mine != theirs)
        run[rows] = np.where(pair & (before == mine), run[parent] + 1, np.where(pair, 2, run[rows]))
    longest = int(run.max(initial=0))
    return longest if longest >= 2 else 0


def reply_edges(codes: np.ndarray, parents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(replier, person answered, replies) per directed pair of named people, as author codes."""
    replies = np.flatnonzero(parents >= 0)
    source, target = codes[replies], codes[parents[replies]]
    named = (source >= 0) & (target >= 0)
    people = max(int(codes.max(initial=-1)) + 1, 1)
    keys, counts = np.unique(source[named] * people + target[named], return_counts=True)
    return keys // people, keys % people, counts


def _participation(codes: np.ndarray, counts: np.ndarray, ticks: np.ndarray, dated: np.ndarray) -> dict[str, Any]:
    people = len(counts)
    named_comments = int(counts.sum())
    order = np.lexsort((ticks, codes))  # by person, then time
    order = order[(codes[order] >= 0) & dated[order]]
    who, when = codes[order], ticks[order]
    starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]]) if len(who) else np.array([], dtype=np.int64)
    arrivals = np.sort(when[starts])
    returns = starts[(starts + 1 < len(who)) & (who[np.minimum(starts + 1, len(who) - 1)] == who[starts])]
    hours = (arrivals[-1] - arrivals[0]) / (60 * _MINUTE) if len(arrivals) >= 2 else 0
    return {
        "comments_per_commenter": _maybe(named_comments / people if people else None),
        "top2_share": _maybe(top_share(counts, 2)),
        "new_commenters_per_hour": _maybe((len(arrivals) - 1) / hours if hours > 0 else None),
        "reentry_share": _share(counts >= 2),
        "median_reentry_minutes": _median_minutes(when[returns + 1] - when[returns]),
    }


def _reply_delays(ticks: np.ndarray, dated: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """Reply time minus parent time, in minutes, for every reply dated on both ends."""
    replies = np.flatnonzero((parents >= 0) & dated)
    replies = replies[dated[parents[replies]]]
    return (ticks[replies] - ticks[parents[replies]]) / _MINUTE


def _reply_times(
    delays: np.ndarray, ticks: np.ndarray, dated: np.ndarray, depth: np.ndarray, parents: np.ndarray
) -> dict[str, Any]:
    if len(delays):
        p10, p25, p75, p90 = (float(q) for q in np.quantile(delays, [0.1, 0.25, 0.75, 0.9]))
    else:
        p10 = p25 = p75 = p90 = None
    spread = math.log10(p90 / p10) if p10 is not None and p90 is not None and p10 > 0 else None
    direct = np.flatnonzero((depth == 1) & dated)
    direct = direct[dated[parents[direct]]]
    first = np.full(len(ticks), np.iinfo(np.int64).max)
    np.minimum.at(first, parents[direct], ticks[direct])
    answered = first < np.iinfo(np.int64).max
    on_time = delays >= 0
    return {
        "reply_delay_p10_minutes": _maybe(p10),
        "reply_delay_p25_minutes": _maybe(p25),
        "reply_delay_p75_minutes": _maybe(p75),
        "reply_delay_p90_minutes": _maybe(p90),
        "reply_delay_log10_spread": _maybe(spread),
        "median_first_reply_minutes": _median_minutes(first[answered] - ticks[answered]),
        "replies_within_hour_share": _share(on_time & (delays <= 60)),
        "replies_within_day_share": _share(on_time & (delays <= 24 * 60)),
    }


def _median_minutes(microseconds: np.ndarray) -> float | None:
    return _maybe(float(np.median(microseconds)) / _MINUTE if len(microseconds) else None)


def _share(flags: np.ndarray) -> float | None:
    return _maybe(float(flags.mean()) if len(flags) else None)


def _maybe(value: float | None) -> float | None:
    return None if value is None else round(float(value), _DIGITS)


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


# --- Generated multi-thread inputs. -----------------------------------------------------------------

_EPOCH = pd.Timestamp("2020-03-01").value // 1000  # microseconds


@st.composite
def thread_frames(draw, source: str) -> pd.DataFrame:
    """One thread's comments in document order: random parents, authors (some anonymous, some shared
    with other threads), times (some missing, some before their parent, some equal, some before 1970),
    and some pingbacks and trackbacks, named like people or not named at all."""
    size = draw(st.integers(min_value=0, max_value=18))
    parents: list[int | None] = [None] * size
    for k in range(1, size):
        parents[k] = draw(st.one_of(st.none(), st.integers(0, k - 1)))
    authors = draw(st.lists(st.sampled_from(["Ann", "Bob", "Cy", "Dee", None]), min_size=size, max_size=size))
    base = draw(st.sampled_from([_EPOCH, -86_400_000_000 * 400 + 1_234]))
    steps = st.one_of(st.none(), st.integers(-3_600_000_000, 90_000_000_000), st.sampled_from([0, 60_000_000]))
    offsets = draw(st.lists(steps, min_size=size, max_size=size))
    words = draw(st.lists(st.integers(0, 40), min_size=size, max_size=size))
    kinds = draw(
        st.lists(st.sampled_from(["comment", "comment", "pingback", "trackback"]), min_size=size, max_size=size)
    )
    children: dict[int | None, list[int]] = {}
    for k, parent in enumerate(parents):
        children.setdefault(parent, []).append(k)
    order, stack, depth = [], list(reversed(children.get(None, []))), {}
    while stack:
        k = stack.pop()
        depth[k] = 0 if parents[k] is None else depth[parents[k]] + 1
        order.append(k)
        stack.extend(reversed(children.get(k, [])))
    frame = pd.DataFrame(
        {
            "id": [f"c{k}" for k in order],
            "parent_id": [None if parents[k] is None else f"c{parents[k]}" for k in order],
            "depth": [depth[k] for k in order],
            "position": range(size),
            "number": [None] * size,
            "author": [authors[k] for k in order],
            "timestamp": [None if offsets[k] is None else np.datetime64(base + offsets[k], "us") for k in order],
            "text": ["x"] * size,
            "words": [words[k] for k in order],
            "line": range(1, size + 1),
            "kind": [kinds[k] for k in order],
        },
        columns=list(COMMENT_SCHEMA),
    )
    return frame.astype({name: dtype for name, (dtype, _) in COMMENT_SCHEMA.items()})


@st.composite
def inputs(draw) -> list[Thread]:
    """The Threads of one export: several threads whose ids repeat from one thread to the next."""
    count = draw(st.integers(min_value=1, max_value=6))
    threads = []
    for k in range(count):
        source = f"dump.ndjson#t{k}"
        declared = draw(st.one_of(st.none(), st.integers(0, 30)))
        article = Article(source=source, title=f"post {k}", declared_comments=declared)
        threads.append(Thread(article=article, comments=draw(thread_frames(source))))
    return threads


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_grouped_stats_equal_the_per_thread_reference(threads):
    assert page_stats(threads) == [reference_stats(thread.comments, thread.article) for thread in threads]


@settings(max_examples=40, deadline=None)
@given(inputs(), st.integers(min_value=2, max_value=4))
def test_threads_shared_among_processes_give_the_figures_of_one_pass(threads, parts):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stats_module, "SHARED_FROM_COMMENTS", 0)
        patch.setattr(stats_module, "spare_cores", lambda limit: parts if limit is None else min(parts, limit))
        shared = stats_module.page_stats(threads)
        alone = stats_module.page_stats(threads, processes=1)
    assert shared == alone == [reference_stats(thread.comments, thread.article) for thread in threads]


def test_a_big_inputs_threads_are_shared_in_shares_of_about_equal_work(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = [900, 5, 5, 5, 5, 0, 5, 5, 5, 5, 5, 5]  # one big thread, then small ones
    threads = [
        Thread(article=Article(source=f"dump#t{k}"), comments=_flat_thread(size)) for k, size in enumerate(sizes)
    ]
    shares: list[list[tuple[int, int]]] = []

    def recorded(function: Any, parts: list[tuple[int, int]]) -> list[Any]:
        shares.append(parts)
        return [function(part) for part in parts]

    monkeypatch.setattr(stats_module, "SHARED_FROM_COMMENTS", 0)
    monkeypatch.setattr(stats_module, "spare_cores", lambda limit: 2)
    monkeypatch.setattr(stats_module, "in_processes", recorded)
    figures = stats_module.page_stats(threads)
    assert shares == [[(0, 1), (1, 12)]]  # the big thread is half the rows, the small ones half the threads
    assert [row["comments"] for row in figures] == sizes
    monkeypatch.setattr(stats_module, "SHARED_FROM_COMMENTS", 10**6)
    assert stats_module.page_stats(threads) == figures
    assert shares[-1] == [(0, 12)]  # a small input is one share


def _flat_thread(size: int) -> pd.DataFrame:
    """``size`` top-level comments by one person, a minute apart."""
    ids = [f"c{i + 1}" for i in range(size)]
    frame = pd.DataFrame(
        {
            "id": ids,
            "parent_id": [None] * size,
            "path": ids,
            "depth": 0,
            "position": range(size),
            "number": range(1, size + 1),
            "author": "someone",
            "author_id": None,
            "timestamp": pd.date_range("2024-01-01", periods=size, freq="min"),
            "text": "",
            "words": 0,
            "line": range(1, size + 1),
            "kind": "comment",
            "score": None,
        }
    )
    return frame[list(COMMENT_SCHEMA)].astype({name: dtype for name, (dtype, _) in COMMENT_SCHEMA.items()})


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_corpus_totals_equal_the_reference(threads):
    threads = [thread for thread in threads if len(thread.comments)] or threads[:1]
    comments = corpus_comments(threads)
    articles = [thread.article for thread in threads]
    declared = [article.declared_comments for article in articles]
    total = Article(source="(all pages)", declared_comments=None if None in declared else sum(declared))
    assert corpus_totals(comments, articles) == reference_stats(comments, total)


def test_a_big_thread_equals_the_reference():
    """Sizes where numpy's pairwise sums and the grouped exact sums could part: 20,000 comments."""
    rng = np.random.default_rng(3)
    size = 20_000
    parent = np.where(rng.random(size) < 0.2, -1, (rng.random(size) * np.arange(size)).astype(np.int64))
    parent[0] = -1
    depth = np.zeros(size, dtype=np.int64)
    for k in range(1, size):
        depth[k] = 0 if parent[k] < 0 else depth[parent[k]] + 1
    ticks = _EPOCH + np.sort(rng.integers(0, 10 * 86_400_000_000, size))
    frame = pd.DataFrame(
        {
            "id": [f"c{k}" for k in range(size)],
            "parent_id": [None if p < 0 else f"c{p}" for p in parent],
            "depth": depth,
            "position": range(size),
            "number": [None] * size,
            "author": [None if a == 0 else f"u{a}" for a in rng.zipf(1.5, size) % 500],
            "timestamp": ticks.astype("datetime64[us]"),
            "text": ["x"] * size,
            "words": rng.integers(0, 80, size),
            "line": range(1, size + 1),
            "kind": np.where(rng.random(size) < 0.03, "pingback", "comment"),
        },
        columns=list(COMMENT_SCHEMA),
    ).astype({name: dtype for name, (dtype, _) in COMMENT_SCHEMA.items()})
    thread = Thread(article=Article(source="big"), comments=frame)
    assert page_stats([thread]) == [reference_stats(frame, thread.article)]


def test_a_reply_to_a_missing_comment_is_refused_as_before():
    frame = pd.DataFrame(
        {"id": ["a", "b"], "parent_id": [None, "zz"], "depth": [0, 1], "author": ["x", "y"],
         "timestamp": pd.to_datetime([None, None]).astype("datetime64[us]"), "words": [1, 1]}
    )  # fmt: skip
    thread = Thread(article=Article(source="p"), comments=frame)
    for compute in (lambda: page_stats([thread]), lambda: reference_stats(frame, thread.article)):
        try:
            compute()
        except InputError as error:
            assert str(error) == "a reply names an unknown parent comment 'zz'"
        else:
            raise AssertionError("no error")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.floats(-1e6, 1e6, allow_nan=False)), max_size=40))
def test_group_quantiles_and_medians_are_numpys_to_the_bit(pairs):
    labels = np.array([label for label, _ in pairs], dtype=np.int64)
    values = np.array([value for _, value in pairs], dtype=np.float64)
    quantiles = group_quantiles(labels, values, 5, [0.1, 0.25, 0.75, 0.9])
    medians = group_median(labels, values, 5)
    for group in range(5):
        mine = values[labels == group]
        if len(mine):
            assert quantiles[:, group].tolist() == np.quantile(mine, [0.1, 0.25, 0.75, 0.9]).tolist()
            assert medians[group] == np.median(mine)
        else:
            assert np.isnan(quantiles[:, group]).all() and np.isnan(medians[group])
