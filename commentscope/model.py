"""The Thread: article metadata plus one row per comment, with a schema written down once.

Every reader in ``readers/`` produces a Thread and every function in ``analysis/``
consumes ``Thread.comments``; the schema below is the contract between them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

#: Column name -> (dtype, meaning). The order is the column order of ``Thread.comments``.
COMMENT_SCHEMA: dict[str, tuple[str, str]] = {
    "id": ("str", "stable path id: the site's number at top level, parent_id.k for the k-th reply"),
    "parent_id": ("str", "id of the comment replied to; null for a top-level comment"),
    "depth": ("int64", "0 for a top-level comment, parent's depth + 1 for a reply"),
    "position": ("int64", "0-based order in the page"),
    "number": ("Int64", "the site's number of a top-level comment; null for replies"),
    "author": ("str", "commenter's name; null when the page shows none (anonymous)"),
    "timestamp": (
        "datetime64[us]",
        "when it was posted: naive as the page shows it, or UTC where Thread.timezone says so",
    ),
    "text": ("str", "the body; paragraphs joined by one blank line"),
    "words": ("int64", "number of whitespace-separated words in text"),
    "line": ("int64", "1-based line of the comment's marker in the source (a record's number in a data file)"),
    "kind": ("str", "comment, pingback, trackback, or deleted (removed, kept in its place)"),
}

COMMENT_COLUMNS: list[str] = list(COMMENT_SCHEMA)


class LineKind(StrEnum):
    """What each non-blank line of a page was understood as (see ``Thread.line_counts``)."""

    ARTICLE = "article"
    HEADER = "comments_header"
    MARKER = "marker"
    AUTHOR = "author"
    DATE = "date"
    BODY = "body"
    LINK = "link"  # "Reply" / "Log in to Reply" leftovers: counted, kept out of the text
    FOOTER = "footer"
    UNPLACED = "unplaced"


@dataclass(frozen=True)
class Problem:
    """Something odd about a page: reported, never hidden."""

    kind: str
    message: str
    line: int | None = None


@dataclass
class Article:
    """What the page says about itself, above the comments."""

    source: str
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    body: str = ""
    declared_comments: int | None = None
    url: str | None = None
    published: pd.Timestamp | None = None


@dataclass
class Thread:
    """An article and its comments, as one page shows them."""

    article: Article
    comments: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: non-blank lines of the source per ``LineKind`` value; they add up to ``nonblank_lines``
    line_counts: Counter[str] = field(default_factory=Counter)
    nonblank_lines: int = 0
    #: per-page figures computed where the page was parsed (``load_pages(summarise=...)``), else None
    summary: dict[str, Any] | None = None
    #: "UTC" when the reader had machine-readable times and ``timestamp`` is in UTC; None when naive
    timezone: str | None = None

    @property
    def source(self) -> str:
        return self.article.source


def empty_comments() -> pd.DataFrame:
    """A comments frame with no rows and the right dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, (dtype, _) in COMMENT_SCHEMA.items()})


def validate_comments(frame: pd.DataFrame) -> None:
    """Fail loudly when a reader breaks the schema, rather than later in analysis."""
    missing = [name for name in COMMENT_COLUMNS if name not in frame.columns]
    if missing:
        raise ValueError(f"comments frame lacks columns: {', '.join(missing)}")
    ids = set(frame["id"])
    if len(ids) != len(frame):
        raise ValueError("comment ids are not unique")
    parents = frame["parent_id"].dropna()
    orphans = set(parents) - ids
    if orphans:
        raise ValueError(f"replies to unknown comments: {sorted(orphans)[:5]}")
