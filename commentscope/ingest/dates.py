"""Comment dates: a cheap shape test for the date rule, and bulk parsing.

The date rule decides which marker lines open comments, so ``looks_like_date`` runs
on every candidate and must be cheap and strict. ``parse_dates`` runs once per page
on all dates together: explicit formats first (vectorised by pandas), python-dateutil
only for what those leave.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

import pandas as pd
from dateutil import parser as dateutil_parser

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_TIME = r"(?:(?:,?\s+(?:at|@|-|–)\s+|,?\s+|T)\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?"
_DATE_SHAPE = re.compile(
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}){_TIME}",
    re.IGNORECASE,
)
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
# A superset of what ``normalise_date`` changes, each searched in all dates joined by newlines
# (one simple pattern a pass is faster than their alternation): white space other than single inner
# spaces, a letter pair after a digit that may be an ordinal, a dot before an "m".
_MAYBE_NOT_NORMAL = tuple(
    re.compile(pattern, re.IGNORECASE) for pattern in (r"[^\S\n ]", r" [ \n]|\n ", r"\d[snrt][tdh]", r"\.m")
)

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
)


def normalise_date(text: str) -> str:
    """One spelling per date: single spaces, no ordinals, 'am' rather than 'a.m.'."""
    text = " ".join(text.split())  # the same white space as \s+, and faster than a regex
    text = _ORDINAL.sub("", text)
    return _DOTTED_MERIDIEM.sub(r"\1m", text)


def looks_like_date(text: str) -> bool:
    """Whether a line is shaped like a comment date (it may still fail to parse)."""
    text = text.strip()
    if not text or len(text) > 60 or (not text[-1].isalnum() and text[-1] != "."):
        return False
    if _DATE_SHAPE.fullmatch(text):
        return True
    if not _YEAR.search(text) or len(_NUMBER.findall(text)) < 2:
        return False
    return all(word.lower() in _DATE_WORDS for word in _WORD.findall(text))


def parse_dates(texts: Sequence[str]) -> pd.Series:
    """Parse date lines to naive timestamps; NaT where none can be read."""
    normalised = pd.Series(_normalise_all(texts), dtype=object)
    result = pd.Series(pd.NaT, index=normalised.index, dtype="datetime64[us]")
    pending = normalised.index
    for fmt in FAST_FORMATS:
        if not len(pending):
            break
        parsed = pd.to_datetime(normalised[pending], format=fmt, errors="coerce")
        found = parsed.notna()
        result[pending[found]] = parsed[found]
        pending = pending[~found.to_numpy()]
    for index in pending:
        result[index] = _parse_one(normalised[index])
    return result


def _normalise_all(texts: Sequence[str]) -> list[str]:
    """``normalise_date`` of each text, calling it only on the few it may change: a few regex passes
    over all the dates finds those, and the rest are already in normal form."""
    normalised = list(texts)
    joined = "\n".join(normalised)
    if joined.count("\n") != max(len(normalised) - 1, 0):
        return [normalise_date(t) for t in normalised]
    # A match may span one newline: its start and its end name every date it touches.
    offsets = {offset for pattern in _MAYBE_NOT_NORMAL for m in pattern.finditer(joined) for offset in m.span()}
    if joined.startswith(" "):
        offsets.add(0)
    if joined.endswith(" "):
        offsets.add(len(joined) - 1)
    if not offsets:
        return normalised
    starts = list(itertools.accumulate((len(t) + 1 for t in normalised), initial=0))
    for index in {bisect.bisect_right(starts, offset) - 1 for offset in offsets}:
        normalised[index] = normalise_date(normalised[index])
    return normalised


def _parse_one(text: str) -> pd.Timestamp | None:
    try:
        value = dateutil_parser.parse(text)
    except (ValueError, OverflowError):
        return None
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    try:
        return pd.Timestamp(value)
    except (ValueError, OverflowError):
        return None
