"""One thread summed up: its shape, its people and its timing, as plain values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from commentscope.analysis._structure import arrow_strings, parent_rows, subtree_sizes
from commentscope.analysis.measures import MEASURE_GROUPS, literature_measures
from commentscope.model import Article, Thread

#: Every ``thread_stats`` key once, grouped for a readable table.
STATS_GROUPS: dict[str, list[str]] = {
    "article": ["source", "title", "byline", "declared_comments"],
    "discussion shape": [
        "comments",
        "top_level",
        "replies",
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
        "busiest_hour",
    ],
    **MEASURE_GROUPS,
}


_DIGITS = 4


def thread_stats(comments: pd.DataFrame, article: Article) -> dict[str, Any]:
    """Summarise a thread in plain Python values (str, int, float, None, ``pd.Timestamp``).

    Depths are the schema's (0 = top level). With a ``source`` column the frame is a
    corpus: counts cover every page and structural virality is the mean over pages.
    An empty thread gives 0 for counts and None for everything else.
    """
    depth = comments["depth"].to_numpy(dtype=np.int64)
    parents = parent_rows(comments)
    sizes = subtree_sizes(depth, parents)
    named = comments["author"].dropna()
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
        "anonymous": int(comments["author"].isna().sum()),
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
        "busiest_hour": _busiest(times.dt.hour),
        "top_commenter": _top_commenter(comments),
        **literature_measures(comments, parents),
    }


def page_stats(thread: Thread) -> dict[str, Any]:
    """``thread_stats`` of one parsed page; a module-level function so that workers can run it."""
    return thread_stats(thread.comments, thread.article)


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


def _busiest(values: pd.Series) -> Any:
    """The most frequent value; a tie goes to the smallest (earliest day, earliest hour)."""
    if values.empty:
        return None
    counts = values.value_counts()
    best = counts[counts == counts.max()].index.min()
    return best.item() if isinstance(best, np.generic) else best


def _top_commenter(comments: pd.DataFrame) -> str | None:
    """Most comments; a tie goes to who commented first (by time, undated last, then by place in the page).

    Array work rather than a groupby: this runs once per page, and a corpus has thousands.
    """
    encoded = arrow_strings(comments["author"]).dictionary_encode()  # codes follow first appearance
    codes = pc.fill_null(encoded.indices, -1).to_numpy()
    named = codes >= 0
    if not named.any():
        return None
    codes, names = codes[named], encoded.dictionary
    times = comments["timestamp"].to_numpy()[named]
    ticks = np.where(np.isnat(times), np.iinfo(np.int64).max, times.astype("datetime64[us]").astype(np.int64))
    first = np.full(len(names), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, ticks)
    best = np.lexsort((np.arange(len(names)), first, -np.bincount(codes, minlength=len(names))))[0]
    return str(names[int(best)].as_py())


def _round(value: float) -> float:
    return round(float(value), _DIGITS)
