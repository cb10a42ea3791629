"""Dates in other languages (CLDR's month and weekday names) and relative dates ("3 days ago")."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.readers import date_names, dates
from commentscope.readers.dates import looks_like_date, parse_dates, read_page_dates, read_relative
from commentscope.readers.registry import ReadOptions
from commentscope.readers.textpage import parse_page

NOW = datetime(2024, 3, 31, 10, 0)

WRITTEN = [
    ("1. Januar 2019 um 13:05", "2019-01-01 13:05"),
    ("24. Januar 2019 um 13:05 Uhr", "2019-01-24 13:05"),
    ("Donnerstag, 24. Januar 2019, 13:05 Uhr", "2019-01-24 13:05"),
    ("Do., 24. Jan. 2019 um 13:05", "2019-01-24 13:05"),
    ("24. März 2019", "2019-03-24"),
    ("24. Maerz 2019", "2019-03-24"),
    ("24 janvier 2019 à 13 h 05", "2019-01-24 13:05"),
    ("jeudi 24 janvier 2019 à 13h05", "2019-01-24 13:05"),
    ("1er mai 2020", "2020-05-01"),
    ("24 février 2019 a 13:05", "2019-02-24 13:05"),
    ("24 fevrier 2019", "2019-02-24"),
    ("24 FÉVRIER 2019 À 13 H 05", "2019-02-24 13:05"),
    ("24 déc. 2019", "2019-12-24"),
    ("24 de enero de 2019 a las 13:05", "2019-01-24 13:05"),
    ("jueves, 24 de enero de 2019 a la 1:05", "2019-01-24 01:05"),
    ("24 de septiembre de 2019", "2019-09-24"),
    ("24 gennaio 2019 alle 13:05", "2019-01-24 13:05"),
    ("giovedì 24 gennaio 2019 alle ore 13:05", "2019-01-24 13:05"),
    ("24 de janeiro de 2019 às 13:05", "2019-01-24 13:05"),
    ("quarta-feira, 24 de março de 2019 as 13:05", "2019-03-24 13:05"),
    ("24 januari 2019 om 13:05", "2019-01-24 13:05"),
    ("24 mrt 2019", "2019-03-24"),
    ("24 stycznia 2019 o 13:05", "2019-01-24 13:05"),
    ("24 października 2019 r. o godz. 13:05", "2019-10-24 13:05"),
    ("24 pazdziernika 2019", "2019-10-24"),
    ("24 januari 2019 kl. 13.05", "2019-01-24 13:05"),
    ("lördag 24 augusti 2019 klockan 13:05", "2019-08-24 13:05"),
    ("24 January 2019, 1:05 pm", "2019-01-24 13:05"),
]


@pytest.mark.parametrize(("written", "expected"), WRITTEN)
def test_month_names_of_other_languages_are_read_day_first(written: str, expected: str) -> None:
    assert looks_like_date(written)
    assert parse_dates([written]).tolist() == [pd.Timestamp(expected).to_datetime64()]


@pytest.mark.parametrize(("written", "expected"), WRITTEN)
def test_they_are_read_in_bulk_without_dateutil(written: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def slower_reader(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{written!r} left the bulk path")

    monkeypatch.setattr(dates.pd, "to_datetime", slower_reader)
    monkeypatch.setattr(dates, "_parse_one", slower_reader)
    assert read_page_dates(pa.array([written])).timestamps.tolist() == [pd.Timestamp(expected).to_datetime64()]


@pytest.mark.parametrize(
    "written",
    [
        "30 février 2019",  # no such day
        "31 de abril de 2019",
        "24 janvier 2019 à 25 h 05",  # no such hour
        "24 janvier 2019 à 13 h 75",
        "24 foo 2019",  # no such month
        "Foo, 24. Januar 2019",  # no such weekday
        "24 januari 2019 om 13:05 pm",  # a 24-hour time with pm
    ],
)
def test_impossible_or_unknown_words_are_not_dates(written: str) -> None:
    assert np.isnat(parse_dates([written])[0])


@pytest.mark.parametrize(
    "line",
    ["hier", "Ich bin hier", "heute", "today", "3 bananas ago", "vor 2 Bananen", "24 foo 2019", "Bob", "mai 2019"],
)
def test_words_alone_are_not_dates(line: str) -> None:
    assert not looks_like_date(line)


RELATIVE = [
    ("3 hours ago", "2024-03-31 07:00"),
    ("a day ago", "2024-03-30 10:00"),
    ("an hour ago", "2024-03-31 09:00"),
    ("5 minutes ago", "2024-03-31 09:55"),
    ("2 weeks ago", "2024-03-17 10:00"),
    ("1 month ago", "2024-02-29 10:00"),  # March 31 less a month: February's last day
    ("2 years ago", "2022-03-31 10:00"),
    ("vor 2 Stunden", "2024-03-31 08:00"),
    ("vor einem Tag", "2024-03-30 10:00"),
    ("VOR 6 JAHREN", "2018-03-31 10:00"),
    ("il y a 3 jours", "2024-03-28 10:00"),
    ("il y a un an", "2023-03-31 10:00"),
    ("hace 3 días", "2024-03-28 10:00"),
    ("hace 3 dias", "2024-03-28 10:00"),
    ("2 mesi fa", "2024-01-31 10:00"),
    ("há 3 dias", "2024-03-28 10:00"),
    ("3 dagen geleden", "2024-03-28 10:00"),
    ("5 lat temu", "2019-03-31 10:00"),
    ("för 2 veckor sedan", "2024-03-17 10:00"),
    ("yesterday at 13:05", "2024-03-30 13:05"),
    ("Yesterday at 1:05 pm", "2024-03-30 13:05"),
    ("today, 09:15", "2024-03-31 09:15"),
    ("gestern um 13:05 Uhr", "2024-03-30 13:05"),
    ("hier à 9 h 05", "2024-03-30 09:05"),
    ("ayer a las 13:05", "2024-03-30 13:05"),
    ("i går kl. 13:05", "2024-03-30 13:05"),
]


@pytest.mark.parametrize(("written", "expected"), RELATIVE)
def test_relative_dates_count_back_from_now_and_are_marked(written: str, expected: str) -> None:
    assert looks_like_date(written)
    page = read_page_dates(pa.array([written, "January 3, 2019 at 10:00"]), now=NOW)
    assert page.timestamps[0] == pd.Timestamp(expected).to_datetime64()
    assert page.relative.tolist() == [True, False]
    assert (page.approximate, page.relative_unread) == (1, 0)
    assert page.yearless == 0  # "3 days ago" shows no year, but is not a yearless date


@pytest.mark.parametrize(("written", "expected"), RELATIVE)
def test_without_now_relative_dates_stay_empty_and_are_counted(written: str, expected: str) -> None:
    def no_year(*args: object) -> tuple[int, None, str]:
        raise AssertionError("a relative date asked for a year")

    page = read_page_dates(pa.array([written, "January 3, 2019 at 10:00"]), year_of=no_year)
    assert np.isnat(page.timestamps[0]) and not np.isnat(page.timestamps[1])
    assert page.relative.tolist() == [True, False]
    assert (page.approximate, page.relative_unread) == (0, 1)


def test_a_zoned_now_counts_in_its_own_clock_time() -> None:
    zoned = datetime(2024, 3, 31, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    page = read_page_dates(pa.array(["3 hours ago"]), now=zoned)
    assert page.timestamps.tolist() == [pd.Timestamp("2024-03-31 07:00").to_datetime64()]
    assert page.now == pd.Timestamp("2024-03-31 10:00")
    assert read_page_dates(pa.array(["3 hours ago"]), now=datetime(2024, 3, 31, 10, 0, tzinfo=UTC)).approximate == 1


def test_a_page_without_relative_dates_reports_none() -> None:
    page = read_page_dates(pa.array(["January 3, 2019 at 10:00", "24 janvier 2019 à 13 h 05"]), now=NOW)
    assert page.relative.tolist() == [False, False] and page.approximate == 0


def test_numeric_dates_with_another_languages_time_keep_the_day_first_rule() -> None:
    settled = read_page_dates(pa.array(["24.01.2019 um 13:05 Uhr", "03.02.2019 um 9:15 Uhr"]))
    assert settled.order == "day first" and not settled.order_guessed
    assert settled.timestamps.tolist() == [
        pd.Timestamp("2019-01-24 13:05").to_datetime64(),
        pd.Timestamp("2019-02-03 09:15").to_datetime64(),
    ]
    open_order = read_page_dates(pa.array(["03.02.2019 à 9 h 15"]))
    assert open_order.order_guessed and open_order.timestamps[0] == pd.Timestamp("2019-03-02 09:15").to_datetime64()
    told = read_page_dates(pa.array(["03.02.2019 à 9 h 15"]), day_first=True)
    assert not told.order_guessed and told.timestamps[0] == pd.Timestamp("2019-02-03 09:15").to_datetime64()


def test_read_relative_alone_tells_relative_from_absolute() -> None:
    texts = pa.array(["3 days ago", "24 janvier 2019", "Bob", "3 bananas ago", "hier"])
    stamps, relative = read_relative(texts, None)
    assert relative.tolist() == [True, False, False, False, False] and np.isnat(stamps).all()


@pytest.mark.parametrize("few", [0, 10_000])
def test_dates_like_agrees_with_looks_like_date_on_worded_lines(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "_FEW_LINES", few)  # 0: all in Arrow; 10,000: one by one
    lines = [text for text, _ in WRITTEN + RELATIVE] + ["hier", "Foo, 24. Januar 2019", "vor 2 Bananen", "mai 2019"]
    assert dates.dates_like(pa.array([*lines, None])).tolist() == [*map(looks_like_date, lines), False]


def test_python_engine_spells_the_same_white_space() -> None:
    """Python's patterns say ``\\s`` where Arrow's spell the class out: the same characters, so the
    two engines still agree, and no date pattern is compiled before a page needs it."""
    every = map(chr, range(sys.maxunicode + 1))
    assert {char for char in every if dates._python_pattern(dates.SPACE).match(char)} == set(dates.SPACE_CHARS)
    assert dates._python_pattern(f"[^{dates.SPACE_CHARS}x]").pattern == r"[^\sx]"
    code = "import sys, commentscope.readers.dates as d; sys.exit(d._python_pattern.cache_info().currsize)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_no_word_means_two_things() -> None:
    """The reader does not ask a page's language: every word must mean one thing in all of them."""
    assert not set(date_names.MONTHS) & set(date_names.UNITS)
    assert {len({month for word, month in date_names.MONTHS.items()})} == {12}
    for language in ("de", "fr", "es", "it", "pt", "nl", "pl", "sv"):
        assert language in date_names.LANGUAGES


