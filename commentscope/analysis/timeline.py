"""Comments over time, one row per period, quiet periods included."""

from __future__ import annotations

import pandas as pd

from commentscope.analysis._structure import by_people
from commentscope.errors import InputError

#: Friendly period names and the pandas offsets they stand for (periods labelled by their start),
#: finest first.
FREQUENCIES: dict[str, str] = {"hour": "h", "day": "D", "week": "W-MON", "month": "MS", "year": "YS"}

#: A timeline lists every period, quiet ones too: past this many, one far-off date would make
#: it run for minutes and take gigabytes, so a coarser period is needed.
MAX_PERIODS = 100_000

TIMELINE_COLUMNS: list[str] = ["period", "comments", "top_level", "replies", "commenters", "cumulative"]


def timeline(comments: pd.DataFrame, freq: str = "day", *, nonzero: bool = False) -> pd.DataFrame:
    """Count comments per period from the first comment's period to the last one's.

    ``freq`` is hour, day, week (starting Monday), month, or any pandas offset alias
    ("15min", "6h", "W", "MS"...). Periods are closed on the left and labelled by
    their start. Comments without a readable date cannot be placed and are left out.
    commenters counts distinct named people (no pingback is one); cumulative runs over the periods.
    ``nonzero`` leaves out the periods without comments (cumulative still counts from the first).
    """
    rule = period_offset(freq)
    count = period_count(comments, freq)
    if count > MAX_PERIODS:
        raise InputError(
            f"{count:,} periods of {freq} from the first comment to the last, more than {MAX_PERIODS:,}; "
            f"choose a coarser --freq, such as {fitting_frequency(comments, freq)}"
        )
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
        {
            "top_level": top.astype("int64"),
            "replies": (~top).astype("int64"),
            "author": dated["author"].where(by_people(dated)),
        }
    ).set_index(dated["timestamp"])
    periods = frame.resample(rule, closed="left", label="left")
    table = periods[["top_level", "replies"]].sum()
    table.insert(0, "comments", table["top_level"] + table["replies"])
    table["commenters"] = periods["author"].nunique()
    table["cumulative"] = table["comments"].cumsum()
    table = table.rename_axis("period").reset_index()
    if nonzero:
        table = table[table["comments"] > 0].reset_index(drop=True)
    return table.astype({name: "int64" for name in TIMELINE_COLUMNS[1:]})[TIMELINE_COLUMNS]


def period_offset(freq: str) -> pd.DateOffset:
    """The pandas offset for ``freq``, or an InputError naming what is accepted (periods of a
    second or more: the pages' times are to the minute)."""
    alias = FREQUENCIES.get(freq.lower(), freq)
    try:
        offset = pd.tseries.frequencies.to_offset(alias)
    except ValueError:
        offset = None
    names = ", ".join(FREQUENCIES)
    if offset is None or getattr(offset, "n", 1) <= 0:
        raise InputError(f"unknown period {freq!r}: use {names} or a pandas offset alias such as 15min, 6h, W, MS")
    if _length(offset) < pd.Timedelta(seconds=1):
        raise InputError(f"period {freq!r} is shorter than a second: use {names} or an alias such as 30s, 15min")
    return offset


def period_count(comments: pd.DataFrame, freq: str) -> int:
    """How many periods of ``freq`` a timeline of these comments lists (at least; months count as 28 days)."""
    times = comments["timestamp"].dropna()
    if times.empty:
        return 0
    return int((times.max() - times.min()) / _length(period_offset(freq))) + 1


def fitting_frequency(comments: pd.DataFrame, freq: str) -> str:
    """``freq`` when its timeline stays within MAX_PERIODS, else the finest named period that does."""
    if period_count(comments, freq) <= MAX_PERIODS:
        return freq
    return next(name for name in FREQUENCIES if period_count(comments, name) <= MAX_PERIODS)


def _length(offset: pd.DateOffset) -> pd.Timedelta:
    """The shortest a period of ``offset`` can be, over enough of them to meet a February."""
    return pd.Series(pd.date_range("2001-01-01", periods=14, freq=offset)).diff().min()
