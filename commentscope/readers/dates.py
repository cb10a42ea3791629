"""Comment dates: a cheap shape test for the date rule, and bulk parsing.

The date rule decides which marker lines open comments, so ``looks_like_date`` must be
cheap and strict; ``dates_like`` applies it to a whole column of lines (the shape test in
Arrow, with the same pattern). ``parse_dates`` runs once per page on all dates together:
the common formats by Arrow's strptime, then pandas with the same formats, python-dateutil
only for what those leave.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dateutil import parser as dateutil_parser

from commentscope.readers._parallel import in_parallel

#: The characters ``str.isspace`` accepts, spelled out so that Python's ``re`` and Arrow's RE2
#: kernels (whose ``\s`` is ASCII only) agree on what white space is.
SPACE_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
SPACE = f"[{SPACE_CHARS}]"

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Written for both regex engines: ASCII digits, white space spelled out, no lookarounds.
_S = SPACE
_TIME = rf"(?:(?:,?{_S}+(?:at|@|-|–){_S}+|,?{_S}+|T)[0-9]{{1,2}}[:.][0-9]{{2}}(?::[0-9]{{2}})?(?:{_S}*[ap]\.?m\.?)?)?"
_CLOCK = rf"[0-9]{{1,2}}[:.][0-9]{{2}}(?:{_S}*[ap]\.?m\.?)?"
# A date without a year ("Jun 20th at 2:41 am") passes only with its time, joined by "at".
_DAY_AND_MONTH = (
    rf"(?:(?:{_MONTHS})\.?{_S}+[0-9]{{1,2}}(?:st|nd|rd|th)?|[0-9]{{1,2}}(?:st|nd|rd|th)?{_S}+(?:{_MONTHS})\.?)"
)
_YEARLESS = rf"{_DAY_AND_MONTH},?{_S}+(?:at|@){_S}+{_CLOCK}"
_DATE_SHAPE_PATTERN = (
    rf"(?i)(?:(?:(?:{_MONTHS})\.?{_S}+[0-9]{{1,2}}(?:st|nd|rd|th)?,?{_S}+[0-9]{{4}}"
    rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?{_S}+(?:{_MONTHS})\.?,?{_S}+[0-9]{{4}}"
    rf"|[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}"
    rf"|[0-9]{{1,2}}[/.][0-9]{{1,2}}[/.][0-9]{{2,4}}){_TIME}|{_YEARLESS})"
)
_DATE_SHAPE = re.compile(_DATE_SHAPE_PATTERN)
#: The shape of a date, for either regex engine, to search a line for one.
DATE_SHAPE = _DATE_SHAPE_PATTERN
_MAX_DATE_LENGTH = 60
_DATES_PER_THREAD = 2_000
_FEW_LINES = 200
# Every date that fails the shape test but may pass the word test holds a year.
_YEAR_ANYWHERE = "(?:1[89]|2[0-9])[0-9]{2}"
# Words a date line may hold besides numbers, for the rarer styles dateutil reads.
_DATE_WORDS = frozenset(
    (
        f"{_MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
        "|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|at|on|of|the|am|pm|a.m.|p.m.|utc|gmt|st|nd|rd|th"
    ).split("|")
)
_WORD = re.compile(r"[^\W\d_]+\.?(?:[^\W\d_]+\.?)*")
_YEAR = re.compile(r"\b(?:1[89]|2\d)\d{2}\b")
_NUMBER = re.compile(r"\d+")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_DOTTED_MERIDIEM = re.compile(r"\b([ap])\.m\.?", re.IGNORECASE)
# A superset of what ``normalise_date`` changes (for Arrow): white space other than single inner
# spaces, a letter pair after a digit that may be an ordinal, a dot before an "m".
_MAYBE_NOT_NORMAL = f"(?i)[{SPACE_CHARS.replace(' ', '')}]|^ | $|  |[0-9][snrt][tdh]|\\.m"
# The strptime directives that read a number: a date's numbers come in the order of its format's.
_NUMBER_DIRECTIVE = re.compile("%[YmdHIMS]")

#: Explicit formats tried in bulk, most common first.
FAST_FORMATS: tuple[str, ...] = (
    "%B %d, %Y at %H:%M",
    "%B %d, %Y at %I:%M %p",
    "%d %B %Y at %H:%M",
    "%d %B %Y at %I:%M %p",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%B %d, %Y",
    "%Y-%m-%d at %H:%M",
    "%Y-%m-%d at %I:%M %p",
    "%b %d, %Y at %H:%M",
    "%b %d, %Y at %I:%M %p",
)
# Numeric dates: day, month and year fields, whichever order the page uses.
_NUMERIC = r"^(?P<first>[0-9]{1,2})[/.](?P<second>[0-9]{1,2})[/.](?P<year>[0-9]{4})"
_HAS_YEAR = r"[0-9]{4}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}"
_YEARLESS_PARTS = rf"(?i)^({_DAY_AND_MONTH}),?"


def normalise_date(text: str) -> str:
    """One spelling per date: single spaces, no ordinals, 'am' rather than 'a.m.'."""
    text = " ".join(text.split())  # the same white space as \s+, and faster than a regex
    text = _ORDINAL.sub("", text)
    return _DOTTED_MERIDIEM.sub(r"\1m", text)


def looks_like_date(text: str) -> bool:
    """Whether a line is shaped like a comment date (it may still fail to parse)."""
    text = text.strip()
    if not text or len(text) > _MAX_DATE_LENGTH or (not text[-1].isalnum() and text[-1] != "."):
        return False
    if _DATE_SHAPE.fullmatch(text):
        return True
    if not _YEAR.search(text) or len(_NUMBER.findall(text)) < 2:
        return False
    return all(word.lower() in _DATE_WORDS for word in _WORD.findall(text))


def looks_like_year(text: str) -> bool:
    """Whether a text holds a year (19xx, 20xx)."""
    return _YEAR.search(text) is not None


def dates_like(lines: pa.Array) -> np.ndarray:
    """``looks_like_date`` of many stripped lines at once (False where null): the shape test runs
    in Arrow, and only lines that fail it yet hold a year (the rarer styles) are tried one by one.
    A few lines are all tried one by one: compiling the shape for Arrow costs more than that."""
    if len(lines) - lines.null_count < _FEW_LINES:
        return np.array([text is not None and looks_like_date(text) for text in lines.to_pylist()], dtype=bool)
    short = pc.less_equal(pc.utf8_length(lines), _MAX_DATE_LENGTH)
    shaped = pc.and_(short, pc.match_substring_regex(lines, f"^(?:{_DATE_SHAPE_PATTERN})$"))
    result = np.array(pc.fill_null(shaped, False))
    maybe = pc.and_(pc.and_(short, pc.invert(shaped)), pc.match_substring_regex(lines, _YEAR_ANYWHERE))
    for index in np.flatnonzero(pc.fill_null(maybe, False)):
        result[index] = looks_like_date(lines[int(index)].as_py())
    return result


def parse_dates(texts: pa.Array | Sequence[str]) -> np.ndarray:
    """Parse date lines to naive timestamps (datetime64[us]); NaT where none can be read.

    Arrow's strptime reads the common formats fast, but rolls an impossible day over (February 30
    becomes March 2); such a date lands on day 1 to 3, so those are kept only when their day is
    the one written. The rest go to pandas with the same format, then to dateutil.
    """
    values = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())
    return _parse_normal(_normalise_all(values))


def _parse_normal(values: pa.Array, slow: bool = True) -> np.ndarray:
    """``parse_dates`` of texts already normalised (only by the bulk formats unless ``slow``): in two
    halves at once when there are many."""
    if len(values) < 2 * _DATES_PER_THREAD:
        return _parse(values, slow)
    half = len(values) // 2
    parts = in_parallel(lambda part: _parse(part, slow), [values.slice(0, half), values.slice(half)])
    return np.concatenate(list(parts))


@dataclass(frozen=True)
class PageDates:
    """A page's comment dates, read together, and what had to be decided to read them."""

    timestamps: np.ndarray
    order: str | None  # "day first", "month first" for numeric dates; None when the page has none
    order_guessed: bool  # numeric dates whose fields could be either way, read in the default order
    order_conflict: bool  # some dates need the day first and others the month first
    yearless: int  # dates that show no year, read in ``year``
    year: int | None = None
    year_from: str = ""  # where ``year`` came from