@pytest.mark.skipif(importlib.util.find_spec("babel") is None, reason="Babel is needed only to regenerate the table")
def test_the_committed_table_is_what_the_generator_writes(tmp_path: Path) -> None:
    tools = Path(__file__).resolve().parents[2] / "tools"
    code = (
        f"import sys; sys.path.insert(0, {str(tools)!r}); import make_date_names as m; "
        "sys.stdout.write(m.render(m.collect()))"
    )
    written = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert written == Path(date_names.__file__).read_text(encoding="utf-8")


# Dates the bulk path and the one-by-one path must agree on: every named and relative form above,
# with their words in any case, and impossible ones.
_DAY = st.integers(1, 31)
_NAMED = st.builds(
    lambda day, month, year, hour, minute, join, upper: (
        f"{day} {month} {year} {join} {hour}:{minute:02d}".upper()
        if upper
        else f"{day} {month} {year} {join} {hour}:{minute:02d}"
    ),
    _DAY,
    st.sampled_from(sorted(date_names.MONTHS)),
    st.integers(1990, 2030),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(["à", "um", "alle", "om", "kl.", "o", "at", "às", "-"]),
    st.booleans(),
)
_AGO = st.builds(
    lambda count, unit, frame: f"{frame[0]} {count} {unit} {frame[1]}".strip(),
    st.integers(0, 9999) | st.sampled_from(date_names.ONE),
    st.sampled_from(sorted(date_names.UNITS)),
    st.sampled_from(date_names.AGO_FRAMES),
)
_DAY_NAMED = st.builds(
    lambda name, hour, minute: f"{name} {hour}:{minute:02d}",
    st.sampled_from(sorted(date_names.DAYS_BACK)),
    st.integers(0, 23),
    st.integers(0, 59),
)
_ENGLISH = st.builds(lambda day, year: f"March {day}, {year} at 10:05", _DAY, st.integers(1990, 2030))


