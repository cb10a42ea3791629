"""Comment dates: a cheap shape test for the date rule, and bulk parsing.

The date rule decides which marker lines open comments, so ``looks_like_date`` must be
cheap and strict; ``dates_like`` applies it to a whole column of lines (the shape test in
Arrow, with the same pattern). ``parse_dates`` runs once per page on all dates together:
the common formats by Arrow's strptime, dates with month names in the languages of
``date_names`` (CLDR's words) by one Arrow regex per word order and numpy, then pandas with
the common formats, python-dateutil only for what those leave. Relative dates ("3 days ago",
"vor 2 Stunden", "yesterday at 13:05", "just now") are read by ``read_page_dates`` against a
reference time it is given, and marked, since they are approximate; dates without a year
("24. Januar um 13:05") take the year it is told.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dateutil import parser as dateutil_parser

from commentscope.parallel import in_parallel
from commentscope.readers import date_names

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


def _words(words: Iterable[str]) -> str:
    """An alternation of words for either regex engine, longest first, a space standing for any."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return "|".join(re.escape(word).replace(r"\ ", f"{_S}+") for word in ordered)


# Dates with month names in the languages of ``date_names`` (always day first), the words that join
# a date to its time, and the clock's forms: "Do., 24. Januar 2019 um 13:05 Uhr", "24 janvier 2019
# à 13 h 05", "24 de enero de 2019 a las 13:05", "24 stycznia 2019 r. o godz. 13:05". The month,
# weekday and unit words are hundreds: a pattern naming them all takes ten times as long to
# compile, and Arrow compiles a pattern on every call. So the pattern holds any word there
# (``_ANY_WORD``, the same characters in both engines), and the words are then looked up.
_ANY_WORD = f"[^{SPACE_CHARS}0-9.,:;/@|()]+"
_JOIN = rf"(?:{_words(date_names.JOINS)})\.?"
_CLOCK_WORD = f"(?:{_words(date_names.CLOCK_WORDS)})"
_CLOCK_WORDS_AFTER = rf"(?:{_S}*{_CLOCK_WORD})?"
_WORDED_CLOCK = rf"[0-9]{{1,2}}{_S}*(?:[:.]|h){_S}*[0-9]{{2}}(?::[0-9]{{2}})?(?:{_S}*[ap]\.?m\.?)?{_CLOCK_WORDS_AFTER}"
_WORDED_TAIL = rf"(?:,?{_S}+(?:{_JOIN}{_S}+)?{_WORDED_CLOCK})?"
# Relative dates: CLDR's "N units ago" in each language ("il y a 3 jours", "3 giorni fa"), with a
# word for one ("a day ago"); a relative day name only with its time ("gestern um 13:05"), since
# alone it is also a word ("hier" is German for "here").
_COUNT = rf"(?:[0-9]{{1,4}}|{_words(date_names.ONE)})"
_BEFORE = f"(?:{_words(before for before, _ in date_names.AGO_FRAMES if before)})"
_AFTER = f"(?:{_words(after for _, after in date_names.AGO_FRAMES if after)})"
_DAY_NAME = f"(?:{_words(date_names.DAYS_BACK)})"
# "just now", "gerade eben", "à l'instant": a moment before the reference time.
_MOMENT = f"(?:{_words(date_names.MOMENTS)})"
# A date without a year passes only with its time, joined by a word ("um", "à", "a las") or a comma.
_JOINED_CLOCK = rf"(?:,?{_S}+{_JOIN}|,){_S}+{_WORDED_CLOCK}"


