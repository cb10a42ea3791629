"""Which comments an analysis looks at: by author, text, time and depth, chosen before it runs.

A selection is a boolean mask over the comments frame, so that a selected reply still knows
whom it answered (its parent is looked up in the whole page, selected or not): every analysis
counts each selected comment once, with what it points at. ``Selection.comments`` holds the
selected rows as they are (parent ids intact); ``detached`` makes a frame of them that stands
on its own, for analyses that need every parent inside the frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from commentscope.analysis._structure import parent_rows
from commentscope.errors import InputError
from commentscope.ordering import depth_levels

#: The forms --since and --until take, for messages.
TIME_FORMS = "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or an ISO 8601 date-time with a UTC offset"


@dataclass(frozen=True)
class CommentFilter:
    """What to select; every part given must hold (author, text, time, depth).

    ``authors`` are exact names, any of which will do; ``anonymous`` adds the comments without
    a name (alone, it selects only those). ``pattern`` is a Python regular expression searched
    in the text. ``since`` and ``until`` are inclusive: a ``date`` means the whole day, a
    ``datetime`` that moment. Depths are the schema's (0 = top level).
    """

    authors: tuple[str, ...] = ()
    anonymous: bool = False
    pattern: str | None = None
    ignore_case: bool = False
    since: date | None = None
    until: date | None = None
    min_depth: int | None = None
    max_depth: int | None = None

    def __post_init__(self) -> None:
        for name in ("min_depth", "max_depth"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InputError(f"{name.replace('_', ' ')} must be 0 or more, not {value}")
        if self.min_depth is not None and self.max_depth is not None and self.min_depth > self.max_depth:
            raise InputError(f"min depth {self.min_depth} is more than max depth {self.max_depth}")
        if self.pattern is not None:
            compile_pattern(self.pattern, self.ignore_case)
        if self.since is not None and self.until is not None and _empty_window(self.since, self.until):
            raise InputError(f"since {_shown(self.since)} is after until {_shown(self.until)}")

    @property
    def active(self) -> bool:
        """Whether anything is filtered at all."""
        return bool(self.applied())

    def applied(self) -> dict[str, str]:
        """The filters given, each as readable text, in a fixed order (for stats and captions)."""
        applied: dict[str, str] = {}
        who = [repr(name) for name in self.authors] + (["anonymous"] if self.anonymous else [])
        if who:
            applied["author"] = " or ".join(who)
        if self.pattern is not None:
            applied["grep"] = f"/{self.pattern}/" + ("i" if self.ignore_case else "")
        if self.since is not None:
            applied["since"] = _shown(self.since)
        if self.until is not None:
            applied["until"] = _shown(self.until)
        if self.min_depth is not None:
            applied["min_depth"] = str(self.min_depth)
        if self.max_depth is not None:
            applied["max_depth"] = str(self.max_depth)
        return applied


@dataclass(frozen=True)
class Selection:
    """The comments a filter kept, and what a user should be told about it."""

    #: one entry per row of the frame filtered: True where the comment is selected
    mask: np.ndarray
    #: the selected rows, in their order, parent ids as they were
    comments: pd.DataFrame
    #: ``CommentFilter.applied``: empty when nothing was filtered
    filters: dict[str, str]
    #: comments in the frame filtered
    total: int
    #: comments left out only because they have no readable date while since/until was given
    undated: int
    #: names given with --author that no comment in the frame has (a typo is likelier than silence)
    unknown_authors: tuple[str, ...]

    @property
    def kept(self) -> int:
        return int(self.mask.sum())

    def description(self) -> str:
        """One line: how many comments were kept and by which filters; empty when none applied."""
        if not self.filters:
            return ""
        parts = "; ".join(f"{name.replace('_', ' ')} {value}" for name, value in self.filters.items())
        return f"{self.kept:,} of {self.total:,} comments selected ({parts})"


def select_comments(comments: pd.DataFrame, spec: CommentFilter, *, timezone: str | None = None) -> Selection:
    """The comments ``spec`` selects.

    ``timezone`` is what the frame's ``timestamp`` holds (``Thread.timezone``): "UTC", or None
    for times as the pages show them. A bound with a UTC offset is converted to UTC for a UTC
    frame and refused for a naive one, since those times have no zone to compare with; a bound
    without an offset is read on the frame's own clock. Comments without a date cannot be
    placed in time, so since/until leaves them out, and ``Selection.undated`` counts them.
    """
    mask = np.ones(len(comments), dtype=bool)
    who = _author_mask(comments["author"], spec)
    if who is not None:
        mask &= who
    if spec.pattern is not None:
        mask &= _text_mask(comments["text"], compile_pattern(spec.pattern, spec.ignore_case))
    undated = 0
    if spec.since is not None or spec.until is not None:
        times = comments["timestamp"]
        dated = times.notna().to_numpy()
        undated = int((mask & ~dated).sum())
        within = dated.copy()
        if spec.since is not None:
            within &= (times >= _instant(spec.since, timezone, "since")).to_numpy(na_value=False)
        if spec.until is not None:
            end = spec.until
            if isinstance(end, datetime):
                within &= (times <= _instant(end, timezone, "until")).to_numpy(na_value=False)
            else:
                within &= (times < pd.Timestamp(end + timedelta(days=1))).to_numpy(na_value=False)
        mask &= within
    depth = comments["depth"].to_numpy(dtype=np.int64)
    if spec.min_depth is not None:
        mask &= depth >= spec.min_depth
    if spec.max_depth is not None:
        mask &= depth <= spec.max_depth
    authors = comments["author"]
    unknown = tuple(name for name in dict.fromkeys(spec.authors) if not (authors == name).any())
    return Selection(
        mask=mask,
        comments=comments[mask].reset_index(drop=True),
        filters=spec.applied(),
        total=len(comments),
        undated=undated,
        unknown_authors=unknown,
    )


def joined_selection(parts: list[Selection], comments: pd.DataFrame) -> Selection:
    """The pages' selections as one over their corpus frame (its rows are the pages' rows in order):
    a name is unknown when no page has it."""
    mask = np.concatenate([part.mask for part in parts])
    missing = set.intersection(*(set(part.unknown_authors) for part in parts))
    return Selection(
        mask=mask,
        comments=comments[mask].reset_index(drop=True),
        filters=parts[0].filters,
        total=len(comments),
        undated=sum(part.undated for part in parts),
        unknown_authors=tuple(name for name in parts[0].unknown_authors if name in missing),
    )


def with_ancestors(comments: pd.DataFrame, mask: np.ndarray, parents: np.ndarray | None = None) -> np.ndarray:
    """``mask`` plus every ancestor of a selected comment, so that a tree can show where it sits.
    ``parents`` (``parent_rows``) when the caller has them already."""
    parents = parent_rows(comments) if parents is None else parents
    depth = comments["depth"].to_numpy(dtype=np.int64)
    keep = np.asarray(mask, dtype=bool).copy()
    for rows in reversed(depth_levels(depth)[1:]):  # deepest first: a child is decided before its parent
        keep[parents[rows[keep[rows]]]] = True
    return keep


def detached(comments: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The selected rows as a frame on its own: a reply whose parent is not selected keeps its
    depth but loses its parent id, so analyses that follow parent links stay inside the selection."""
    parents = parent_rows(comments)
    cut = (parents >= 0) & ~np.asarray(mask, dtype=bool)[np.maximum(parents, 0)]
    frame = comments[mask].reset_index(drop=True)
    outside = cut[mask]
    if outside.any():
        frame["parent_id"] = frame["parent_id"].mask(pd.Series(outside), None)
    return frame