@settings(max_examples=60, deadline=None)
@given(st.lists(_NAMED | _AGO | _DAY_NAMED | _ENGLISH, min_size=1, max_size=30))
def test_bulk_reading_is_reading_one_by_one(texts: list[str]) -> None:
    together = read_page_dates(pa.array(texts), now=NOW)
    alone = [read_page_dates(pa.array([text]), now=NOW) for text in texts]
    assert together.timestamps.tolist() == [page.timestamps.tolist()[0] for page in alone]
    assert together.relative.tolist() == [bool(page.relative[0]) for page in alone]
    assert parse_dates(texts).tolist() == [parse_dates([text]).tolist()[0] for text in texts]
    assert [looks_like_date(text) for text in texts] == dates.dates_like(pa.array(texts * 10))[: len(texts)].tolist()


def test_a_french_page_reads_to_its_tree() -> None:
    page = (
        "Un article\n\n2 commentaires\n\n"
        "1. Amélie dit :\n   24 janvier 2019 à 13 h 05\n\n   Premier commentaire.\n\n"
        "   1. Bruno dit :\n      25 janvier 2019 à 9 h 15\n\n      Une réponse.\n"
    )
    thread = parse_page(page, "page.txt")
    comments = thread.comments
    assert comments["author"].tolist() == ["Amélie", "Bruno"]
    assert comments["depth"].tolist() == [0, 1]
    assert comments["timestamp"].tolist() == [pd.Timestamp("2019-01-24 13:05"), pd.Timestamp("2019-01-25 09:15")]
    assert comments["text"].tolist() == ["Premier commentaire.", "Une réponse."]
    assert thread.problems == []


