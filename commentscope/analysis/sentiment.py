"""Sentiment of comment texts with VADER (Hutto and Gilbert 2014): English only, optional.

VADER's lexicon ships inside the ``vaderSentiment`` package, so nothing is downloaded;
it is an extra (``pip install 'commentscope[text]'``) because most analyses need no text.
VADER scores one text at a time in Python, so this is the one measure that costs a
Python call per comment; it runs only when asked for.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from commentscope.analysis._structure import by_people, parent_rows
from commentscope.analysis.threads import root_rows
from commentscope.errors import CommentscopeError, ExitCode, InputError

INSTALL = "pip install 'commentscope[text]'"


class MissingExtra(CommentscopeError):
    """An option needs an optional dependency that is not installed."""

    exit_code = ExitCode.USAGE


def comment_sentiment(comments: pd.DataFrame) -> pd.Series:
    """VADER's compound score of each comment, from -1 (negative) to 1 (positive); NaN where there is no text.

    English only: other languages score near 0, which would read as neutral, so do not use it on them.
    Refuses texts dropped while parsing (``--no-text``) rather than scoring them all as missing.
    """
    texts = comments["text"]
    if ((texts.fillna("") == "") & (comments["words"] > 0)).any():
        raise InputError("sentiment needs the comment texts, which were dropped (leave out --no-text)")
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        raise MissingExtra(f"sentiment needs the vaderSentiment package: {INSTALL}") from None
    score = SentimentIntensityAnalyzer().polarity_scores
    values = [score(text)["compound"] if isinstance(text, str) and text.strip() else np.nan for text in texts]
    return pd.Series(values, index=texts.index, dtype="float64", name="sentiment")


def sentiment_summary(scores: pd.Series) -> dict[str, Any]:
    """Mean and standard deviation (n − 1) of the scored comments; None where too few."""
    scored = scores.dropna()
    return {
        "sentiment_mean": round(float(scored.mean()), 4) if len(scored) else None,
        "sentiment_sd": round(float(scored.std()), 4) if len(scored) > 1 else None,
        "sentiment_scored": len(scored),
    }


def sentiment_by_commenter(comments: pd.DataFrame, scores: pd.Series) -> pd.DataFrame:
    """One row per named commenter: scored comments, mean and standard deviation (anonymous comments,
    pingbacks and trackbacks are nobody)."""
    frame = pd.DataFrame(
        {"author": comments["author"].where(by_people(comments)), "sentiment": scores.to_numpy()}
    ).dropna()
    grouped = frame.groupby("author", sort=True)["sentiment"]
    table = pd.DataFrame({"scored": grouped.size(), "sentiment_mean": grouped.mean(), "sentiment_sd": grouped.std()})
    return table.round(4).reset_index()


def sentiment_by_subthread(comments: pd.DataFrame, scores: pd.Series) -> pd.DataFrame:
    """Mean and standard deviation of the scores in each top-level comment's subthread, in page order."""
    depth = comments["depth"].to_numpy(dtype=np.int64)
    roots = root_rows(depth, parent_rows(comments))
    frame = pd.DataFrame({"root": roots, "sentiment": scores.to_numpy()})
    grouped = frame.groupby("root")["sentiment"]
    top = np.flatnonzero(depth == 0)
    mean, sd = grouped.mean().reindex(top), grouped.std().reindex(top)
    return pd.DataFrame({"sentiment_mean": mean.to_numpy(), "sentiment_sd": sd.to_numpy()}).round(4)
