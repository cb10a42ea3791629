import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis.date_outliers import date_outliers

NOW = pd.Timestamp("2026-12-02 04:00")


def page(build, *dates):
    return build([(str(k + 1), None, "A", when, "x") for k, when in enumerate(dates)])


def test_a_page_in_one_week_has_no_outliers(build, small):
    assert date_outliers(page(build, "2019-01-24 07:00", "2019-01-25 08:00", "2019-01-31 09:00"), now=NOW) == []
    assert date_outliers(small, now=NOW) == []
    assert date_outliers(build([]), now=NOW) == []


def test_years_away_and_future_dates_are_named(build):
    frame = page(
        build,
        "2019-01-24 07:00",
        "1970-01-01 00:00",  # an epoch zero
        *["2019-01-24 12:00"] * 30,
        "2091-01-24 09:00",  # 2091 for 2019: the future
        "2016-05-01 10:00",  # 2016 for 2019: years before
        "9999-12-31 00:00",
    )
    found = date_outliers(frame, now=NOW)
    assert [(f["id"], f["reason"], f["line"]) for f in found] == [
        ("2", "far_from_rest", 5),
        ("33", "future", 129),
        ("34", "far_from_rest", 133),
        ("35", "future", 137),
    ]
    assert found[0]["timestamp"] == "1970-01-01T00:00:00"
    assert (
        found[0]["detail"] == "dated 1970-01-01 00:00, 49 years before the rest of the page (2019-01-24); likely a typo"
    )
    assert found[1]["detail"] == "dated 2091-01-24 09:00, after today (2026-12-02); likely a typo"
    assert (
        found[2]["detail"]
        == "dated 2016-05-01 10:00, 2.7 years before the rest of the page (2019-01-24); likely a typo"
    )


def test_a_page_that_spans_years_is_left_alone(build):
    # an old post answered again and again over the years: no group holds nearly all comments
    years = page(build, *[f"{year}-03-01 10:00" for year in range(2005, 2025, 3)])
    assert date_outliers(years, now=NOW) == []
    # two comments, years apart: which one is wrong cannot be told
    assert date_outliers(page(build, "2019-01-24 10:00", "2012-01-24 10:00"), now=NOW) == []
    # a late comment within two years of the rest is plausible
    assert date_outliers(page(build, *["2019-01-24 10:00"] * 30, "2020-06-01 10:00"), now=NOW) == []


def test_future_allows_a_day_for_time_zones(build):
    frame = page(build, "2026-12-02 20:00", "2026-12-04 05:00")
    assert [f["id"] for f in date_outliers(frame, now=NOW)] == ["2"]


def test_undated_comments_are_not_outliers(build):
    frame = page(build, None, "2019-01-24 10:00", None)
    assert date_outliers(frame, now=NOW) == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 60 * 24 * 30), min_size=30, max_size=60),  # minutes within a month
    st.integers(3, 900),  # years away (pages give four-digit years)
    st.booleans(),
)
def test_one_far_date_among_a_month_of_comments_is_found(build, minutes, years, later):
    start = pd.Timestamp("2000-01-01")
    dates = [(start + pd.Timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M") for m in minutes]
    far = pd.Timestamp(year=2000 + years if later else 2000 - years, month=6, day=1)
    frame = page(build, *dates, far.strftime("%Y-%m-%d %H:%M"))
    found = date_outliers(frame, now=pd.Timestamp("9999-12-31"))
    assert [(f["id"], f["reason"]) for f in found] == [(str(len(dates) + 1), "far_from_rest")]