def test_a_spanish_page_with_author_and_date_on_one_line() -> None:
    page = (
        "Un artículo\n\n"
        "1. Ana dice: 24 de enero de 2019 a las 13:05\n\n   Un comentario.\n\n"
        "2. Luis dice: 25 de enero de 2019 a las 9:15\n\n   Otro comentario.\n"
    )
    comments = parse_page(page, "page.txt").comments
    assert comments["author"].tolist() == ["Ana", "Luis"]
    assert comments["timestamp"].tolist() == [pd.Timestamp("2019-01-24 13:05"), pd.Timestamp("2019-01-25 09:15")]


_MERGED = pytest.mark.skipif(
    not hasattr(ReadOptions(), "now"), reason="needs the textpage.py/registry.py change of helper H's report"
)
_GERMAN = (
    "Ein Artikel\n\n3 Kommentare\n\n"
    "1. Anna sagt:\n   24. Januar 2019 um 13:05 Uhr\n\n   Ein Kommentar.\n\n"
    "   1. Bernd sagt:\n      25. Januar 2019 um 9:15 Uhr\n\n      Eine Antwort.\n\n"
    "2. Clara sagt:\n   vor 2 Stunden\n\n   Noch einer.\n"
)


@_MERGED
def test_a_german_page_with_a_relative_date_is_read_against_now_and_flagged() -> None:
    thread = parse_page(_GERMAN, "page.txt", now=datetime(2024, 5, 1, 12, 0))  # type: ignore[call-arg]
    comments = thread.comments
    assert comments["author"].tolist() == ["Anna", "Bernd", "Clara"]
    assert comments["depth"].tolist() == [0, 1, 0]
    assert comments["timestamp"].tolist() == [
        pd.Timestamp("2019-01-24 13:05"),
        pd.Timestamp("2019-01-25 09:15"),
        pd.Timestamp("2024-05-01 10:00"),
    ]
    assert [(problem.kind, problem.line) for problem in thread.problems] == [("approximate_dates", 15)]


@_MERGED
def test_without_now_a_relative_date_is_empty_and_reported_not_an_error() -> None:
    thread = parse_page(_GERMAN, "page.txt")
    assert thread.comments["timestamp"].isna().tolist() == [False, False, True]
    assert [(problem.kind, problem.line) for problem in thread.problems] == [("relative_dates_unread", 15)]
    assert "--now" in thread.problems[0].message


# Dates without a year in other languages: read in the year the page gives (its article's date or
# its other comments'), like "Jun 20th at 2:41 am"; a time, joined by a word or a comma, is needed.
YEARLESS = [
    ("24. Januar um 13:05", "2019-01-24 13:05"),
    ("24. Januar um 13:05 Uhr", "2019-01-24 13:05"),
    ("Do., 24. Jan. um 13:05 Uhr", "2019-01-24 13:05"),
    ("24. Januar, 13:05", "2019-01-24 13:05"),
    ("23 juin à 17 h 21", "2019-06-23 17:21"),
    ("jeudi 24 janvier à 13h05", "2019-01-24 13:05"),
    ("1er mai à 9 h 00", "2019-05-01 09:00"),
    ("23 de junio a las 17:21", "2019-06-23 17:21"),
    ("24 gennaio alle 13:05", "2019-01-24 13:05"),
    ("24 de janeiro às 13:05", "2019-01-24 13:05"),
    ("24 januari om 13:05", "2019-01-24 13:05"),
    ("24 stycznia o godz. 13:05", "2019-01-24 13:05"),
    ("24 januari kl. 13.05", "2019-01-24 13:05"),
    ("Januar 24 um 13:05", "2019-01-24 13:05"),  # the month first, English's order
    ("gennaio 24 alle 1:05 pm", "2019-01-24 13:05"),
]


