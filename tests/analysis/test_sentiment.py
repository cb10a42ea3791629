import sys

import numpy as np
import pandas as pd
import pytest

from commentscope.analysis import (
    MissingExtra,
    comment_sentiment,
    sentiment_by_commenter,
    sentiment_by_subthread,
    sentiment_summary,
    subthread_table,
)
from commentscope.errors import ExitCode, InputError

ROWS = [
    ("1", None, "Ann", None, "I love this, wonderful news!"),
    ("1.1", "1", "Bob", None, "This is terrible."),
    ("1.1.1", "1.1", "Ann", None, ""),  # no text: no score
    ("2", None, None, None, "The meeting is on Tuesday."),
    ("2.1", "2", "Bob", None, "Great, thanks."),
]


def test_scores_are_vaders_compound(build):
    pytest.importorskip("vaderSentiment")
    scores = comment_sentiment(build(ROWS))
    assert scores.iloc[0] > 0.5 and scores.iloc[1] < -0.4  # plainly positive, plainly negative
    assert np.isnan(scores.iloc[2]) and scores.iloc[3] == 0.0  # no text; a neutral sentence
    assert scores.between(-1, 1).sum() == 4


def test_aggregates_by_hand(build):
    frame = build(ROWS)
    scores = pd.Series([0.8, -0.4, np.nan, 0.0, 0.6])  # fixed, so the arithmetic is checked by hand
    assert sentiment_summary(scores) == {
        "sentiment_mean": 0.25,  # (0.8 − 0.4 + 0 + 0.6) / 4
        "sentiment_sd": round(float(np.std([0.8, -0.4, 0.0, 0.6], ddof=1)), 4),
        "sentiment_scored": 4,
    }
    people = sentiment_by_commenter(frame, scores).set_index("author")
    assert list(people.index) == ["Ann", "Bob"]  # the anonymous comment is nobody's
    assert (people.loc["Ann", "scored"], people.loc["Ann", "sentiment_mean"]) == (1, 0.8)
    assert np.isnan(people.loc["Ann", "sentiment_sd"])  # one score has no spread
    bob_sd = round(float(np.std([-0.4, 0.6], ddof=1)), 4)
    assert (people.loc["Bob", "scored"], people.loc["Bob", "sentiment_mean"], people.loc["Bob", "sentiment_sd"]) == (
        2, 0.1, bob_sd,
    )  # fmt: skip
    # the anonymous comment 2 counts in its subthread, never for a person
    threads = sentiment_by_subthread(frame, scores)
    assert threads["sentiment_mean"].tolist() == [0.2, 0.3]  # (0.8 − 0.4) / 2; (0 + 0.6) / 2
    table = subthread_table(frame, sort_by="sentiment_mean", sentiment=threads)
    assert table["id"].tolist() == ["2", "1"] and list(table.columns)[-2:] == ["sentiment_mean", "sentiment_sd"]


def test_dropped_texts_are_refused(build):
    frame = build(ROWS).assign(text="")
    with pytest.raises(InputError, match="leave out --no-text"):
        comment_sentiment(frame)


def test_without_the_extra_the_error_names_the_install_command(build, monkeypatch):
    monkeypatch.setitem(sys.modules, "vaderSentiment.vaderSentiment", None)  # import fails as when missing
    with pytest.raises(MissingExtra, match=r"pip install 'commentscope\[text\]'") as caught:
        comment_sentiment(build(ROWS))
    assert caught.value.exit_code == ExitCode.USAGE
