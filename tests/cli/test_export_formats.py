"""Issue 19 through the front door: export -f sqlite|parquet|convokit and network/tree -f graphml|gexf,
each read back by its own client, and exit 2 where a format does not suit a command."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from commentscope.cli import app

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"
DEEP, SMALL, AWKWARD = (str(SAMPLES / name) for name in ("deep.txt", "small.txt", "awkward.txt"))


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_export_sqlite_then_append_gives_one_keyed_database(tmp_path: Path) -> None:
    database = tmp_path / "new" / "site.db"
    done = subprocess.run(
        [sys.executable, "-m", "commentscope", "export", DEEP, SMALL, "-f", "sqlite", "-o", str(database)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", f"wrote {database}\n")
    assert invoke("export", AWKWARD, "-f", "sqlite", "-o", str(database), "--append", "-q").exit_code == 0
    with closing(sqlite3.connect(database)) as db:
        counts = dict(db.execute("SELECT source, count(*) FROM comments GROUP BY source"))
        assert counts == {DEEP: 10, SMALL: 4, AWKWARD: 4}
        assert db.execute("SELECT count(*) FROM threads").fetchone() == (3,)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        commenters = db.execute("SELECT count(*) FROM commenters").fetchone()[0]
    everyone = invoke("commenters", DEEP, SMALL, AWKWARD, "-f", "jsonl").stdout.splitlines()
    assert commenters == len(everyone)  # an append replaces the reports that span pages
    again = invoke("export", AWKWARD, "-f", "sqlite", "-o", str(database), "--append")
    assert again.exit_code == 5 and AWKWARD in again.stderr
    if shutil.which("sqlite3"):
        found = subprocess.run(
            ["sqlite3", str(database), "SELECT count(*) FROM comments_fts WHERE comments_fts MATCH 'ambulance'"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert found.stdout == "2\n"


def test_export_parquet_reads_back_with_pandas(tmp_path: Path) -> None:
    folder = tmp_path / "pq"
    assert invoke("export", DEEP, "-f", "parquet", "-o", str(folder), "-q").exit_code == 0
    assert sorted(path.name for path in folder.iterdir()) == [
        "commenters.parquet",
        "comments.parquet",
        "network.parquet",
        "stats.parquet",
        "threads.parquet",
        "timeline.parquet",
    ]
    comments = pd.read_parquet(folder / "comments.parquet")
    shown = [json.loads(line) for line in invoke("comments", DEEP, "-f", "jsonl").stdout.splitlines()]
    assert comments["id"].tolist() == [row["id"] for row in shown]
    assert str(comments["timestamp"].dtype) == "datetime64[us]"


def test_export_convokit_writes_a_corpus_our_reader_reads_back(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    assert invoke("export", DEEP, SMALL, "-f", "convokit", "-o", str(folder), "-q").exit_code == 0
    assert {"utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json"} <= {
        path.name for path in folder.iterdir()
    }
    stats = json.loads(invoke("stats", str(folder), "-f", "json").stdout)
    assert sum(row["comments"] for row in stats) >= 14


def test_graphs_of_people_and_of_comments_read_back_with_networkx(tmp_path: Path) -> None:
    networkx = pytest.importorskip("networkx")
    people = tmp_path / "people.graphml"
    assert invoke("network", DEEP, "-f", "graphml", "-o", str(people)).exit_code == 0
    graph = networkx.read_graphml(people)
    assert graph.number_of_edges() == 5
    assert [node for node, data in graph.nodes(data=True) if data["anonymous"]] == ["(anonymous)"]
    assert graph["(anonymous)"]["Priya N."]["weight"] == 2
    comments = tmp_path / "tree.gexf"
    assert invoke("tree", DEEP, "-f", "gexf", "-o", str(comments)).exit_code == 0
    tree = networkx.read_gexf(comments)
    assert (tree.number_of_nodes(), tree.number_of_edges()) == (10, 7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stats", DEEP, "-f", "graphml"], "-f graphml does not suit stats; choose from table, json, jsonl, csv, tsv"),
        (["comments", DEEP, "-f", "sqlite"], "-f sqlite does not suit comments"),
        (["export", DEEP, "-f", "gexf", "-o", "x"], "-f gexf does not suit stats"),
        (["export", DEEP, "-f", "csv", "-o", "x", "--append"], "--append adds pages to a database (-f sqlite)"),
        (
            ["export", DEEP, "-f", "sqlite", "-o", "x", "--with-report"],
            "--with-report writes report.html into a folder",
        ),
    ],
)
def test_formats_a_command_cannot_honour_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    done = runner.invoke(app, [arg if arg != "x" else str(tmp_path / "x") for arg in args], env={"COLUMNS": "200"})
    assert done.exit_code == 2, done.output
    assert message in done.stderr
    assert not (tmp_path / "x").exists()
