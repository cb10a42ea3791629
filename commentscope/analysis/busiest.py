"""When a thread was busiest: one clock hour on one date, and the hour of the day over all days.

Two different questions, so two figures, each with its count: "13" alone next to a busiest day
reads as 13:00 on that day, when it was the hour of day summed over every day.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: The keys of ``busiest_hours``, in order, for the stats groups.
BUSIEST_KEYS: list[str] = [
    "busiest_hour",
    "busiest_hour_comments",
    "busiest_hour_of_day",
    "busiest_hour_of_day_comments",
]


def busiest_hours(times: pd.Series) -> dict[str, Any]:
    """The clock hour with most comments ("2019-01-24 13:00", from 13:00 to 13:59) and its count;
    the hour of the day (0-23) with most comments over all days and its count.

    A tie goes to the earliest. Times are on the frame's clock (as the page shows them, or UTC).
    Undated comments are not counted; with none dated every value is None.
    """
    dated = times.dropna()
    if dated.empty:
        return dict.fromkeys(BUSIEST_KEYS)
    hour, hour_count = _most_frequent(dated.dt.floor("h"))
    of_day, of_day_count = _most_frequent(dated.dt.hour)
    return {
        "busiest_hour": hour.strftime("%Y-%m-%d %H:%M"),
        "busiest_hour_comments": hour_count,
        "busiest_hour_of_day": int(of_day),
        "busiest_hour_of_day_comments": of_day_count,
    }


def _most_frequent(values: pd.Series) -> tuple[Any, int]:
    counts = values.value_counts()
    most = int(counts.max())
    return counts[counts == most].index.min(), most