def _worded_forms(groups: bool) -> tuple[str, ...]:
    """The forms of named and relative dates; with ``groups``, the words to look up are captured.
    A month name comes after its day (every language of ``date_names`` writes it so) or before it
    (English, and themes that keep English's order with another language's words: "Januar 24,
    2019"); with a year, or with a joined time and no year. A text may take the shape of two forms
    ("jun 20 at 2:41": "jun" a weekday?): it is a date when the words of one are known."""

    def word(name: str) -> str:
        return f"(?P<{name}>{_ANY_WORD})" if groups else _ANY_WORD

    day_first = (
        rf"(?:{word('weekday')}\.?,?{_S}+)?[0-9]{{1,2}}(?:\.|er|º|°|ª)?{_S}+(?:de{_S}+)?{word('month')}\.?"
        rf"(?:,?{_S}+(?:del?{_S}+)?[0-9]{{4}}(?:{_S}+r\.)?{_WORDED_TAIL}|{_JOINED_CLOCK})"
    )
    month_first = (
        rf"(?:{word('weekday')}\.?,?{_S}+)?{word('month')}\.?{_S}+[0-9]{{1,2}}(?:st|nd|rd|th)?"
        rf"(?:,?{_S}+[0-9]{{4}}{_WORDED_TAIL}|{_JOINED_CLOCK})"
    )
    ago = (
        rf"{_BEFORE}{_S}+{_COUNT}{_S}+{word('unit')}(?:{_S}+{_AFTER})?"
        rf"|{_COUNT}{_S}+{word('unit_before_after')}{_S}+{_AFTER}"
    )
    day_name = rf"{_DAY_NAME},?{_S}+(?:{_JOIN}{_S}+)?{_WORDED_CLOCK}"
    return _MOMENT, day_name, day_first, month_first, ago


def _worded(groups: bool = False) -> str:
    return f"(?:{'|'.join(_worded_forms(groups))})"


