"""The busiest clock hour and the busiest hour of the day, as stats reports them."""

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis import thread_stats
from commentscope.analysis.stats import BUSIEST_HOUR_KEYS
from commentscope.readers import load_threads

BUSIEST_KEYS = list(BUSIEST_HOUR_KEYS)


def times(*values):
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[us]")


def busiest_hours(moments: pd.Series) -> dict:
    """The busiest-hour figures of stats, for one thread of top-level comments at these times."""
    if moments.empty:
        return dict.fromkeys(BUSIEST_KEYS)
    lines = ["id,author,time,text"]
    lines += [f"{k + 1},A,{'' if pd.isna(t) else t.isoformat()},x" for k, t in enumerate(moments)]
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder, "t.csv")
        page.write_text("\n".join(lines) + "\n")
        thread = load_threads(page, reader="table", lenient=True)[0]
    figures = thread_stats(thread.comments, thread.article)
    return {key: figures[key] for key in BUSIEST_KEYS}


def test_clock_hour_and_hour_of_day_are_apart():
    figures = busiest_hours(
        times(
            "2019-01-24 13:05",
            "2019-01-24 13:59",
            "2019-01-24 14:00",
            "2019-01-25 09:10",
            "2019-01-26 09:20",
            "2019-01-27 09:30",
            None,
        )
    )
    # 13:00 on the 24th holds two comments; 9 o'clock holds three, on three different days
    assert figures == {
        "busiest_hour": "2019-01-24 13:00",
        "busiest_hour_comments": 2,
        "busiest_hour_of_day": 9,
        "busiest_hour_of_day_comments": 3,
    }
    assert list(figures) == BUSIEST_KEYS


def test_ties_go_to_the_earliest():
    figures = busiest_hours(times("2019-01-25 08:00", "2019-01-24 22:00", "2019-01-25 08:30", "2019-01-24 22:30"))
    assert figures["busiest_hour"] == "2019-01-24 22:00" and figures["busiest_hour_comments"] == 2
    assert figures["busiest_hour_of_day"] == 8 and figures["busiest_hour_of_day_comments"] == 2


def test_nothing_dated():
    assert busiest_hours(times()) == dict.fromkeys(BUSIEST_KEYS)
    assert busiest_hours(times(None, None)) == dict.fromkeys(BUSIEST_KEYS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.datetimes(min_value=pd.Timestamp("2000-01-01"), max_value=pd.Timestamp("2001-01-01")), max_size=40))
def test_counts_agree_with_a_direct_count(moments):
    series = pd.Series(pd.to_datetime(moments), dtype="datetime64[us]")
    figures = busiest_hours(series)
    if not moments:
        return
    by_hour = pd.Series([m.strftime("%Y-%m-%d %H:00") for m in moments]).value_counts()
    by_day_hour = pd.Series([m.hour for m in moments]).value_counts()
    assert figures["busiest_hour_comments"] == by_hour.max()
    assert figures["busiest_hour"] == min(by_hour[by_hour == by_hour.max()].index)
    assert figures["busiest_hour_of_day_comments"] == by_day_hour.max()
    assert figures["busiest_hour_of_day"] == min(by_day_hour[by_day_hour == by_day_hour.max()].index)
    assert figures["busiest_hour_of_day_comments"] >= figures["busiest_hour_comments"]