#: What gives the year of dates that show none: (year, the article's date or None, where it came from).
YearSource = Callable[[], tuple[int | None, pd.Timestamp | None, str]]


def read_page_dates(texts: pa.Array, *, day_first: bool | None = None, year_of: YearSource | None = None) -> PageDates:
    """Every comment date of one page, in bulk: numeric dates in one order for the whole page (a field
    over 12 settles it, else ``day_first``, else month first, reported as guessed), dates without a
    year in the year ``year_of`` gives (the next year where that would put them before the article's
    date). The common formats all show a year and no numeric order, so only the dates they leave
    are looked at for either."""
    texts = _normalise_all(texts)
    timestamps = _parse_normal(texts, slow=False)
    rest = np.flatnonzero(np.isnat(timestamps))
    if not len(rest):
        return PageDates(timestamps, None, False, False, 0)
    dates = _read_rest(texts.take(pa.array(rest)), day_first, year_of)
    timestamps[rest] = dates.timestamps
    return replace(dates, timestamps=timestamps)


def _read_rest(texts: pa.Array, day_first: bool | None, year_of: YearSource | None) -> PageDates:
    """``read_page_dates`` of the dates the common formats left."""
    numeric = np.asarray(pc.match_substring_regex(texts, _NUMERIC))
    order, guessed, conflict = None, False, False
    if numeric.any():
        found = pc.extract_regex(texts.filter(pa.array(numeric)), _NUMERIC)
        first = np.asarray(pc.cast(found.field("first"), pa.int64()))
        second = np.asarray(pc.cast(found.field("second"), pa.int64()))
        needs_day_first, needs_month_first = bool((first > 12).any()), bool((second > 12).any())
        conflict = needs_day_first and needs_month_first
        if needs_day_first != needs_month_first:
            day_first = needs_day_first
        guessed = day_first is None and not needs_day_first and not needs_month_first
        order = "day first" if day_first else "month first"
        texts = pc.replace_substring_regex(texts, _NUMERIC, r"\3-\2-\1" if day_first else r"\3-\1-\2")
    yearless = np.asarray(pc.invert(pc.match_substring_regex(texts, _HAS_YEAR)))
    year, after, where = year_of() if year_of is not None and yearless.any() else (None, None, "")
    if year is not None:
        with_year = pc.replace_substring_regex(texts, _YEARLESS_PARTS, rf"\1, {year}")
        texts = pc.if_else(pa.array(yearless), with_year, texts)
    timestamps = _parse_normal(texts)
    if year is None:
        timestamps[yearless] = np.datetime64("NaT", "us")
    elif after is not None:
        early = yearless & (timestamps < np.datetime64(after.date(), "us"))
        next_year = pd.DatetimeIndex(timestamps[early]) + pd.DateOffset(years=1)
        timestamps[early] = next_year.to_numpy().astype("datetime64[us]")
    return PageDates(timestamps, order, guessed, conflict, int(np.count_nonzero(yearless)), year, where)


