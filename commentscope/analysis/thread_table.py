"""One row per Thread: the article's metadata beside its source, for outputs that keep pages apart.

Database and corpus outputs key comments by page; this is the table those keys point at.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from commentscope.model import Thread

#: Column -> (dtype, meaning) of ``thread_table``.
THREAD_SCHEMA: dict[str, tuple[str, str]] = {
    "source": ("str", "the page (or FILE#KEY for one thread of an export); unique"),
    "title": ("str", "the article's headline; null when the page shows none"),
    "url": ("str", "the article's address; null when the page gives none"),
    "byline": ("str", "the article's author line; null when the page shows none"),
    "published": ("datetime64[us]", "when the article was published, as the page gives it; null when it does not"),
    "declared_comments": ("Int64", "the comment count the page states; null when it states none"),
    "comments": ("int64", "comments read from the page"),
    "timezone": ("str", "UTC when the comment times are in UTC; null when they are naive, as the page shows them"),
}


def thread_table(threads: Sequence[Thread]) -> pd.DataFrame:
    """The threads' articles, one row each in the order given (``THREAD_SCHEMA``)."""
    published = [pd.NaT if thread.article.published is None else _naive(thread.article.published) for thread in threads]
    columns = {
        "source": [thread.source for thread in threads],
        "title": [thread.article.title for thread in threads],
        "url": [thread.article.url for thread in threads],
        "byline": [thread.article.byline for thread in threads],
        "published": pd.array(published, dtype="datetime64[us]"),
        "declared_comments": [thread.article.declared_comments for thread in threads],
        "comments": [len(thread.comments) for thread in threads],
        "timezone": [thread.timezone for thread in threads],
    }
    return pd.DataFrame({name: pd.Series(columns[name], dtype=dtype) for name, (dtype, _) in THREAD_SCHEMA.items()})


def _naive(moment: pd.Timestamp) -> pd.Timestamp:
    """A zoned publication time in UTC, naive like every other time in the tables."""
    moment = pd.Timestamp(moment)
    return moment.tz_convert("UTC").tz_localize(None) if moment.tzinfo is not None else moment
