"""A ConvoKit corpus named as a folder: its utterances are the comments, its other files part of it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.readers.convokit import corpus_companions

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "formats" / "convokit" / "utterances.jsonl"
COMPANIONS = {
    "corpus.json": {"name": "book-club"},
    "conversations.json": {"u1": {"meta": {}}, "u4": {"meta": {}}},
    "speakers.json": {"mira": {"meta": {}}, "tobias": {"meta": {}}, "hollis": {"meta": {}}},
    "index.json": {"utterances-index": {}, "version": 1},
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "book-club"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "utterances.jsonl")
    for name, value in COMPANIONS.items():
        (folder / name).write_text(json.dumps(value), encoding="utf-8")
    return folder


def test_a_corpus_folder_reads_its_utterances_and_nothing_else(corpus: Path) -> None:
    result = CliRunner().invoke(app, ["stats", str(corpus), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = json.loads(result.stdout)
    utterances = str(corpus / "utterances.jsonl")
    assert [row["source"] for row in rows] == [f"{utterances}#u1", f"{utterances}#u4"]
    assert [row["comments"] for row in rows] == [3, 2]


def test_the_folder_through_a_real_process(corpus: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "commentscope", "comments", str(corpus), "-f", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert len(done.stdout.strip().splitlines()) == 1 + 5


def test_a_companion_named_alone_is_still_an_input(corpus: Path) -> None:
    result = CliRunner().invoke(app, ["stats", str(corpus / "speakers.json"), "-f", "json"])
    assert result.exit_code != 0
    assert "speakers.json" in result.stderr


def test_companions_count_only_beside_their_utterances() -> None:
    paths = ["a/utterances.jsonl", "a/speakers.json", "a/index.json", "b/speakers.json", "a/notes.json"]
    assert corpus_companions(paths) == {"a/speakers.json", "a/index.json"}
