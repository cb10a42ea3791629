"""The Thread: article metadata plus one row per comment, with a schema written down once.

Every reader in ``readers/`` produces a Thread and every function in ``analysis/``
consumes ``Thread.comments``; the schema below is the contract between them.
"""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: Column name -> (dtype, meaning). The order is the column order of ``Thread.comments``.
COMMENT_SCHEMA: dict[str, tuple[str, str]] = {
    "id": ("str", "the source's own id of the comment when it has one (an export's, an API's), else the path id"),
    "parent_id": ("str", "id of the comment replied to; null for a top-level comment"),
    "path": (
        "str",
        "path id, always present: the site's number (else the page position) at top level, "
        "then parent.k for the k-th reply, as in 16.2.1",
    ),
    "depth": ("int64", "0 for a top-level comment, parent's depth + 1 for a reply"),
    "position": ("int64", "0-based order in the page (depth first, replies after what they answer)"),
    "number": ("Int64", "the site's number of a top-level comment; null for replies and where the site shows none"),
    "author": ("str", "commenter's name; null when the source shows none (anonymous)"),
    "author_id": ("str", "the source's id of the commenter (a user or channel id); null where it has none"),
    "timestamp": (
        "datetime64[us]",
        "when it was posted: naive as the page shows it, or UTC where Thread.timezone says so",
    ),
    "text": ("str", "the body; paragraphs joined by one blank line"),
    "words": ("int64", "number of whitespace-separated words in text"),
    "line": (
        "int64",
        "provenance: where in the source the comment came from, as a 1-based number: the line of its "
        "marker in a text page, the line of its element in XML or HTML, the line of its record in "
        "JSON Lines or CSV, or the record's 1-based index in a nested JSON file",
    ),
    "kind": ("str", "comment, pingback, trackback, or deleted (removed, kept in its place with its replies)"),
    "score": ("Int64", "the source's score or like count; null where it has none"),
}

COMMENT_COLUMNS: list[str] = list(COMMENT_SCHEMA)


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
class Diagnostics:
    """A reader's own accounting of its input, reported as it is by ``check`` and read by no
    analysis: what each unit of the input (a text page's lines, a data file's records, an HTML
    page's blocks) was read as, or why it was left out. Whatever a source held that is not a
    comment in the frame shows up here, so nothing is dropped unseen.
    """

    #: what is counted: "lines", "records", "blocks"
    unit: str = "lines"
    #: units per category ("body", "footer", "read", "spam"...), as the reader names them
    counts: Counter[str] = field(default_factory=Counter)
    #: the units the input holds, when the reader knows: then ``counts`` must add up to it
    total: int | None = None
    #: categories of units a user or the source left out on purpose (spam, trash): information, not a fault
    left_out: frozenset[str] = frozenset()

    @property
    def accounted(self) -> int:
        return sum(self.counts.values())

    @property
    def adds_up(self) -> bool | None:
        """Whether every unit was accounted for; None when the total is not known."""
        return None if self.total is None else self.accounted == self.total


@dataclass(frozen=True, eq=False)
class Stack:
    """The threads of one input as the one frame their comments are slices of, in order, as the
    reader built them: the figures of a file of thousands of threads are computed in one pass
    over it rather than over a copy stacked again. It stands for the threads while each still
    holds the frame it was given, unchanged (``holds``), and it is not sent along with them (a
    pickled Thread arrives without it): their own frames travel anyway."""

    comments: pd.DataFrame
    parts: tuple[pd.DataFrame, ...]
    _as_built: tuple[tuple[Any, ...] | None, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_as_built", tuple(map(_held_values, self.parts)))

    def holds(self, threads: list[Thread]) -> bool:
        """Whether ``threads`` are this stack's, in order, each frame as it was built: a frame
        changed in place (a column set, rows dropped, columns renamed) holds other values or
        other names than the stack, which then stands for it no longer."""
        return len(threads) == len(self.parts) and all(
            thread.comments is part and _unchanged(_held_values(part), built)
            for thread, part, built in zip(threads, self.parts, self._as_built, strict=True)
        )

    def __reduce__(self) -> tuple[type[None], tuple[()]]:
        return type(None), ()


def _held_values(frame: pd.DataFrame) -> tuple[Any, ...] | None:
    """What a frame holds its values and names in: pandas makes new ones whenever the frame is
    changed in place (copy on write). None where pandas keeps them otherwise: then no stack holds."""
    manager = getattr(frame, "_mgr", None)
    blocks = getattr(manager, "blocks", None)
    return None if blocks is None else (frame.columns, manager, *blocks)


def _unchanged(now: tuple[Any, ...] | None, built: tuple[Any, ...] | None) -> bool:
    return now is not None and built is not None and len(now) == len(built) and all(map(operator.is_, now, built))


@dataclass
class Thread:
    """An article and its comments, as one page shows them."""

    article: Article
    comments: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    #: "UTC" when the reader had machine-readable times and ``timestamp`` is in UTC; None when naive
    timezone: str | None = None
    #: the frame this thread's comments are a slice of, with the other threads read with it
    stack: Stack | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> str:
        return self.article.source


def empty_comments() -> pd.DataFrame:
    """A comments frame with no rows and the right dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, (dtype, _) in COMMENT_SCHEMA.items()})


def stacked_comments(threads: list[Thread]) -> pd.DataFrame:
    """The threads' comments in one frame: the reader's own stack where they are its threads in
    order (no copy), else a concatenation (their texts are not copied)."""
    if not threads:
        return empty_comments()
    stack = threads[0].stack
    if stack is not None and stack.holds(threads):
        return stack.comments
    return pd.concat([thread.comments for thread in threads], ignore_index=True)


def validate_comments(frame: pd.DataFrame) -> None:
    """Fail loudly when a reader breaks the schema, rather than later in analysis: every column,
    unique ids, parents that exist, and no cycles (each parent one level above its reply, which no
    circle of replies can be)."""
    missing = [name for name in COMMENT_COLUMNS if name not in frame.columns]
    if missing:
        raise ValueError(f"comments frame lacks columns: {', '.join(missing)}")
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pa.array(frame["id"].array, type=pa.large_string())
    if pc.count_distinct(ids, mode="all").as_py() != len(ids):
        raise ValueError("comment ids are not unique")
    if frame["path"].isna().any():
        raise ValueError("a comment has no path id")
    parents = pa.array(frame["parent_id"].array, type=pa.large_string())
    replies = pc.is_valid(parents).to_numpy(zero_copy_only=False)
    found = pc.index_in(parents, value_set=ids).to_numpy(zero_copy_only=False)
    if (np.isnan(found[replies]) if found.dtype.kind == "f" else np.zeros(0, dtype=bool)).any():
        orphans = parents.filter(pa.array(replies & np.isnan(found))).to_pylist()
        raise ValueError(f"replies to unknown comments: {sorted(set(orphans))[:5]}")
    depth = frame["depth"].to_numpy()
    above = found[replies].astype(np.int64)
    if (depth[~replies] != 0).any() or (depth[replies] != depth[above] + 1).any():
        raise ValueError("a reply's depth is not its parent's depth + 1 (a cycle, or depths made wrongly)")
