"""How a thread is spread out: comments per depth, reply delays, and a period that suits its span.

The report draws these; they are here, as plain frames, so that a script can have them too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from commentscope.analysis._structure import parent_rows

#: Upper bounds (minutes) of the reply-delay bins: 1-2-5 steps, even on a log axis, up to a year.
DELAY_BOUNDS: list[float] = [
    1,
    2,
    5,
    10,
    20,
    30,
    60,
    120,
    300,
    600,
    1440,
    2880,
    7 * 1440,
    30 * 1440,
    365 * 1440,
]

#: Largest number of periods a timeline should have before a coarser period is chosen.
MAX_PERIODS = 120


def depth_distribution(comments: pd.DataFrame) -> pd.DataFrame:
    """Comments at each depth from 0 to the deepest, empty levels included (none in a valid tree)."""
    depth = comments["depth"].to_numpy(dtype=np.int64)
    counts = np.bincount(depth) if len(depth) else np.zeros(0, dtype=np.int64)
    return pd.DataFrame({"depth": np.arange(len(counts), dtype=np.int64), "comments": counts.astype(np.int64)})


def reply_delays(comments: pd.DataFrame) -> np.ndarray:
    """Minutes from each dated reply's parent to the reply (undated ones left out), as floats."""
    parents = parent_rows(comments)
    replies = parents >= 0
    times = comments["timestamp"].to_numpy().astype("datetime64[us]")
    delays = times[replies] - times[parents[replies]]
    known = ~np.isnat(delays)
    return delays[known].astype(np.int64) / 60e6


def delay_histogram(comments: pd.DataFrame) -> pd.DataFrame:
    """Replies per delay bin (``DELAY_BOUNDS``), from the first bin holding a reply to the last.

    Each bin holds delays in [lower, upper) minutes; the first starts at 0 and the last is
    open ended (upper None). A reply posted before its parent (clocks, time zones) counts
    as 0. Bins are even on a log axis, so a chart of them shows minutes and days alike.
    """
    delays = np.maximum(reply_delays(comments), 0.0)
    uppers = np.asarray(DELAY_BOUNDS, dtype=np.float64)
    counts = np.bincount(np.searchsorted(uppers, delays, side="right"), minlength=len(uppers) + 1)
    lowers = [0.0, *DELAY_BOUNDS]
    frame = pd.DataFrame(
        {
            "lower_minutes": pd.Series(lowers, dtype="float64"),
            "upper_minutes": pd.Series([*DELAY_BOUNDS, None], dtype="float64"),
            "replies": counts.astype(np.int64),
        }
    )
    filled = np.flatnonzero(counts)
    if not len(filled):
        return frame.iloc[0:0].reset_index(drop=True)
    return frame.iloc[filled[0] : filled[-1] + 1].reset_index(drop=True)


def period_for_span(times: pd.Series) -> str:
    """The finest of hour, day, week and month that gives at most ``MAX_PERIODS`` periods."""
    dated = times.dropna()
    if dated.empty:
        return "day"
    span = dated.max() - dated.min()
    for name, length in (
        ("hour", pd.Timedelta(hours=1)),
        ("day", pd.Timedelta(days=1)),
        ("week", pd.Timedelta(days=7)),
    ):
        if span / length < MAX_PERIODS:
            return name
    return "month"
