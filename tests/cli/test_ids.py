"""Ids survive the programs people open the output with: pandas, sqlite3 and spreadsheets."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.readers.ids import spelled_id
from commentscope.readers.records import spelled_ids


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture
def ten_replies(tmp_path: Path) -> Path:
    """Comment 1 with ten replies (1.1 ... 1.10), then comment 3 whose reply makes parent_id hold 3."""
    lines = ["Ten Replies", "", "  1. Ana", "    May 1, 2020 at 10:00", "    Start.", ""]
    for reply in range(10):
        lines += ["    • Bo", f"      May 1, 2020 at 10:{reply + 1:02d}", f"      Reply {reply + 1}.", ""]
    lines += [
        "  3. Cy",
        "    May 2, 2020 at 09:00",
        "    Later.",
        "",
        "    • Di",
        "      May 2, 2020 at 09:30",
        "      Yes.",
        "",
    ]
    page = tmp_path / "ten.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    return page


def test_pandas_reads_the_csv_back_with_every_id_and_parent_link(ten_replies: Path) -> None:
    written = invoke("comments", str(ten_replies), "-f", "csv")
    assert written.exit_code == 0, written.output
    back = pd.read_csv(io.StringIO(written.stdout))
    ids = back["id"].tolist()
    assert ids[:2] == ["c1", "c1.1"] and "c1.10" in ids and "c1.1" in ids and ids[-1] == "c3.1"
    assert back["id"].is_unique
    parents = back["parent_id"].dropna()
    assert parents.map(type).eq(str).all() and set(parents) <= set(ids)
    assert back.set_index("id").loc["c3.1", "parent_id"] == "c3"  # not 3.0
    assert back["path"].tolist() == ids


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 command-line shell")
def test_sqlite3_import_keeps_every_id_and_parent_link(ten_replies: Path, tmp_path: Path) -> None:
    saved = tmp_path / "comments.csv"
    assert invoke("comments", str(ten_replies), "-f", "csv", "-o", str(saved)).exit_code == 0
    database = tmp_path / "c.db"
    assert sqlite3_shell(database, "-cmd", ".mode csv", f".import {saved} comments") == ""
    query = (
        "SELECT count(*), count(DISTINCT id), sum(parent_id <> '' AND parent_id NOT IN (SELECT id FROM comments)) "
        "FROM comments"
    )
    assert sqlite3_shell(database, query) == "13|13|0\n"
    tens = "SELECT id, parent_id FROM comments WHERE id LIKE 'c1.1%' ORDER BY rowid"
    assert sqlite3_shell(database, tens) == "c1.1|c1\nc1.10|c1\n"


def sqlite3_shell(database: Path, *arguments: str) -> str:
    """What the sqlite3 command-line shell prints for ``arguments`` on ``database``."""
    done = subprocess.run(["sqlite3", str(database), *arguments], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_numeric_source_ids_are_spelled_and_their_links_kept(tmp_path: Path) -> None:
    source = tmp_path / "scraped.csv"
    source.write_text("id,parent_id,author,text\n5,,Ana,First\n1.10,5,Bo,Second\n1.1,5,Cy,Third\n", encoding="utf-8")
    back = pd.read_csv(io.StringIO(invoke("comments", str(source), "-f", "csv").stdout))
    assert back[["id", "parent_id"]].astype(object).where(back.notna(), None).values.tolist() == [
        ["c5", None],
        ["c1.10", "c5"],
        ["c1.1", "c5"],
    ]


@pytest.mark.parametrize(
    ("given_id", "spelled"),
    [
        ("16.2.1", "c16.2.1"),
        ("421882", "c421882"),
        ("", "c"),
        ("-x", "c-x"),
        ("NA", "cNA"),
        ("null", "cnull"),
        ("True", "cTrue"),
        ("inf", "cinf"),
        ("SEPT2", "cSEPT2"),
        ("mar-1", "cmar-1"),
        ("t1_abc", "t1_abc"),
        ("UgzA1.r1", "UgzA1.r1"),
        ("e5hm9mp", "e5hm9mp"),
        ("march", "march"),
        ("nancy", "nancy"),
    ],
)
def test_what_would_be_misread_gets_the_prefix(given_id: str, spelled: str) -> None:
    assert spelled_id(given_id) == spelled
    assert spelled_ids(pa.array([given_id], pa.large_string())).to_pylist() == [spelled]


def test_tree_root_takes_an_id_with_or_without_its_prefix(ten_replies: Path) -> None:
    bare = invoke("tree", str(ten_replies), "--root", "3", "-f", "jsonl")
    assert bare.exit_code == 0, bare.output
    assert bare.stdout == invoke("tree", str(ten_replies), "--root", "c3", "-f", "jsonl").stdout
    assert [line.split('"id": "')[1].split('"')[0] for line in bare.stdout.splitlines()] == ["c3", "c3.1"]


@given(st.text(max_size=12))
def test_arrow_and_python_spell_alike(ident: str) -> None:
    assert spelled_ids(pa.array([ident], pa.large_string())).to_pylist() == [spelled_id(ident)]