# Matched against lower-case text (faster in Python's engine than ignoring case).
_WORDED_FORMS = _worded_forms(groups=True)
_GROUP_NAME = re.compile(r"\(\?P<(\w+)>")
_WORDED_SHAPE = f"^{_worded()}$"
# Every worded date holds a digit, or is "N units ago" with a word for one, or a moment's phrase:
# what Python's engine looks at before the whole pattern.
_MAY_BE_WORDED_PATTERN = rf"(?i)[0-9]|^{_BEFORE}{_S}|{_S}{_AFTER}$|^{_MOMENT}$"
#: The words each captured group of ``_WORDED_FORMS`` must be (lower case), or empty.
_WORD_TABLES: dict[str, pa.Array] = {
    "weekday": pa.array(sorted(date_names.WEEKDAYS), pa.large_string()),
    "month": pa.array(sorted(date_names.MONTHS), pa.large_string()),
    "unit": pa.array(sorted(date_names.UNITS), pa.large_string()),
    "unit_before_after": pa.array(sorted(date_names.UNITS), pa.large_string()),
}
_WORD_SETS = {name: frozenset(table.to_pylist()) for name, table in _WORD_TABLES.items()}
_SHAPE = (
    rf"(?:(?:(?:{_MONTHS})\.?{_S}+[0-9]{{1,2}}(?:st|nd|rd|th)?,?{_S}+[0-9]{{4}}"
    rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?{_S}+(?:{_MONTHS})\.?,?{_S}+[0-9]{{4}}"
    rf"|[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}"
    rf"|[0-9]{{1,2}}(?:/[0-9]{{1,2}}/|\.[0-9]{{1,2}}\.|-[0-9]{{1,2}}-)(?:[0-9]{{4}}|[0-9]{{2}}))"
    rf"(?:{_TIME}|{_WORDED_TAIL})|{_YEARLESS})"
)
_DATE_SHAPE_PATTERN = f"(?i){_SHAPE}"
#: The shape of a date, for either regex engine, to search a line for one: a superset (its words
#: are not looked up), so ``looks_like_date`` must confirm what it finds.
DATE_SHAPE = f"(?i)(?:{_SHAPE}|{_worded()})"
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
# Numeric dates: day, month and year fields, whichever order the page uses; a year of two digits
# is read as strptime's %y reads it (69 to 99 in the 1900s, 00 to 68 in the 2000s).
_NUMERIC_FIELDS = r"^(?P<first>[0-9]{1,2})[/.-](?P<second>[0-9]{1,2})[/.-]"
_NUMERIC = rf"{_NUMERIC_FIELDS}(?P<year>[0-9]{{4}}|[0-9]{{2}})(?:[^0-9]|$)"
_NUMERIC_YEARS = (
    (rf"{_NUMERIC_FIELDS}(?P<year>[0-9]{{4}})(?P<after>[^0-9]|$)", ""),
    (rf"{_NUMERIC_FIELDS}(?P<year>[0-6][0-9])(?P<after>[^0-9]|$)", "20"),
    (rf"{_NUMERIC_FIELDS}(?P<year>[7-9][0-9])(?P<after>[^0-9]|$)", "19"),
)
_HAS_YEAR = r"[0-9]{4}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}"
# An English day and month, as a whole word ("24 jan" is not the start of "24 januari").
_YEARLESS_PARTS = rf"(?i)^({_DAY_AND_MONTH}),?( |$)"
# The fields of worded dates, in lower-case text: named dates, numeric ones already written
# year first ("2019-01-24 um 13:05 Uhr"), relative ones.
_CLOCK_FIELDS = (
    rf"(?P<hour>[0-9]{{1,2}}){_S}*(?:[:.]|h){_S}*(?P<minute>[0-9]{{2}})(?::(?P<second>[0-9]{{2}}))?"
    rf"(?:{_S}*(?P<meridiem>[ap])\.?m\.?)?{_CLOCK_WORDS_AFTER}"
)
_TAIL_FIELDS = rf"(?:,?{_S}+(?:{_JOIN}{_S}+)?{_CLOCK_FIELDS})?"
# The year is left out of dates that show none: ``_parse_worded`` is told it.
_NAMED_FIELDS = (
    rf"^(?:(?P<weekday>{_ANY_WORD})\.?,?{_S}+)?(?P<day>[0-9]{{1,2}})(?:\.|er|º|°|ª)?{_S}+(?:de{_S}+)?"
    rf"(?P<month>{_ANY_WORD})\.?(?:,?{_S}+(?:del?{_S}+)?(?P<year>[0-9]{{4}})(?:{_S}+r\.)?)?{_TAIL_FIELDS}$"
)
_MONTH_FIRST_FIELDS = (
    rf"^(?:(?P<weekday>{_ANY_WORD})\.?,?{_S}+)?(?P<month>{_ANY_WORD})\.?{_S}+(?P<day>[0-9]{{1,2}})"
    rf"(?:,?{_S}+(?P<year>[0-9]{{4}}))?{_TAIL_FIELDS}$"
)
_YEAR_FIRST_FIELDS = rf"^(?P<year>[0-9]{{4}})-(?P<month>[0-9]{{1,2}})-(?P<day>[0-9]{{1,2}}){_TAIL_FIELDS}$"
_AGO_FIELDS = (
    rf"^(?:{_BEFORE}{_S}+(?P<count>{_COUNT}){_S}+(?P<unit>{_ANY_WORD})(?:{_S}+{_AFTER})?"
    rf"|(?P<count_before_after>{_COUNT}){_S}+(?P<unit_before_after>{_ANY_WORD}){_S}+{_AFTER})$"
)
_DAY_NAME_FIELDS = rf"^(?P<name>{_DAY_NAME}),?{_S}+(?:{_JOIN}{_S}+)?{_CLOCK_FIELDS}$"
_MOMENT_FIELDS = f"^{_MOMENT}$"
_MONTH_NAMES = pa.array(list(date_names.MONTHS), pa.large_string())
_MONTH_NUMBERS = np.array(list(date_names.MONTHS.values()), dtype=np.int64)
_DAY_NAMES = pa.array(list(date_names.DAYS_BACK), pa.large_string())
_DAYS_BACK = np.array(list(date_names.DAYS_BACK.values()), dtype=np.int64)
_UNIT_NAMES = pa.array(list(date_names.UNITS), pa.large_string())
_UNIT_OF_NAME = np.array(list(date_names.UNITS.values()))
_ONE = pa.array(date_names.ONE, pa.large_string())
_MICROSECONDS = {"second": 10**6, "minute": 60 * 10**6, "hour": 3600 * 10**6, "day": 86400 * 10**6}
_MICROSECONDS["week"] = 7 * _MICROSECONDS["day"]
_MONTHS_IN = {"month": 1, "year": 12}
_NAT = np.datetime64("NaT", "us")


@cache
def _python_pattern(pattern: str) -> re.Pattern[str]:
    """A pattern of the date rule compiled for Python's engine when first used (a large page reads its
    dates with Arrow's engine instead). White space is spelled ``\\s`` here, the same characters in
    Python's engine: the spelled-out class, repeated between the nine languages' words, made each
    pattern many times slower to compile."""
    return re.compile(pattern.replace(SPACE, r"\s").replace(f"[^{SPACE_CHARS}", r"[^\s"))


