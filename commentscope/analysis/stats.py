"""One thread summed up: its shape, its people and its timing, as plain values.

Every figure is computed for many threads at once (``grouped_stats``): an export holds
thousands of threads, so a pass per thread would cost more than reading the file.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from commentscope.analysis._structure import (
    ANONYMOUS,
    GroupedRows,
    arrow_strings,
    by_people,
    group_extreme,
    group_first,
    group_median,
    group_mode,
    group_sum,
    scoped_parent_rows,
    subtree_sizes,
)
from commentscope.analysis.measures import MEASURE_GROUPS, literature_measures
from commentscope.model import Article, Thread, stacked_comments
from commentscope.parallel import in_processes, spare_cores

#: Every ``thread_stats`` key once, grouped for a readable table.
#: When a thread was busiest, two questions apart: one clock hour on one date ("2019-01-24 13:00",
#: 13:00 to 13:59) and the hour of the day over every day (0-23), each with its count. A tie goes
#: to the earliest. "13" alone next to a busiest day reads as 13:00 on that day.
BUSIEST_HOUR_KEYS = ("busiest_hour", "busiest_hour_comments", "busiest_hour_of_day", "busiest_hour_of_day_comments")

STATS_GROUPS: dict[str, list[str]] = {
    "article": ["source", "title", "byline", "declared_comments"],
    "discussion shape": [
        "comments",
        "top_level",
        "replies",
        "pingbacks",
        "max_depth",
        "mean_depth",
        "h_index",
        "structural_virality",
        "largest_subthread",
    ],
    "people": ["anonymous", "commenters", "top_commenter", "words_total", "words_median"],
    "time": [
        "first_comment",
        "last_comment",
        "span_hours",
        "median_reply_delay_minutes",
        "busiest_day",
        *BUSIEST_HOUR_KEYS,
    ],
    **MEASURE_GROUPS,
}


_DIGITS = 4


def thread_stats(comments: pd.DataFrame, article: Article) -> dict[str, Any]:
    """Summarise a thread in plain Python values (str, int, float, None, ``pd.Timestamp``).

    Depths are the schema's (0 = top level). With a ``source`` column the frame is a
    corpus: counts cover every page and structural virality is the mean over pages.
    An empty thread gives 0 for counts and None for everything else. Pingbacks and
    trackbacks are comments of the thread's shape and timing, counted as ``pingbacks``, and
    nobody in the figures about people (``_structure.by_people``).
    """
    return grouped_stats(thread_rows(comments), [article])[0]


def thread_rows(comments: pd.DataFrame) -> GroupedRows:
    """One thread (or a corpus frame, its pages scoped by ``source``) as a single group."""
    if "source" in comments.columns:
        scope = pd.factorize(comments["source"])[0].astype(np.int64)
    else:
        scope = np.zeros(len(comments), dtype=np.int64)
    return _grouped(comments, np.zeros(len(comments), dtype=np.int64), 1, scope)


#: Comments from which an input's threads are shared among the cores (``parallel.in_processes``):
#: below it, forking costs more than it saves.
SHARED_FROM_COMMENTS = 200_000


def page_stats(threads: list[Thread], processes: int | None = None) -> list[dict[str, Any]]:
    """``thread_stats`` of each Thread of one input, all computed together: a dump holds thousands
    of threads, and one pass over all their rows costs less than a pass per thread. A big input's
    threads are shared among at most ``processes`` cores (None: every core), each share's rows
    in one pass. A module-level function, so that workers can run it."""
    if not threads:
        return []
    comments = stacked_comments(threads)
    sizes = np.array([len(thread.comments) for thread in threads], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    parts = spare_cores(processes) if len(comments) >= SHARED_FROM_COMMENTS else 1
    # Shares of about equal work, which is about half per row and half per thread (each thread's
    # figures are made into values one by one), cut at the threads' bounds nearest to equal.
    work = np.concatenate([[0.0], np.cumsum(sizes / max(len(comments), 1) + 1 / len(threads))])
    wanted = np.arange(parts + 1) * work[-1] / parts
    cuts = np.rint(np.interp(wanted, work, np.arange(len(threads) + 1))).astype(np.int64)

    def figures(share: tuple[int, int]) -> list[dict[str, Any]]:
        first, stop = share
        rows = comments.iloc[bounds[first] : bounds[stop]]
        group = np.repeat(np.arange(stop - first, dtype=np.int64), sizes[first:stop])
        return grouped_stats(_grouped(rows, group, stop - first, group), [t.article for t in threads[first:stop]])

    shares = [(int(first), int(stop)) for first, stop in itertools.pairwise(cuts) if stop > first]
    return [stats for share in in_processes(figures, shares) for stats in share]


def _grouped(comments: pd.DataFrame, group: np.ndarray, groups: int, scope: np.ndarray) -> GroupedRows:
    depth = comments["depth"].to_numpy(dtype=np.int64)
    return GroupedRows(
        group=group,
        groups=groups,
        scope=scope,
        depth=depth,
        parents=scoped_parent_rows(arrow_strings(comments["id"]), arrow_strings(comments["parent_id"]), scope, depth),
        authors=arrow_strings(comments["author"]),
        timestamps=comments["timestamp"].to_numpy(),
        words=comments["words"].to_numpy(dtype=np.int64),
        by_people=by_people(comments),
    )


#: The ``source`` of a corpus's totals row.
TOTAL_SOURCE = "(all pages)"


def corpus_totals(comments: pd.DataFrame, articles: list[Article]) -> dict[str, Any]:
    """The totals row of several pages: ``thread_stats`` of all their comments together.

    Counts and words add up over the pages; depth, h-index and timing describe the pooled
    comments; structural virality is the mean over pages. Declared counts are summed only
    when every page declares one.
    """
    declared = [article.declared_comments for article in articles]
    total = Article(source=TOTAL_SOURCE, declared_comments=None if None in declared else sum(declared))
    return thread_stats(comments, total)


def h_index(depth: np.ndarray) -> int:
    """Thread h-index (Gómez, Kaltenbrunner & López 2008).

    The largest h such that nesting level h (top level = 1, so level = depth + 1)
    holds at least h comments; 0 for an empty thread.
    """
    return int(_h_indices(np.zeros(len(depth), dtype=np.int64), depth, 1)[0])


def structural_virality(sizes: np.ndarray) -> float | None:
    """Mean distance between all pairs of nodes of one page's tree (Goel et al. 2016).

    The tree's root is the article, its other nodes the comments, so n = comments + 1.
    ``sizes`` are the comments' subtree sizes: the edge above a subtree of s nodes lies
    on 2·s·(n−s) ordered paths; summed and divided by n(n−1). None without comments.
    """
    value = _viralities(np.zeros(len(sizes), dtype=np.int64), sizes, 1)[0]
    return None if np.isnan(value) else _round(value)


def grouped_stats(rows: GroupedRows, articles: list[Article]) -> list[dict[str, Any]]:
    """``thread_stats`` of every group of ``rows``, group g described by ``articles[g]``."""
    g, count = rows.group, rows.groups
    depth = rows.depth
    sizes = subtree_sizes(depth, rows.parents)
    top = depth == 0
    comments = np.bincount(g, minlength=count)
    top_level = np.bincount(g[top], minlength=count)
    anonymous = np.bincount(g[rows.author_codes == ANONYMOUS], minlength=count)
    pingbacks = np.bincount(g[~rows.by_people], minlength=count)
    commenters = np.bincount(rows.person_group, minlength=count)
    deepest = group_extreme(g, depth, count, largest=True, empty=-1)
    depth_total = group_sum(g, depth, count)
    h = _h_indices(g, depth, count)
    largest = group_extreme(g[top], sizes[top], count, largest=True, empty=0)
    virality = _group_virality(rows, sizes)
    words_total = group_sum(g, rows.words, count)
    words_median = group_median(g, rows.words, count)
    times, busy = _timing(rows)
    top_commenters = _top_commenters(rows)
    measures = literature_measures(rows)
    out = []
    for k, article in enumerate(articles):
        n = int(comments[k])
        out.append(
            {
                "source": article.source,
                "title": article.title,
                "byline": article.byline,
                "declared_comments": article.declared_comments,
                "comments": n,
                "top_level": int(top_level[k]),
                "replies": n - int(top_level[k]),
                "pingbacks": int(pingbacks[k]),
                "anonymous": int(anonymous[k]),
                "commenters": int(commenters[k]),
                "max_depth": int(deepest[k]) if n else None,
                "mean_depth": _round(int(depth_total[k]) / n) if n else None,
                "h_index": int(h[k]),
                "structural_virality": None if np.isnan(virality[k]) else _round(virality[k]),
                "largest_subthread": int(largest[k]),
                **times[k],
                "words_total": int(words_total[k]),
                "words_median": _round(words_median[k]) if n else None,
                **busy[k],
                "top_commenter": top_commenters[k],
                **measures[k],
            }
        )
    return out


def _h_indices(group: np.ndarray, depth: np.ndarray, count: int) -> np.ndarray:
    """Each group's largest level h (top level = 1) holding at least h comments; 0 for none."""
    levels = int(depth.max(initial=0)) + 1
    keys, counts = np.unique(group * levels + depth, return_counts=True)
    level = keys % levels + 1
    qualifies = counts >= level
    return group_extreme(keys[qualifies] // levels, level[qualifies], count, largest=True, empty=0)


def _viralities(scope: np.ndarray, sizes: np.ndarray, count: int) -> np.ndarray:
    """Structural virality of each scope's tree (NaN for one without comments), from its subtree sizes:
    with n = comments + 1, the sum of 2·s·(n−s) over n(n−1), the sum taken exactly."""
    n = np.bincount(scope, minlength=count) + 1
    paths = group_sum(scope, 2 * sizes * (n[scope] - sizes), count)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 1, paths.astype(np.float64) / (n * (n - 1)).astype(np.float64), np.nan)


