"""The thread measures the research literature publishes, defined as the README's "Measures" says.

Participation follows Backstrom, Kleinberg, Lee and Danescu-Niculescu-Mizil (WSDM 2013);
back-and-forth, reply times and inequality are the usual figures of the field. Anonymous
comments are many unknown people, so every per-person figure counts named commenters only;
pingbacks and trackbacks are nobody (``_structure.by_people``).
All of it is array work over every thread of an input at once (``GroupedRows``): sorting,
bincounts and one pass per depth level, never a Python loop over the comments.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from commentscope.analysis._structure import (
    GroupedRows,
    group_extreme,
    group_median,
    group_quantiles,
    group_sum,
)
from commentscope.ordering import depth_levels, lexsort

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
_NEVER = np.iinfo(np.int64).max
_QUANTILES = [0.1, 0.25, 0.75, 0.9]


def literature_measures(rows: GroupedRows) -> list[dict[str, Any]]:
    """Every ``MEASURE_GROUPS`` key for each group: counts as int, the rest float or None where undefined."""
    people, person_group = rows.people, rows.person_group
    counts = np.bincount(people[people >= 0], minlength=len(person_group))
    participation = _participation(rows, person_group, counts)
    exchange = _longest_exchange(rows)
    mutual, strong, pairs = _pairs(rows, person_group)
    timing = _reply_times(rows)
    inequality = _inequality(person_group, counts, rows.groups)
    return [
        {
            **participation[g],
            "longest_exchange": int(exchange[g]),
            "mutual_dyads": int(strong[g]),
            "reciprocity": _maybe(mutual[g] / pairs[g] if pairs[g] else None),  # as ``network.reciprocity``
            **timing[g],
            **inequality[g],
        }
        for g in range(rows.groups)
    ]


def exchange_runs(codes: np.ndarray, depth: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """For each comment, the most comments of a reply chain ending there that alternates between two
    named people (A→B→A…): 1 for a named comment that answers nobody else, 0 for one by no named
    person (``codes`` below 0: anonymous, or a pingback).

    run[c] is one more than its parent's when c's author also wrote the grandparent (and not the
    parent), 2 when c answers someone else, one level at a time so that a parent's run is known
    before its replies'.
    """
    run = np.where(codes >= 0, 1, 0).astype(np.int64)
    for rows in depth_levels(depth)[1:]:
        parent = parents[rows]
        grandparent = parents[parent]
        mine, theirs = codes[rows], codes[parent]
        before = np.where(grandparent >= 0, codes[grandparent], -1)
        pair = (mine >= 0) & (theirs >= 0) & (mine != theirs)
        run[rows] = np.where(pair & (before == mine), run[parent] + 1, np.where(pair, 2, run[rows]))
    return run


def _longest_exchange(rows: GroupedRows) -> np.ndarray:
    """Each group's longest alternating chain; 0 when none is 2 long."""
    runs = exchange_runs(rows.author_codes, rows.depth, rows.parents)
    longest = group_extreme(rows.group, runs, rows.groups, largest=True, empty=0)
    return np.where(longest >= 2, longest, 0)