def normalise_date(text: str) -> str:
    """One spelling per date: single spaces, no ordinals, 'am' rather than 'a.m.'."""
    text = " ".join(text.split())  # the same white space as \s+, and faster than a regex
    text = _ORDINAL.sub("", text)
    return _DOTTED_MERIDIEM.sub(r"\1m", text)


def looks_like_date(text: str) -> bool:
    """Whether a line is shaped like a comment date (it may still fail to parse)."""
    text = text.strip()
    if not _may_be_date(text):
        return False
    return bool(_python_pattern(_DATE_SHAPE_PATTERN).fullmatch(text)) or _worded_date(text) or _rare_style(text)


def _may_be_date(text: str) -> bool:
    return bool(text) and len(text) <= _MAX_DATE_LENGTH and (text[-1].isalnum() or text[-1] == ".")


def _rare_style(text: str) -> bool:
    """The styles dateutil reads that no pattern names: a year, another number, only date words."""
    if not _YEAR.search(text) or len(_NUMBER.findall(text)) < 2:
        return False
    return all(word.lower() in _DATE_WORDS for word in _WORD.findall(text))


def _worded_date(text: str) -> bool:
    """Whether a stripped line is a named or relative date whose words are all known."""
    text = text.lower()
    if not _python_pattern(_MAY_BE_WORDED_PATTERN).search(text):
        return False
    for form in _WORDED_FORMS:
        found = _python_pattern(form).fullmatch(text)
        if found and all(value is None or value in _WORD_SETS[name] for name, value in found.groupdict().items()):
            return True
    return False


def _worded_dates(lines: pa.Array) -> np.ndarray:
    """``_worded_date`` of many stripped lines at once: the shape by Arrow's regex (without captures,
    the fast way), then, form by form, the words of the lines that have it looked up."""
    result = np.zeros(len(lines), dtype=bool)
    maybe = np.flatnonzero(np.asarray(pc.fill_null(pc.match_substring_regex(lines, _MAY_BE_WORDED_PATTERN), False)))
    if not len(maybe):
        return result
    lower = pc.utf8_lower(lines.take(pa.array(maybe)))
    shaped = np.asarray(pc.fill_null(pc.match_substring_regex(lower, _WORDED_SHAPE), False))
    rows, lower = maybe[shaped], lower.filter(pa.array(shaped))
    for form in _WORDED_FORMS:
        if not len(rows):
            break
        names = _GROUP_NAME.findall(form)
        if not names:
            found = np.asarray(pc.fill_null(pc.match_substring_regex(lower, f"^(?:{form})$"), False))
        else:
            fields = pc.extract_regex(lower, f"^(?:{form})$")
            found = np.asarray(pc.fill_null(fields.is_valid(), False))
            for name in names:
                words = fields.field(name)
                known = pc.or_(pc.equal(words, ""), pc.is_in(words, value_set=_WORD_TABLES[name]))
                found &= np.asarray(pc.fill_null(known, False))
        result[rows[found]] = True
        rows, lower = rows[~found], lower.filter(pa.array(~found))
    return result


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
    unshaped = np.flatnonzero(np.asarray(pc.fill_null(pc.and_(short, pc.invert(shaped)), False)))
    if len(unshaped):
        result[unshaped] = _worded_dates(lines.take(pa.array(unshaped)))
    maybe = pc.and_(pc.invert(pa.array(result)), pc.and_(short, pc.match_substring_regex(lines, _YEAR_ANYWHERE)))
    rows = np.flatnonzero(pc.fill_null(maybe, False))
    if len(rows):  # the stripped lines that are neither shaped nor worded (Arrow said so): the rare styles
        texts = lines.take(pa.array(rows)).to_pylist()
        result[rows] = [_may_be_date(text) and _rare_style(text) for text in texts]
    return result


def parse_dates(texts: pa.Array | Sequence[str]) -> np.ndarray:
    """Parse date lines to naive timestamps (datetime64[us]); NaT where none can be read.

    Arrow's strptime reads the common formats fast, but rolls an impossible day over (February 30
    becomes March 2); such a date lands on day 1 to 3, so those are kept only when their day is
    the one written. The rest go to pandas with the same format, then to dateutil.
    """
    values = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())
    return _parse_normal(_normalise_all(values))


