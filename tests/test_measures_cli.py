"""The threads and hypergraph commands through the front door, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.analysis import SUBTHREAD_SCHEMA
from commentscope.cli import app

runner = CliRunner()

# deep.txt by hand: 7 (Priya) holds 7.1 Tom 21:40, 7.1.1 Priya, 7.1.1.1 anonymous, 7.1.1.1.1 Tom,
# 7.1.1.1.1.1 Priya and 7.2 anonymous 08:10 next day; 6 (Gus 18:02) holds 6.1 Jana 18:30; 5 is alone.
DEEP_THREADS = [
    # tree of m = 7 under 7, non-root sizes 5,4,3,2,1,1: 2·s·(7−s) = 20+24+24+20+12+12 = 112, over 42
    {"id": "c7", "author": "Priya N.", "size": 7, "depth": 5, "width": 2, "participants": 2,
     "first_reply_minutes": 25.0, "duration_hours": 10.5, "share": 0.7, "structural_virality": 2.6667,
     "h_index": 1},
    {"id": "c6", "author": "Gus Okafor", "size": 2, "depth": 1, "width": 1, "participants": 2,
     "first_reply_minutes": 28.0, "duration_hours": 0.0, "share": 0.2, "structural_virality": 1.0, "h_index": 1},
    {"id": "c5", "author": None, "size": 1, "depth": 0, "width": 1, "participants": 0,
     "first_reply_minutes": None, "duration_hours": None, "share": 0.1, "structural_virality": None, "h_index": 0},
]  # fmt: skip


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_json_is_worked_out_by_hand(samples: Path) -> None:
    result = invoke("threads", str(samples / "deep.txt"), "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == DEEP_THREADS
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_every_format_carries_the_same_rows(fmt: str, samples: Path) -> None:
    result = invoke("threads", str(samples / "deep.txt"), "-f", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        assert [json.loads(line) for line in result.stdout.splitlines()] == DEEP_THREADS
    elif fmt == "csv":
        table = list(csv.DictReader(io.StringIO(result.stdout)))
        assert list(table[0]) == list(SUBTHREAD_SCHEMA)
        assert [row["size"] for row in table] == ["7", "2", "1"] and table[2]["author"] == ""
    else:
        assert "Should Our Town Build the New Bridge?" in result.stdout
        assert "(anonymous)" in result.stdout and "2.6667" in result.stdout


def test_sort_and_limit(samples: Path) -> None:
    result = invoke("threads", str(samples / "deep.txt"), "--sort", "first_reply_minutes", "--limit", "2", "-f", "json")
    assert [row["id"] for row in json.loads(result.stdout)] == ["c6", "c7"]  # 28 before 25 minutes: largest first
    bad = invoke("threads", str(samples / "deep.txt"), "--sort", "nope")
    assert bad.exit_code == 3 and "cannot sort subthreads by 'nope'" in bad.stderr


def test_several_pages_have_a_source_column(samples: Path) -> None:
    result = invoke("threads", str(samples / "small.txt"), str(samples / "deep.txt"), "-f", "json")
    rows = json.loads(result.stdout)
    assert [(row["source"].rsplit("/", 1)[-1], row["id"]) for row in rows] == [
        ("small.txt", "c3"), ("small.txt", "c2"), ("small.txt", "c1"), ("deep.txt", "c7"), ("deep.txt", "c6"),
        ("deep.txt", "c5"),
    ]  # fmt: skip
    assert rows[0]["share"] == 0.5  # of small.txt's 4 comments, not of all 14


@pytest.mark.parametrize(("name", "option"), [("threads", "--sort"), ("hypergraph", "--first")])
def test_help_and_readme(name: str, option: str) -> None:
    assert option in invoke(name, "--help").stdout
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"### commentscope {name}" in readme


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_hypergraph_in_every_format(fmt: str, samples: Path) -> None:
    result = invoke("hypergraph", str(samples / "deep.txt"), "--first", "8", "-f", fmt)
    assert result.exit_code == 0, result.output
    if fmt in ("json", "jsonl"):
        features = json.loads(result.stdout)
        assert (features["comments_used"], features["count[external reciprocity motif]"]) == (8, 2)
    elif fmt == "csv":
        (row,) = csv.DictReader(io.StringIO(result.stdout))
        assert row["count[reciprocity motif]"] == "1" and row["entropy[indegree over C->C responses]"]
    else:
        assert "count[dyadic interaction motif]" in result.stdout and "indegree over c->c responses" in result.stdout


def test_hypergraph_of_several_pages_is_an_array(samples: Path) -> None:
    result = invoke("hypergraph", str(samples / "small.txt"), str(samples / "deep.txt"), "-f", "json")
    assert [page["comments_used"] for page in json.loads(result.stdout)] == [4, 10]
    assert invoke("hypergraph", str(samples / "deep.txt"), "--first", "-1").exit_code == 2


def test_sentiment_flags(samples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("vaderSentiment")
    page = str(samples / "deep.txt")
    scores = [row["sentiment"] for row in json.loads(invoke("comments", page, "--sentiment", "-f", "json").stdout)]
    assert len(scores) == 10 and all(-1 <= score <= 1 for score in scores)
    stats = json.loads(invoke("stats", page, "--sentiment", "-f", "json").stdout)
    assert stats["sentiment_scored"] == 10 and stats["sentiment_mean"] == round(sum(scores) / 10, 4)
    assert "sentiment_mean" in invoke("stats", page, "--sentiment").stdout
    threads = json.loads(invoke("threads", page, "--sentiment", "-f", "json").stdout)
    assert threads[2]["sentiment_mean"] == scores[-1] and threads[2]["sentiment_sd"] is None  # 5 alone
    several = json.loads(
        invoke("stats", page, str(samples / "small.txt"), "--sentiment", "-f", "json", "--totals").stdout
    )
    assert [row["sentiment_scored"] for row in several] == [10, 4, 14]
    people = json.loads(invoke("commenters", page, "--sentiment", "-f", "json").stdout)
    priya = [scores[k] for k in (0, 2, 5)]  # 7, 7.1.1 and 7.1.1.1.1.1 in page order
    assert people[0]["author"] == "Priya N." and people[0]["sentiment_mean"] == round(sum(priya) / 3, 4)
    assert people[-1]["anonymous"] and people[-1]["sentiment_mean"] is None
    dropped = invoke("stats", page, "--sentiment", "--no-text")
    assert dropped.exit_code == 3 and "leave out --no-text" in dropped.stderr


def test_sentiment_without_the_extra(samples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "vaderSentiment.vaderSentiment", None)
    result = invoke("stats", str(samples / "deep.txt"), "--sentiment")
    assert result.exit_code == 2
    assert result.stderr == "Error: sentiment needs the vaderSentiment package: pip install 'commentscope[text]'\n"
