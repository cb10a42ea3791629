import pandas as pd
import pytest

from commentscope.analysis import TIMELINE_COLUMNS, timeline
from commentscope.errors import InputError

T = pd.Timestamp


def records(frame: pd.DataFrame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


def test_days_of_the_small_thread(small):
    # comment 3 has no date and is left out; anonymous comments are not commenters
    table = timeline(small)
    assert list(table.columns) == TIMELINE_COLUMNS
    assert records(table) == [
        (T("2019-01-24"), 5, 1, 4, 3, 5),  # 1, 1.1, 1.1.1, 1.1.2, 1.2: Ann, Bob, Cat
        (T("2019-01-25"), 2, 1, 1, 1, 7),  # 2 (anonymous), 2.1 (Bob)
    ]
    assert timeline(small, "D").equals(table)
    assert timeline(small, "Day").equals(table)


def test_hours_include_quiet_periods(small):
    table = timeline(small, "hour")
    assert len(table) == 25  # 24 Jan 07:00 up to 25 Jan 07:00
    assert records(table.head(4)) == [
        (T("2019-01-24 07:00"), 1, 1, 0, 1, 1),
        (T("2019-01-24 08:00"), 2, 0, 2, 2, 3),  # Bob 08:00, Ann 08:30
        (T("2019-01-24 09:00"), 1, 0, 1, 0, 4),  # anonymous only
        (T("2019-01-24 10:00"), 1, 0, 1, 1, 5),
    ]
    assert records(table.iloc[[4]]) == [(T("2019-01-24 11:00"), 0, 0, 0, 0, 5)]
    assert table["comments"].sum() == 7


def test_weeks_start_on_monday_and_months_on_the_first(small):
    # Thursday 24 January 2019 lies in the week of Monday 21 January
    assert records(timeline(small, "week")) == [(T("2019-01-21"), 7, 2, 5, 3, 7)]
    assert records(timeline(small, "month")) == [(T("2019-01-01"), 7, 2, 5, 3, 7)]
    assert records(timeline(small, "W")) == [(T("2019-01-20"), 7, 2, 5, 3, 7)]  # pandas' W: Sunday weeks


def test_pandas_aliases(build):
    frame = build(
        [
            ("1", None, "A", "2019-01-01 10:00", "x"),
            ("1.1", "1", "B", "2019-01-01 10:14", "x"),
            ("1.2", "1", "A", "2019-01-01 10:15", "x"),
            ("2", None, "C", "2019-01-01 10:50", "x"),
        ]
    )
    assert records(timeline(frame, "15min")) == [
        (T("2019-01-01 10:00"), 2, 1, 1, 2, 2),
        (T("2019-01-01 10:15"), 1, 0, 1, 1, 3),
        (T("2019-01-01 10:30"), 0, 0, 0, 0, 3),
        (T("2019-01-01 10:45"), 1, 1, 0, 1, 4),
    ]


@pytest.mark.parametrize("freq", ["fortnight", "H", "", "0h", "-1h"])
def test_unknown_period(small, freq):
    with pytest.raises(
        InputError, match=f"unknown period '{freq}': use hour, day, week, month, year or a pandas offset"
    ):
        timeline(small, freq)


def test_nothing_dated(build):
    for frame in (build([]), build([("1", None, "A", None, "x")])):
        table = timeline(frame)
        assert table.empty
        assert {name: str(dtype) for name, dtype in table.dtypes.items()} == {
            "period": "datetime64[us]",
            "comments": "int64",
            "top_level": "int64",
            "replies": "int64",
            "commenters": "int64",
            "cumulative": "int64",
        }
    with pytest.raises(InputError, match="unknown period"):
        timeline(build([]), "fortnight")


def test_corpus_counts_every_page(corpus):
    frame = corpus(
        {
            "a": [("1", None, "A", "2019-01-01 10:00", "x")],
            "b": [("1", None, "A", "2019-01-03 10:00", "x"), ("1.1", "1", "B", "2019-01-03 11:00", "x")],
        }
    )
    assert records(timeline(frame)) == [
        (T("2019-01-01"), 1, 1, 0, 1, 1),
        (T("2019-01-02"), 0, 0, 0, 0, 1),
        (T("2019-01-03"), 2, 1, 1, 2, 3),
    ]


def test_nonzero_skips_quiet_periods(small):
    table = timeline(small, "hour", nonzero=True)
    assert records(table) == [
        (T("2019-01-24 07:00"), 1, 1, 0, 1, 1),
        (T("2019-01-24 08:00"), 2, 0, 2, 2, 3),  # 1.1 Bob, 1.1.1 Ann
        (T("2019-01-24 09:00"), 1, 0, 1, 0, 4),  # anonymous
        (T("2019-01-24 10:00"), 1, 0, 1, 1, 5),
        (T("2019-01-25 07:00"), 2, 1, 1, 1, 7),
    ]
    assert list(table.index) == list(range(5))
    assert timeline(small, nonzero=True).equals(timeline(small))  # no quiet day to skip
    empty = timeline(small.iloc[7:], nonzero=True)  # comment 3 alone, undated
    assert empty.empty and list(empty.columns) == TIMELINE_COLUMNS