def compile_pattern(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """The regular expression, or an InputError saying what is wrong with it."""
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as error:
        raise InputError(f"--grep {pattern!r} is not a regular expression: {error}") from None


def parse_time_bound(text: str) -> date:
    """A --since/--until value: a ``date`` for a day alone, a ``datetime`` (with its offset, if
    any) for a moment; ValueError naming the accepted forms. Only ISO forms: 03/04/2020 is open."""
    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{text!r} is not a date or date-time; use {TIME_FORMS}") from None


def _author_mask(authors: pd.Series, spec: CommentFilter) -> np.ndarray | None:
    if not spec.authors and not spec.anonymous:
        return None
    mask = authors.isin(list(spec.authors)).to_numpy(dtype=bool, na_value=False) if spec.authors else None
    if spec.anonymous:
        anonymous = authors.isna().to_numpy()
        mask = anonymous if mask is None else mask | anonymous
    return mask


def _text_mask(texts: pd.Series, pattern: re.Pattern[str]) -> np.ndarray:
    search = pattern.search
    return np.fromiter(
        (text is not None and text == text and search(text) is not None for text in texts.tolist()),
        dtype=bool,
        count=len(texts),
    )


def _instant(bound: datetime, timezone: str | None, name: str) -> pd.Timestamp:
    """A datetime bound on the frame's clock (naive), or an InputError when the clocks cannot meet."""
    moment = pd.Timestamp(bound)
    if moment.tzinfo is None:
        return moment
    if timezone != "UTC":
        raise InputError(
            f"--{name} {_shown(bound)} has a UTC offset, but these comments' times are as the page shows "
            "them, with no zone; give the time without an offset"
        )
    return moment.tz_convert("UTC").tz_localize(None)


def _empty_window(since: date, until: date) -> bool:
    """Whether no time can be both at or after ``since`` and at or before ``until`` (offsets aside)."""
    start = since if isinstance(since, datetime) else datetime(since.year, since.month, since.day)
    if isinstance(until, datetime):
        return start.tzinfo is None and until.tzinfo is None and start > until
    return start.tzinfo is None and start >= datetime(until.year, until.month, until.day) + timedelta(days=1)


def _shown(bound: date) -> str:
    if not isinstance(bound, datetime):
        return bound.isoformat()
    text = bound.isoformat(sep=" ")
    return text.removesuffix(":00") if bound.second == 0 and bound.microsecond == 0 and bound.tzinfo is None else text
