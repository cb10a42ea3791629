import pandas as pd
import pytest

from commentscope.analysis.distributions import delay_histogram, depth_distribution, period_for_span, reply_delays


def test_depth_distribution_counts_every_level(small):
    table = depth_distribution(small)
    assert table.to_dict("list") == {"depth": [0, 1, 2], "comments": [3, 3, 2]}
    assert depth_distribution(small.iloc[0:0])["comments"].tolist() == []


def test_reply_delays_leave_out_undated(small):
    # 1.1 after 1: 60, 1.1.1: 30, 1.1.2: 60, 1.2: 180, 2.1: 10 (3 is undated and top level)
    assert sorted(reply_delays(small).tolist()) == [10, 30, 60, 60, 180]


def test_delay_histogram_bins_from_first_to_last_filled(small):
    table = delay_histogram(small)
    assert table["lower_minutes"].tolist() == [10, 20, 30, 60, 120]
    assert table["upper_minutes"].tolist() == [20, 30, 60, 120, 300]
    assert table["replies"].tolist() == [1, 0, 1, 2, 1]


def test_delay_histogram_ends_open_and_counts_early_replies_as_zero(build):
    frame = build(
        [
            ("1", None, "A", "2020-01-01 00:00", "x"),
            ("1.1", "1", "B", "2019-12-31 23:00", "x"),  # before its parent: 0
            ("1.2", "1", "B", "2022-01-01 00:00", "x"),  # two years: the open last bin
        ]
    )
    table = delay_histogram(frame)
    assert table["replies"].iloc[0] == 1 and table["lower_minutes"].iloc[0] == 0
    assert table["replies"].iloc[-1] == 1 and pd.isna(table["upper_minutes"].iloc[-1])
    assert table["replies"].sum() == 2
    assert delay_histogram(frame.iloc[:1]).empty


@pytest.mark.parametrize(
    ("span", "period"),
    [
        (pd.Timedelta(hours=3), "hour"),
        (pd.Timedelta(days=10), "day"),
        (pd.Timedelta(days=300), "week"),
        (pd.Timedelta(days=5 * 365), "month"),
    ],
)
def test_period_for_span(span, period):
    times = pd.Series([pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-01") + span])
    assert period_for_span(times) == period


def test_period_without_dates_is_day():
    assert period_for_span(pd.Series([pd.NaT, pd.NaT])) == "day"