def _parse_normal(values: pa.Array, slow: bool = True, year: int | None = None) -> np.ndarray:
    """``parse_dates`` of texts already normalised (only by the bulk formats unless ``slow``), named
    dates without a year read in ``year`` (NaT without it): in two halves at once when there are many."""
    if len(values) < 2 * _DATES_PER_THREAD:
        return _parse(values, slow, year)
    half = len(values) // 2
    parts = in_parallel(lambda part: _parse(part, slow, year), [values.slice(0, half), values.slice(half)])
    return np.concatenate(list(parts))


@dataclass(frozen=True)
class PageDates:
    """A page's comment dates, read together, and what had to be decided to read them."""

    timestamps: np.ndarray
    relative: np.ndarray  # which dates are relative ("3 days ago"): read against ``now``, else NaT
    order: str | None  # "day first", "month first" for numeric dates; None when the page has none
    order_guessed: bool  # numeric dates whose fields could be either way, read in the default order
    order_conflict: bool  # some dates need the day first and others the month first
    yearless: int  # dates that show no year, read in ``year``
    year: int | None = None
    year_from: str = ""  # where ``year`` came from
    now: pd.Timestamp | None = None  # what relative dates were counted back from

    @property
    def approximate(self) -> int:
        """Relative dates read against ``now``: their times are approximate."""
        return int(np.count_nonzero(self.relative)) if self.now is not None else 0

    @property
    def relative_unread(self) -> int:
        """Relative dates left NaT, for want of ``now``."""
        return int(np.count_nonzero(self.relative)) if self.now is None else 0


#: What gives the year of dates that show none: (year, the article's date or None, where it came from).
YearSource = Callable[[], tuple[int | None, pd.Timestamp | None, str]]


def read_page_dates(
    texts: pa.Array,
    *,
    day_first: bool | None = None,
    year_of: YearSource | None = None,
    now: datetime | None = None,
) -> PageDates:
    """Every comment date of one page, in bulk: numeric dates in one order for the whole page (a field
    over 12 settles it, else ``day_first``, else month first, reported as guessed), dates without a
    year in the year ``year_of`` gives (the next year where that would put them before the article's
    date), relative dates counted back from ``now`` (NaT without it; ``relative`` marks them all).
    The common formats all show a year and no numeric order, so only the dates they leave are
    looked at for the rest."""
    texts = _normalise_all(texts)
    timestamps = _parse_normal(texts, slow=False)
    relative = np.zeros(len(texts), dtype=bool)
    reference = None if now is None else pd.Timestamp(_naive(now))
    rest = np.flatnonzero(np.isnat(timestamps))
    if len(rest):
        back, is_relative = read_relative(texts.take(pa.array(rest)), now)
        relative[rest[is_relative]] = True
        timestamps[rest[is_relative]] = back[is_relative]
        rest = rest[~is_relative]
    if not len(rest):
        return PageDates(timestamps, relative, None, False, False, 0, now=reference)
    dates = _read_rest(texts.take(pa.array(rest)), day_first, year_of)
    timestamps[rest] = dates.timestamps
    return replace(dates, timestamps=timestamps, relative=relative, now=reference)


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
        for pattern, century in _NUMERIC_YEARS:
            iso = rf"{century}\3-\2-\1\4" if day_first else rf"{century}\3-\1-\2\4"
            texts = pc.replace_substring_regex(texts, pattern, iso)
    yearless = np.asarray(pc.invert(pc.match_substring_regex(texts, _HAS_YEAR)))
    year, after, where = year_of() if year_of is not None and yearless.any() else (None, None, "")
    if year is not None:
        with_year = pc.replace_substring_regex(texts, _YEARLESS_PARTS, rf"\1, {year}\2")
        texts = pc.if_else(pa.array(yearless), with_year, texts)
    timestamps = _parse_normal(texts, year=year)
    if year is None:
        timestamps[yearless] = np.datetime64("NaT", "us")
    elif after is not None:
        early = yearless & (timestamps < np.datetime64(after.date(), "us"))
        next_year = pd.DatetimeIndex(timestamps[early]) + pd.DateOffset(years=1)
        timestamps[early] = next_year.to_numpy().astype("datetime64[us]")
    yearless_count = int(np.count_nonzero(yearless))
    return PageDates(timestamps, np.zeros(0, dtype=bool), order, guessed, conflict, yearless_count, year, where)


