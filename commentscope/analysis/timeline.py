"""Comments over time, one row per period, quiet periods included."""

from __future__ import annotations

import pandas as pd

from commentscope.errors import InputError

#: Friendly period names and the pandas offsets they stand for (periods labelled by their start).
FREQUENCIES: dict[str, str] = {"hour": "h", "day": "D", "week": "W-MON", "month": "MS"}

TIMELINE_COLUMNS: list[str] = ["period", "comments", "top_level", "replies", "commenters", "cumulative"]


def timeline(comments: pd.DataFrame, freq: str = "day") -> pd.DataFrame:
    """Count comments per period from the first comment's period to the last one's.

    ``freq`` is hour, day, week (starting Monday), month, or any pandas offset alias
    ("15min", "6h", "W", "MS"...). Periods are closed on the left and labelled by
    their start. Comments without a readable date cannot be placed and are left out.
    commenters counts distinct named authors; cumulative runs over the periods.
    """
    rule = _offset(freq)
    dated = comments[comments["timestamp"].notna()]
    if dated.empty:
        return pd.DataFrame(
            {
                "period": pd.Series(dtype=comments["timestamp"].dtype),
                **{name: pd.Series(dtype="int64") for name in TIMELINE_COLUMNS[1:]},
            }
        )
    top = dated["depth"] == 0
    frame = pd.DataFrame(
        {"top_level": top.astype("int64"), "replies": (~top).astype("int64"), "author": dated["author"]}
    ).set_index(dated["timestamp"])
    periods = frame.resample(rule, closed="left", label="left")
    table = periods[["top_level", "replies"]].sum()
    table.insert(0, "comments", table["top_level"] + table["replies"])
    table["commenters"] = periods["author"].nunique()
    table["cumulative"] = table["comments"].cumsum()
    table = table.rename_axis("period").reset_index()
    return table.astype({name: "int64" for name in TIMELINE_COLUMNS[1:]})[TIMELINE_COLUMNS]


def _offset(freq: str) -> pd.DateOffset:
    """The pandas offset for ``freq``, or an InputError naming what is accepted."""
    alias = FREQUENCIES.get(freq.lower(), freq)
    try:
        offset = pd.tseries.frequencies.to_offset(alias)
    except ValueError:
        offset = None
    if offset is None or getattr(offset, "n", 1) <= 0:
        names = ", ".join(FREQUENCIES)
        raise InputError(f"unknown period {freq!r}: use {names} or a pandas offset alias such as 15min, 6h, W, MS")
    return offset
