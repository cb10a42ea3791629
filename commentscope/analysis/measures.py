"""The thread measures the research literature publishes, defined as the README's "Measures" says.

Participation follows Backstrom, Kleinberg, Lee and Danescu-Niculescu-Mizil (WSDM 2013);
back-and-forth, reply times and inequality are the usual figures of the field. Anonymous
comments are many unknown people, so every per-person figure counts named commenters only.
All of it is array work: sorting, bincounts and one pass per depth level.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from commentscope.analysis._structure import arrow_strings
from commentscope.analysis.network import pair_counts

#: The groups ``thread_stats`` adds, each key once, in the order of ``literature_measures``.
MEASURE_GROUPS: dict[str, list[str]] = {
    "participation": [
        "comments_per_commenter",
        "top2_share",
        "new_commenters_per_hour",
        "reentry_share",
        "median_reentry_minutes",
    ],
    "back-and-forth": ["longest_exchange", "mutual_dyads", "reciprocity"],
    "reply times": [
        "reply_delay_p10_minutes",
        "reply_delay_p25_minutes",
        "reply_delay_p75_minutes",
        "reply_delay_p90_minutes",
        "reply_delay_log10_spread",
        "median_first_reply_minutes",
        "replies_within_hour_share",
        "replies_within_day_share",
    ],
    "inequality": ["gini_comments", "top10pct_share", "one_time_share"],
}

_DIGITS = 4
_MINUTE = 60_000_000  # microseconds


def literature_measures(comments: pd.DataFrame, parents: np.ndarray) -> dict[str, Any]:
    """Every ``MEASURE_GROUPS`` key: counts as int, the rest float or None where undefined."""
    codes = author_codes(comments["author"])
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