def _parse(values: pa.Array, slow: bool = True, year: int | None = None) -> np.ndarray:
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
    if len(pending):
        worded = _parse_worded(values.take(pa.array(pending)), year)
        found = ~np.isnat(worded)
        result[pending[found]] = worded[found]
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


def _parse_worded(values: pa.Array, year: int | None = None) -> np.ndarray:
    """Dates with a month name of ``date_names`` after or before the day ("24. Januar 2019 um 13:05
    Uhr", "Januar 24, 2019"), those without a year in ``year`` (NaT without it), and numeric ones
    written year first with another language's time ("2019-01-24 à 13 h 05"): their fields taken by
    one Arrow regex per order, the month name looked up, the timestamps built by numpy. A text that
    two orders could split is the date whose words are known. NaT elsewhere."""
    lower = pc.utf8_lower(values)
    result = np.full(len(values), _NAT, dtype="datetime64[us]")
    for pattern in (_NAMED_FIELDS, _MONTH_FIRST_FIELDS, _YEAR_FIRST_FIELDS):
        found = pc.extract_regex(lower, pattern)
        rows = np.flatnonzero(np.asarray(pc.fill_null(found.is_valid(), False)) & np.isnat(result))
        if not len(rows):
            continue
        found = found.take(pa.array(rows))
        years = _numbers(found.field("year"))
        if pattern is _YEAR_FIRST_FIELDS:
            month = _numbers(found.field("month"))
        else:
            weekdays = found.field("weekday")
            known_weekday = pc.or_(pc.equal(weekdays, ""), pc.is_in(weekdays, value_set=_WORD_TABLES["weekday"]))
            at = np.asarray(pc.index_in(found.field("month"), value_set=_MONTH_NAMES).fill_null(-1))
            month = np.where(np.asarray(known_weekday) & (at >= 0), _MONTH_NUMBERS[at], 0)
            years = np.where(years == 0, year or 0, years)
            month = np.where(years == 0, 0, month)  # no year shown, none told
        day_start = _calendar_day(years, month, _numbers(found.field("day")))
        result[rows] = _at_clock(day_start, found)
    return result


def _numbers(texts: pa.Array) -> np.ndarray:
    """Digits as integers, 0 where empty (an optional field left out)."""
    return np.asarray(pc.cast(pc.if_else(pc.equal(texts, ""), "0", texts), pa.int64()))