def _pairs(rows: GroupedRows, person_group: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: pairs of people who each answered the other (at least once; at least twice), and
    pairs with a reply either way. Self-replies are no pair. As ``network.pair_counts``, grouped."""
    replies = np.flatnonzero(rows.parents >= 0)
    source, target = rows.people[replies], rows.people[rows.parents[replies]]
    keep = (source >= 0) & (target >= 0) & (source != target)
    width = len(person_group)
    edges, replies_each = np.unique(source[keep] * width + target[keep], return_counts=True)
    source, target = edges // width, edges % width
    undirected = np.unique(np.minimum(source, target) * width + np.maximum(source, target))

    def mutual(at_least: int) -> np.ndarray:
        strong = replies_each >= at_least
        answered = np.isin(target[strong] * width + source[strong], edges[strong])
        return np.bincount(person_group[source[strong][answered]], minlength=rows.groups) // 2

    pairs = np.bincount(person_group[undirected // width], minlength=rows.groups)
    return mutual(1), mutual(2), pairs


def _participation(rows: GroupedRows, person_group: np.ndarray, counts: np.ndarray) -> list[dict[str, Any]]:
    """Each person's first and second dated comment, then per group: arrivals and returns."""
    dated = np.flatnonzero((rows.people >= 0) & rows.dated)
    order = dated[lexsort((rows.ticks[dated], rows.people[dated]))]  # by person, then time
    who, when = rows.people[order], rows.ticks[order]
    starts = np.flatnonzero(np.r_[True, who[1:] != who[:-1]]) if len(who) else np.zeros(0, dtype=np.int64)
    arrival_group = person_group[who[starts]]
    first = group_extreme(arrival_group, when[starts], rows.groups, largest=False, empty=_NEVER)
    last = group_extreme(arrival_group, when[starts], rows.groups, largest=True, empty=-_NEVER)
    arrivals = np.bincount(arrival_group, minlength=rows.groups)
    returns = starts[(starts + 1 < len(who)) & (who[np.minimum(starts + 1, max(len(who) - 1, 0))] == who[starts])]
    reentry = group_median(person_group[who[returns]], when[returns + 1] - when[returns], rows.groups)
    people = np.bincount(person_group, minlength=rows.groups)
    named = group_sum(person_group, counts, rows.groups)
    top2 = _top_sums(person_group, counts, np.full(rows.groups, 2), rows.groups)
    returning = np.bincount(person_group[counts >= 2], minlength=rows.groups)
    out = []
    for g in range(rows.groups):
        k = int(people[g])
        hours = (last[g] - first[g]) / (60 * _MINUTE) if arrivals[g] >= 2 else 0
        out.append(
            {
                "comments_per_commenter": _maybe(int(named[g]) / k if k else None),
                "top2_share": _maybe(int(top2[g]) / int(named[g]) if k else None),
                "new_commenters_per_hour": _maybe((int(arrivals[g]) - 1) / hours if hours > 0 else None),
                "reentry_share": _maybe(int(returning[g]) / k if k else None),
                "median_reentry_minutes": _minutes(reentry[g]),
            }
        )
    return out


def _top_sums(person_group: np.ndarray, counts: np.ndarray, people: np.ndarray, groups: int) -> np.ndarray:
    """Comments written by each group's ``people[g]`` most active people."""
    order = lexsort((-counts, person_group))
    label = person_group[order]
    sizes = np.bincount(person_group, minlength=groups)
    rank = np.arange(len(order)) - (np.cumsum(sizes) - sizes)[label]
    top = rank < people[label]
    return np.bincount(label[top], weights=counts[order][top], minlength=groups).astype(np.int64)


def _reply_times(rows: GroupedRows) -> list[dict[str, Any]]:
    ticks, dated, parents, depth = rows.ticks, rows.dated, rows.parents, rows.depth
    replies = np.flatnonzero((parents >= 0) & dated)
    replies = replies[dated[parents[replies]]]
    delays = (ticks[replies] - ticks[parents[replies]]) / _MINUTE  # minutes, reply time minus parent time
    label = rows.group[replies]
    p10, p25, p75, p90 = group_quantiles(label, delays, rows.groups, _QUANTILES)
    timed = np.bincount(label, minlength=rows.groups)
    on_time = delays >= 0
    within_hour = np.bincount(label[on_time & (delays <= 60)], minlength=rows.groups)
    within_day = np.bincount(label[on_time & (delays <= 24 * 60)], minlength=rows.groups)
    direct = np.flatnonzero((depth == 1) & dated)
    direct = direct[dated[parents[direct]]]
    first = np.full(len(ticks), _NEVER)
    np.minimum.at(first, parents[direct], ticks[direct])
    answered = np.flatnonzero(first < _NEVER)
    first_reply = group_median(rows.group[answered], first[answered] - ticks[answered], rows.groups)
    out = []
    for g in range(rows.groups):
        low, high = (None, None) if not timed[g] else (float(p10[g]), float(p90[g]))
        spread = math.log10(high / low) if low is not None and high is not None and low > 0 else None
        out.append(
            {
                "reply_delay_p10_minutes": _maybe(low),
                "reply_delay_p25_minutes": _maybe(float(p25[g]) if timed[g] else None),
                "reply_delay_p75_minutes": _maybe(float(p75[g]) if timed[g] else None),
                "reply_delay_p90_minutes": _maybe(high),
                "reply_delay_log10_spread": _maybe(spread),
                "median_first_reply_minutes": _minutes(first_reply[g]),
                "replies_within_hour_share": _maybe(int(within_hour[g]) / int(timed[g]) if timed[g] else None),
                "replies_within_day_share": _maybe(int(within_day[g]) / int(timed[g]) if timed[g] else None),
            }
        )
    return out


def _inequality(person_group: np.ndarray, counts: np.ndarray, groups: int) -> list[dict[str, Any]]:
    """Gini, the top tenth's share and the one-time share of comments per commenter, per group.

    Gini is 2·Σ i·x_i / (k·Σx) − (k+1)/k over the k counts sorted ascending: 0 when all wrote as
    many, towards 1 when one wrote all.
    """
    people = np.bincount(person_group, minlength=groups)
    order = lexsort((counts, person_group))
    label = person_group[order]
    rank = np.arange(1, len(order) + 1) - (np.cumsum(people) - people)[label]
    weighted = group_sum(label, rank * counts[order], groups)
    total = group_sum(person_group, counts, groups)
    tenth = _top_sums(person_group, counts, -(-people // 10), groups)  # at least one person
    once = np.bincount(person_group[counts == 1], minlength=groups)
    out = []
    for g in range(groups):
        k = int(people[g])
        gini = 2 * float(weighted[g]) / (k * float(total[g])) - (k + 1) / k if k else None
        out.append(
            {
                "gini_comments": _maybe(gini),
                "top10pct_share": _maybe(int(tenth[g]) / int(total[g]) if k else None),
                "one_time_share": _maybe(int(once[g]) / k if k else None),
            }
        )
    return out


def _minutes(microseconds: float) -> float | None:
    return None if np.isnan(microseconds) else _maybe(float(microseconds) / _MINUTE)


def _maybe(value: float | None) -> float | None:
    return None if value is None else round(float(value), _DIGITS)
