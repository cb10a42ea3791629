"""Comments whose dates cannot be right: years away from the rest of their page, or in the future.

One comment dated "December 31, 9999" or "2091" for "2019" skews a page's span, its timeline
and its reply delays; `check` lists such dates as likely typos, so that a user can look.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: A gap in time at least this long splits a page's comments into groups.
GAP = pd.Timedelta(days=2 * 365)
#: The page's main group must hold this share of its dated comments (and at least
#: MIN_MAIN of them) for the rest to be called outliers; otherwise the page may just span years.
MAIN_SHARE = 0.8
MIN_MAIN = 3
#: Times on a page may be local while the clock is UTC: "the future" starts this much after now.
FUTURE_SLACK = pd.Timedelta(days=1)

_YEAR = pd.Timedelta(days=365.25)


def date_outliers(comments: pd.DataFrame, now: pd.Timestamp | None = None) -> list[dict[str, Any]]:
    """Comments dated implausibly, in page order: each with id, line, timestamp (ISO text),
    reason ("future" or "far_from_rest") and a one-line detail.

    far_from_rest: the dated comments, in time order, split wherever two neighbours are at
    least GAP apart; when one group holds nearly all of them (MAIN_SHARE, at least MIN_MAIN),
    the comments outside it are flagged. future: after ``now`` (the current UTC time by
    default) by more than FUTURE_SLACK. A comment that is both is listed once, as future.
    """
    times = comments["timestamp"]
    dated = np.flatnonzero(times.notna().to_numpy())
    if len(dated) == 0:
        return []
    ticks = times.to_numpy()[dated]
    now = pd.Timestamp.now(tz="UTC").tz_localize(None) if now is None else now
    reasons: dict[int, tuple[str, str]] = {}
    main = _main_group(ticks)
    if main is not None:
        start, end = ticks[main].min(), ticks[main].max()
        span = f"{_day(start)} to {_day(end)}" if _day(start) != _day(end) else _day(start)
        for row, tick in zip(dated[~main].tolist(), ticks[~main], strict=True):
            away = (start - tick) if tick < start else (tick - end)
            side = "before" if tick < start else "after"
            reasons[row] = (
                "far_from_rest",
                f"dated {_moment(tick)}, {_years(away)} {side} the rest of the page ({span}); likely a typo",
            )
    future = ticks > np.datetime64(now + FUTURE_SLACK)
    for row, tick in zip(dated[future].tolist(), ticks[future], strict=True):
        reasons[row] = ("future", f"dated {_moment(tick)}, after today ({_day(now)}); likely a typo")
    return [
        {
            "id": comments["id"].iat[row],
            "line": int(comments["line"].iat[row]),
            "timestamp": pd.Timestamp(times.iat[row]).isoformat(),
            "reason": reasons[row][0],
            "detail": reasons[row][1],
        }
        for row in sorted(reasons)
    ]


def _main_group(ticks: np.ndarray) -> np.ndarray | None:
    """Mask of the group of times holding nearly all of them, or None when there is none (or no outlier)."""
    order = np.argsort(ticks, kind="stable")
    gaps = np.diff(ticks[order]) >= np.timedelta64(GAP)
    groups = np.empty(len(ticks), dtype=np.int64)
    groups[order] = np.concatenate([[0], np.cumsum(gaps)])
    sizes = np.bincount(groups)
    largest = int(sizes.argmax())
    if len(sizes) == 1 or sizes[largest] < max(MIN_MAIN, MAIN_SHARE * len(ticks)):
        return None
    return groups == largest


def _years(span: pd.Timedelta) -> str:
    years = pd.Timedelta(span) / _YEAR
    return f"{years:,.0f} years" if years >= 10 else f"{years:.1f} years"


def _day(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%d")


def _moment(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%d %H:%M")