def _calendar_day(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The first moment of each day, NaT where the month has no such day (February 30)."""
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    length = ((months + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= length)
    return np.where(valid, (first + (day - 1).astype("timedelta64[D]")).astype("datetime64[us]"), _NAT)


def _at_clock(day_start: np.ndarray, fields: pa.Array) -> np.ndarray:
    """Each day at the time its text gives (midnight without one); NaT for an impossible time."""
    hour, minute, second = (_numbers(fields.field(name)) for name in ("hour", "minute", "second"))
    meridiem = np.asarray(fields.field("meridiem")).astype(str)
    twelve_hour = meridiem != ""
    valid = np.where(twelve_hour, (hour >= 1) & (hour <= 12), hour < 24) & (minute < 60) & (second < 60)
    hour = np.where(twelve_hour, hour % 12 + np.where(meridiem == "p", 12, 0), hour)
    offset = ((hour * 60 + minute) * 60 + second) * 10**6
    return np.where(valid, day_start + offset.astype("timedelta64[us]"), _NAT)


def moment_phrases(texts: pa.Array) -> np.ndarray:
    """Which dates are a bare moment's phrase ("just now", "nyss"): the one kind of date that a
    body's list line can hold whole. Only the dates without a digit are looked at."""
    result = np.zeros(len(texts), dtype=bool)
    rows = np.flatnonzero(~np.asarray(pc.fill_null(pc.match_substring_regex(texts, "[0-9]"), True)))
    if len(rows):
        lower = pc.utf8_lower(_normalise_all(texts.take(pa.array(rows, pa.int64()))))
        result[rows] = np.asarray(pc.fill_null(pc.match_substring_regex(lower, _MOMENT_FIELDS), False))
    return result


def are_relative(texts: pa.Array) -> np.ndarray:
    """Which dates are relative ("3 days ago", "gestern um 13:05", "just now")."""
    return read_relative(_normalise_all(texts), None)[1]


def read_relative(texts: pa.Array, now: datetime | None) -> tuple[np.ndarray, np.ndarray]:
    """Which texts (normalised dates) are relative ("3 days ago", "vor 2 Stunden", "gestern um 13:05",
    "just now"), and the time each means counted back from ``now``: NaT without ``now``. "N months
    ago" keeps the day of the month where it can (March 31 less a month is February's last day); a
    day name with its time is that time, that many days before ``now``'s date; a moment's phrase
    is ``now``. The caller must present
    them as approximate: the page was rendered at some time near ``now``, and "3 days" is rounded."""
    lower = pc.utf8_lower(texts)
    result = np.full(len(texts), _NAT, dtype="datetime64[us]")
    relative = np.zeros(len(texts), dtype=bool)
    reference = None if now is None else _naive(now)
    ago = pc.extract_regex(lower, _AGO_FIELDS)
    rows = np.flatnonzero(np.asarray(pc.fill_null(ago.is_valid(), False)))
    if len(rows):
        ago = ago.take(pa.array(rows))
        first_frame = pc.not_equal(ago.field("unit"), "")
        counts = pc.if_else(first_frame, ago.field("count"), ago.field("count_before_after"))
        units = pc.index_in(pc.if_else(first_frame, ago.field("unit"), ago.field("unit_before_after")), _UNIT_NAMES)
        known = np.asarray(units.is_valid())
        rows, counts, units = rows[known], counts.filter(pa.array(known)), np.asarray(units.filter(pa.array(known)))
        relative[rows] = True
        if reference is not None:
            number = _numbers(pc.if_else(pc.is_in(counts, value_set=_ONE), "1", counts))
            result[rows] = _back_from(reference, number, _UNIT_OF_NAME[units])
    named = pc.extract_regex(lower, _DAY_NAME_FIELDS)
    rows = np.flatnonzero(np.asarray(pc.fill_null(named.is_valid(), False)))
    if len(rows):
        named = named.take(pa.array(rows))
        relative[rows] = True
        if reference is not None:
            back = _DAYS_BACK[np.asarray(pc.index_in(named.field("name"), _DAY_NAMES))]
            today = np.datetime64(reference, "D")
            result[rows] = _at_clock((today - back).astype("datetime64[us]"), named)
    moments = np.asarray(pc.fill_null(pc.match_substring_regex(lower, _MOMENT_FIELDS), False))
    relative |= moments
    if reference is not None:
        result[moments] = reference
    return result, relative


def _naive(now: datetime) -> np.datetime64:
    """``now`` as a naive timestamp in its own clock time, like the pages' dates."""
    stamp = pd.Timestamp(now)
    return (stamp.tz_localize(None) if stamp.tzinfo is not None else stamp).to_datetime64().astype("datetime64[us]")


def _back_from(reference: np.datetime64, number: np.ndarray, units: np.ndarray) -> np.ndarray:
    """``reference`` less ``number`` of each unit: exact for seconds to weeks, by the calendar for
    months and years."""
    result = np.full(len(number), _NAT, dtype="datetime64[us]")
    for unit, microseconds in _MICROSECONDS.items():
        rows = units == unit
        result[rows] = reference - (number[rows] * microseconds).astype("timedelta64[us]")
    rows = np.isin(units, list(_MONTHS_IN))
    if rows.any():
        months = number[rows] * np.where(units[rows] == "year", 12, 1)
        this_month = reference.astype("datetime64[M]")
        target = this_month - months.astype("timedelta64[M]")
        next_month = (target + np.timedelta64(1, "M")).astype("datetime64[D]")
        length = (next_month - target.astype("datetime64[D]")).astype(np.int64)
        day = (reference.astype("datetime64[D]") - this_month.astype("datetime64[D]")).astype(np.int64)
        clock = reference - reference.astype("datetime64[D]")
        same_day = target.astype("datetime64[D]") + np.minimum(day, length - 1).astype("timedelta64[D]")
        result[rows] = same_day.astype("datetime64[us]") + clock
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