def _parse(values: pa.Array, slow: bool = True) -> np.ndarray:
    result = np.full(len(values), np.datetime64("NaT", "us"), dtype="datetime64[us]")
    pending = np.arange(len(values))
    for fmt in FAST_FORMATS:
        if not len(pending):
            break
        subset = values.take(pa.array(pending))
        parsed = pc.strptime(subset, format=fmt, unit="us", error_is_null=True)
        found = np.asarray(parsed.is_valid())
        maybe_rolled = np.flatnonzero(np.asarray(pc.fill_null(pc.less_equal(pc.day(parsed), 3), False)))
        if len(maybe_rolled):
            rows = pa.array(maybe_rolled)
            found[maybe_rolled] = _day_as_written(subset.take(rows), fmt, parsed.take(rows))
        result[pending[found]] = np.asarray(parsed.filter(found)).astype("datetime64[us]")
        pending = pending[~found]
    if not slow:
        return result
    for fmt in FAST_FORMATS:
        if not len(pending):
            break
        parsed = pd.to_datetime(pd.Series(values.take(pa.array(pending)).to_pylist()), format=fmt, errors="coerce")
        found = parsed.notna().to_numpy()
        result[pending[found]] = parsed[found].to_numpy().astype("datetime64[us]")
        pending = pending[~found]
    for index in pending:
        value = _parse_one(values[int(index)].as_py())
        if value is not None:
            result[index] = value.to_datetime64()
    return result


def _day_as_written(written: pa.Array, fmt: str, parsed: pa.Array) -> np.ndarray:
    """Whether each date's day of the month is the day its text gives: a rolled-over day (February
    30 read as March 1) is not. The day is the text's n-th number, n being the place of %d among
    the format's number directives."""
    before_day = _NUMBER_DIRECTIVE.findall(fmt).index("%d")
    day_pattern = f"^(?:[^0-9]*[0-9]+){{{before_day}}}[^0-9]*(?P<day>[0-9]{{1,2}})(?:[^0-9]|$)"
    days = pc.cast(pc.struct_field(pc.extract_regex(written, day_pattern), [0]), pa.int64())
    return np.asarray(pc.fill_null(pc.equal(days, pc.day(parsed)), False))


def _normalise_all(texts: pa.Array) -> pa.Array:
    """``normalise_date`` of each text, calling it only on the few it may change."""
    maybe = np.flatnonzero(np.asarray(pc.match_substring_regex(texts, _MAYBE_NOT_NORMAL)))
    if not len(maybe):
        return texts
    mask = np.zeros(len(texts), dtype=bool)
    mask[maybe] = True
    normal = [normalise_date(text) for text in texts.take(pa.array(maybe)).to_pylist()]
    return pc.replace_with_mask(texts, pa.array(mask), pa.array(normal, texts.type))


def _parse_one(text: str) -> pd.Timestamp | None:
    try:
        with warnings.catch_warnings():  # a zone name it does not know ("J"): dropped below anyway, never printed
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            value = dateutil_parser.parse(text)
    except (ValueError, OverflowError):
        return None
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    try:
        return pd.Timestamp(value)
    except (ValueError, OverflowError):
        return None
