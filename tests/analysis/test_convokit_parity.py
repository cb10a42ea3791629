"""Our hypergraph figures against ConvoKit's own HyperConvo, where the optional extra is installed.

``pip install -e '.[convokit]'`` (it brings torch and spaCy: gigabytes, so CI does not);
without it these tests are skipped. The ConvoKit corpus is built here from the same
comments, each anonymous comment a speaker of its own.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import commentscope
from commentscope.analysis import hypergraph_features

convokit = pytest.importorskip("convokit")

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def convokit_features(comments: pd.DataFrame, first: int) -> dict:
    speakers, utterances = {}, []
    for row in comments.itertuples(index=False):
        who = row.author if isinstance(row.author, str) else f"(anonymous {row.id})"
        utterances.append(
            convokit.Utterance(
                id=row.id,
                speaker=speakers.setdefault(who, convokit.Speaker(id=who)),
                conversation_id="page",
                reply_to=row.parent_id if isinstance(row.parent_id, str) else None,
                timestamp=int(row.timestamp.value // 10**9),
                text="",
            )
        )
    corpus = convokit.Corpus(utterances=utterances)
    return convokit.HyperConvo(prefix_len=first, min_convo_len=1).retrieve_feats(corpus)["page"]


@pytest.mark.parametrize(
    ("sample", "first"), [("deep.txt", 10), ("deep.txt", 6), ("small.txt", 10), ("awkward.txt", 50)]
)
def test_every_figure_agrees_with_hyperconvo(sample: str, first: int) -> None:
    comments = commentscope.load(str(SAMPLES / sample)).comments
    ours = hypergraph_features(comments, sample, first=first)
    theirs = convokit_features(comments, first)
    for key, value in ours.items():
        if key in ("source", "comments_used"):
            continue
        other = theirs[key]
        if value is None:
            assert other is None or math.isnan(other), key
        else:
            assert float(value) == pytest.approx(float(other), abs=1e-4), key