def _group_virality(rows: GroupedRows, sizes: np.ndarray) -> np.ndarray:
    """Each group's virality: its page's, or for a group of several pages the plain mean over pages."""
    if np.array_equal(rows.scope, rows.group):
        return _viralities(rows.scope, sizes, rows.groups)
    scopes = int(rows.scope.max(initial=-1)) + 1
    per_scope = _viralities(rows.scope, sizes, scopes)
    scope_group = np.zeros(scopes, dtype=np.int64)
    scope_group[rows.scope] = rows.group
    out = np.full(rows.groups, np.nan)
    for k in range(rows.groups):
        values = per_scope[(scope_group == k) & ~np.isnan(per_scope)]
        if len(values):
            out[k] = float(np.mean(values))
    return out


def _timing(rows: GroupedRows) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per group: first and last comment, span and median reply delay; the busiest day and hour."""
    g, count = rows.group, rows.groups
    unit = np.datetime_data(rows.timestamps.dtype)[0]
    native = rows.timestamps.view(np.int64)
    dated = np.flatnonzero(rows.dated)
    label, ticks = g[dated], native[dated]
    first = group_extreme(label, ticks, count, largest=False, empty=np.iinfo(np.int64).max)
    last = group_extreme(label, ticks, count, largest=True, empty=np.iinfo(np.int64).min)
    has = np.bincount(label, minlength=count) > 0
    hour = int(np.timedelta64(1, "h") // np.timedelta64(1, unit))
    day_mode, _ = group_mode(label, np.floor_divide(ticks, 24 * hour), count)
    clock_hour, clock_hour_count = group_mode(label, np.floor_divide(ticks, hour), count)
    hour_of_day, hour_of_day_count = group_mode(label, np.floor_divide(ticks, hour) % 24, count)
    replies = np.flatnonzero((rows.parents >= 0) & rows.dated)
    replies = replies[rows.dated[rows.parents[replies]]]
    delay = group_median(g[replies], native[replies] - native[rows.parents[replies]], count)
    minute = pd.Timedelta(minutes=1)
    times, busy = [], []
    for k in range(count):
        if not has[k]:
            times.append(dict.fromkeys(("first_comment", "last_comment", "span_hours"), None))
            busy.append(dict.fromkeys(("busiest_day", *BUSIEST_HOUR_KEYS)))
        else:
            start, end = _timestamp(first[k], unit), _timestamp(last[k], unit)
            span = _round((end - start) / pd.Timedelta(hours=1))
            times.append({"first_comment": start, "last_comment": end, "span_hours": span})
            day = _timestamp(day_mode[k] * 24 * hour, unit)
            busy.append(
                {
                    "busiest_day": day.strftime("%Y-%m-%d"),
                    "busiest_hour": _timestamp(clock_hour[k] * hour, unit).strftime("%Y-%m-%d %H:%M"),
                    "busiest_hour_comments": int(clock_hour_count[k]),
                    "busiest_hour_of_day": int(hour_of_day[k]),
                    "busiest_hour_of_day_comments": int(hour_of_day_count[k]),
                }
            )
        # as pandas' median of timedeltas: the float median, cut to a whole tick
        times[k]["median_reply_delay_minutes"] = (
            None if np.isnan(delay[k]) else _round(pd.Timedelta(int(np.int64(delay[k])), unit) / minute)
        )
    return times, busy


def _timestamp(ticks: np.int64, unit: str) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(int(ticks), unit))


def _top_commenters(rows: GroupedRows) -> list[str | None]:
    """Most comments in each group; a tie goes to who commented first (by time, undated last, then
    by place in the page)."""
    people = rows.people
    named = np.flatnonzero(people >= 0)
    who = people[named]
    counts = np.bincount(who, minlength=len(rows.person_group))
    ticks = np.where(rows.dated[named], rows.ticks[named], np.iinfo(np.int64).max)
    first = group_extreme(who, ticks, len(counts), largest=False, empty=np.iinfo(np.int64).max)
    persons = np.arange(len(counts))
    best = group_first(rows.person_group, rows.groups, persons, first, -counts)
    author = np.zeros(len(counts), dtype=np.int64)
    author[who] = rows.author_codes[named]
    names = rows.names
    return [None if person < 0 else str(names[int(author[person])].as_py()) for person in best]


def _round(value: float) -> float:
    return round(float(value), _DIGITS)
