"""The ConvoKit corpus: loaded by ConvoKit itself where the optional extra is installed, and read back
by commentscope's own ConvoKit reader.

``pip install -e '.[convokit]'`` brings ConvoKit (with torch and spaCy: gigabytes, so CI does not);
without it the ConvoKit tests are skipped and the read-back test still runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import build_export

from commentscope.errors import ExitCode, OutputError
from commentscope.readers import load_threads
from commentscope.writers.convokit import ANONYMOUS_PREFIX, write_convokit

FILES = ["utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json"]


@pytest.fixture
def corpus(export, tmp_path: Path) -> Path:
    paths = write_convokit(export.threads, tmp_path / "corpus")
    assert [path.name for path in paths] == FILES
    return tmp_path / "corpus"


def utterances(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "utterances.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_files_hold_one_conversation_per_thread(export, corpus: Path) -> None:
    records = utterances(corpus)
    assert len(records) == len(export.comments) + len(export.threads)
    conversations = json.loads((corpus / "conversations.json").read_text(encoding="utf-8"))
    assert list(conversations) == [thread.source for thread in export.threads]
    for thread in export.threads:
        meta = conversations[thread.source]["meta"]
        assert (meta["title"], meta["byline"], meta["url"]) == (
            thread.article.title,
            thread.article.byline,
            thread.article.url,
        )
        roots = [r for r in records if r["conversation_id"] == thread.source and r["reply_to"] is None]
        assert [(root["id"], root["meta"]["article"], root["text"]) for root in roots] == [
            (thread.source, True, thread.article.body)
        ]
    speakers = json.loads((corpus / "speakers.json").read_text(encoding="utf-8"))
    anonymous = [record for record in records if speakers[record["speaker"]]["meta"]["anonymous"]]
    anonymous_comments = export.comments["author"].isna().sum()
    no_byline = sum(thread.article.byline is None for thread in export.threads)
    assert len(anonymous) == len({record["speaker"] for record in anonymous}) == anonymous_comments + no_byline
    assert all(record["speaker"] == ANONYMOUS_PREFIX + record["id"] for record in anonymous)


def test_convokit_loads_it(export, corpus: Path) -> None:
    convokit = pytest.importorskip("convokit", reason="ConvoKit is not installed (pip install -e '.[convokit]')")
    loaded = convokit.Corpus(filename=str(corpus))
    comments = export.comments
    assert len(list(loaded.iter_utterances())) == len(comments) + len(export.threads)
    assert sorted(loaded.get_conversation_ids()) == sorted(thread.source for thread in export.threads)
    assert all(conversation.check_integrity(verbose=False) for conversation in loaded.iter_conversations())
    for row in comments.itertuples(index=False):
        utterance = loaded.get_utterance(f"{row.source}#{row.id}")
        parent = row.source if not isinstance(row.parent_id, str) else f"{row.source}#{row.parent_id}"
        assert utterance.reply_to == parent
        assert utterance.text == row.text
        assert utterance.meta["depth"] == row.depth
        if isinstance(row.author, str):
            assert utterance.speaker.id == row.author and utterance.speaker.meta["anonymous"] is False
        else:
            assert utterance.speaker.meta["anonymous"] is True
    named = set(comments["author"].dropna()) | {t.article.byline for t in export.threads if t.article.byline}
    assert {s.id for s in loaded.iter_speakers() if not s.meta["anonymous"]} == named
    thread = export.threads[0]
    assert loaded.get_conversation(thread.source).meta["title"] == thread.article.title


def test_commentscope_reads_its_export_back(export, corpus: Path) -> None:
    """The same pages: sources, ids, parents, depths, authors (anonymous ones too), times and texts."""
    threads = load_threads(str(corpus / "utterances.jsonl"))
    assert [thread.source for thread in threads] == [thread.source for thread in export.threads]
    columns = ["id", "parent_id", "depth", "position", "author", "timestamp", "text", "words"]
    for read, original in zip(threads, export.threads, strict=True):
        pd.testing.assert_frame_equal(read.comments[columns], original.comments[columns])


def test_refuses_to_overwrite_without_force(export, corpus: Path) -> None:
    with pytest.raises(OutputError, match=r"would overwrite .*utterances\.jsonl") as raised:
        write_convokit(export.threads, corpus)
    assert raised.value.exit_code == ExitCode.OUTPUT
    small = build_export(["small.txt"])
    write_convokit(small.threads, corpus, force=True)
    assert len(utterances(corpus)) == len(small.comments) + 1


def test_a_commenter_named_like_an_anonymous_speaker(tmp_path: Path) -> None:
    small = build_export(["small.txt"])
    thread = small.threads[0]
    anonymous = thread.comments["author"].isna()
    first_anonymous = thread.comments.index[anonymous][0]
    taken = f"{ANONYMOUS_PREFIX}{thread.source}#{thread.comments['id'][first_anonymous]}"
    thread.comments.loc[0 if first_anonymous else 1, "author"] = taken
    with pytest.raises(OutputError, match="is taken by a commenter"):
        write_convokit([thread], tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists() or not list((tmp_path / "corpus").iterdir())