def _in_2019() -> tuple[int, None, str]:
    return 2019, None, "the article's date"


@pytest.mark.parametrize(("written", "expected"), YEARLESS)
def test_dates_without_a_year_in_other_languages_take_the_pages_year(written: str, expected: str) -> None:
    assert looks_like_date(written)
    page = read_page_dates(pa.array([written]), year_of=_in_2019)
    assert page.timestamps.tolist() == [pd.Timestamp(expected).to_datetime64()]
    assert (page.yearless, page.year, page.year_from) == (1, 2019, "the article's date")
    assert np.isnat(read_page_dates(pa.array([written])).timestamps[0])  # no year known: empty


@pytest.mark.parametrize(("written", "expected"), YEARLESS)
def test_dates_without_a_year_are_read_in_bulk(written: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def slower_reader(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{written!r} left the bulk path")

    monkeypatch.setattr(dates.pd, "to_datetime", slower_reader)
    monkeypatch.setattr(dates, "_parse_one", slower_reader)
    page = read_page_dates(pa.array([written]), year_of=_in_2019)
    assert page.timestamps.tolist() == [pd.Timestamp(expected).to_datetime64()]


def test_a_yearless_date_before_the_articles_is_in_the_next_year() -> None:
    article = pd.Timestamp("2020-12-28")
    page = read_page_dates(
        pa.array(["30. Dezember um 21:15 Uhr", "2. Januar um 9:05 Uhr"]),
        year_of=lambda: (2020, article, "the article's date"),
    )
    assert page.timestamps.tolist() == [
        pd.Timestamp("2020-12-30 21:15").to_datetime64(),
        pd.Timestamp("2021-01-02 09:05").to_datetime64(),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "24. Januar",  # no time
        "23 juin",
        "24 januar 13:05",  # a time, but joined by nothing
        "24 foo um 13:05",  # no such month
        "Foo, 24. Januar um 13:05",  # no such weekday
        "24. Januar um 25:05",
        "Januar 24",
    ],
)
def test_yearless_lines_that_are_not_dates(line: str) -> None:
    if looks_like_date(line):  # a shape with an impossible field: no date all the same
        assert np.isnat(read_page_dates(pa.array([line]), year_of=_in_2019).timestamps[0])
    else:
        assert not looks_like_date(line)


# Month names before the day with a year: English's order, kept by themes with another language's words.
MONTH_FIRST = [
    ("Januar 24, 2019 um 13:05", "2019-01-24 13:05"),
    ("enero 24, 2019 a las 1:05 pm", "2019-01-24 13:05"),
    ("juin 23, 2016", "2016-06-23"),
    ("Donnerstag, Januar 24, 2019", "2019-01-24"),
    ("gennaio 24 2019 alle 13:05", "2019-01-24 13:05"),
    ("października 24, 2019", "2019-10-24"),
]


@pytest.mark.parametrize(("written", "expected"), MONTH_FIRST)
def test_month_names_before_the_day_in_other_languages(written: str, expected: str) -> None:
    assert looks_like_date(written)
    assert parse_dates([written]).tolist() == [pd.Timestamp(expected).to_datetime64()]
    assert read_page_dates(pa.array([written])).timestamps.tolist() == [pd.Timestamp(expected).to_datetime64()]


def test_every_language_but_english_writes_the_day_first_in_cldr() -> None:
    """Why numeric dates are the only ones whose order is decided per page: a month name settles
    its own field, and CLDR's numeric formats are month first in English only."""
    babel = pytest.importorskip("babel")
    for language in date_names.LANGUAGES:
        short = babel.Locale.parse(language).date_formats["short"].pattern
        month_first = short.index("M") < short.index("d") and not short.startswith("y")  # y-MM-dd is ISO's
        assert month_first is (language == "en"), (language, short)


MOMENTS = [
    "just now",
    "Just now",
    "a moment ago",
    "a few seconds ago",
    "gerade eben",
    "soeben",
    "à l'instant",
    "a l’instant",
    "ahora mismo",
    "hace un momento",
    "poco fa",
    "agora mesmo",
    "há pouco",
    "zojuist",
    "przed chwilą",
    "just nu",
    "nyss",
    "il y a quelques secondes",
    "vor ein paar Sekunden",
]


@pytest.mark.parametrize("written", MOMENTS)
def test_a_moment_ago_is_now(written: str) -> None:
    assert looks_like_date(written)
    page = read_page_dates(pa.array([written, "January 3, 2019 at 10:00"]), now=NOW)
    assert page.timestamps[0] == pd.Timestamp(NOW).to_datetime64()
    assert page.relative.tolist() == [True, False] and (page.approximate, page.relative_unread) == (1, 0)
    unread = read_page_dates(pa.array([written]))
    assert np.isnat(unread.timestamps[0]) and unread.relative_unread == 1


@pytest.mark.parametrize("line", ["now", "Now", "gerade", "eben", "net", "jetzt", "agora", "nu", "ora", "instant"])
def test_a_word_that_may_mean_now_is_no_date_alone(line: str) -> None:
    assert not looks_like_date(line)


@pytest.mark.parametrize(
    ("written", "day_first", "expected", "order", "guessed"),
    [
        ("24.01.19 um 13:05", None, "2019-01-24 13:05", "day first", False),  # German's short date
        ("24-01-2019 om 13:05", None, "2019-01-24 13:05", "day first", False),  # Dutch's
        ("03-02-2019 om 13:05", True, "2019-02-03 13:05", "day first", False),
        ("3/2/19 at 3:05 pm", None, "2019-03-02 15:05", "month first", True),  # never silently
        ("3/2/19 at 3:05 pm", True, "2019-02-03 15:05", "day first", False),
        ("12/31/99", None, "1999-12-31", "month first", False),  # strptime's %y: 69 to 99 are the 1900s
    ],
)
def test_short_numeric_dates_keep_the_page_order_rule(
    written: str, day_first: bool | None, expected: str, order: str, guessed: bool
) -> None:
    assert looks_like_date(written)
    page = read_page_dates(pa.array([written]), day_first=day_first)
    assert page.timestamps.tolist() == [pd.Timestamp(expected).to_datetime64()]
    assert (page.order, page.order_guessed) == (order, guessed)


_YEARLESS_NAMED = st.builds(
    lambda day, month, hour, minute, join: f"{day} {month} {join} {hour}:{minute:02d}",
    _DAY,
    st.sampled_from(sorted(date_names.MONTHS)),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(["à", "um", "alle", "om", "kl.", "o", "at", "às", "a las"]),
)
_MOMENT = st.sampled_from(date_names.MOMENTS)


@settings(max_examples=40, deadline=None)
@given(st.lists(_YEARLESS_NAMED | _MOMENT | _NAMED | _ENGLISH, min_size=1, max_size=30))
def test_yearless_and_moments_read_in_bulk_as_one_by_one(texts: list[str]) -> None:
    together = read_page_dates(pa.array(texts), year_of=_in_2019, now=NOW)
    alone = [read_page_dates(pa.array([text]), year_of=_in_2019, now=NOW) for text in texts]
    assert together.timestamps.tolist() == [page.timestamps.tolist()[0] for page in alone]
    assert together.relative.tolist() == [bool(page.relative[0]) for page in alone]
    assert [looks_like_date(text) for text in texts] == dates.dates_like(pa.array(texts * 10))[: len(texts)].tolist()


def test_a_page_of_moments_reads_against_now(samples: Path) -> None:
    page = (samples / "converters" / "moments.txt").read_text(encoding="utf-8")
    thread = parse_page(page, "moments.txt", now=datetime(2024, 11, 2, 18, 30))
    comments = thread.comments
    assert comments[["id", "parent_id", "depth", "author"]].astype(object).where(
        comments.notna(), None
    ).values.tolist() == [
        ["c1", None, 0, "Nell Ashby"],
        ["c1.1", "c1", 1, "Rafe Cole"],
        ["c2", None, 0, "Tamsin Greer"],
    ]
    assert comments["timestamp"].tolist() == [
        pd.Timestamp("2024-11-02 16:30"),
        pd.Timestamp("2024-11-02 18:30"),
        pd.Timestamp("2024-11-02 18:30"),
    ]
    assert comments["text"].tolist() == [
        "Bring the garden chairs in.",
        "Done, and the bins too.",
        "The evening ferry is cancelled.",
    ]
    assert [(problem.kind, problem.line) for problem in thread.problems] == [("approximate_dates", 7)]
    unread = parse_page(page, "moments.txt")
    assert unread.comments["timestamp"].isna().all()
    assert [(problem.kind, problem.line) for problem in unread.problems] == [("relative_dates_unread", 7)]
    assert unread.problems[0].message.startswith("3 relative comment date(s)")
