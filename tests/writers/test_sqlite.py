"""The SQLite database: read back with Python's sqlite3 and with the real sqlite3 command-line client."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
from conftest import build_export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentscope.errors import ExitCode, OutputError
from commentscope.writers.sqlite import database_comments, write_database

CLIENT = shutil.which("sqlite3")


def query(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def client(path: Path, *sql: str) -> str:
    """The sqlite3 command-line client's output, one statement after another."""
    if CLIENT is None:
        pytest.skip("the sqlite3 command-line client is not installed (apt-get install sqlite3)")
    done = subprocess.run([CLIENT, "-bail", str(path), *sql], capture_output=True, text=True, check=True)
    assert done.stderr == ""
    return done.stdout


@pytest.fixture
def database(export, tmp_path: Path) -> Path:
    return write_database(export.reports, export.table, tmp_path / "site.db")


def test_comments_come_back_identical(export, database: Path) -> None:
    pd.testing.assert_frame_equal(database_comments(database), export.comments)


def test_columns_are_typed_and_keyed(database: Path) -> None:
    info = {row[1]: (row[2], row[3], row[5]) for row in query(database, "PRAGMA table_info(comments)")}
    assert info == {
        "source": ("TEXT", 1, 1),
        "id": ("TEXT", 1, 2),
        "parent_id": ("TEXT", 0, 0),
        "depth": ("INTEGER", 0, 0),
        "position": ("INTEGER", 0, 0),
        "number": ("INTEGER", 0, 0),
        "author": ("TEXT", 0, 0),
        "timestamp": ("TEXT", 0, 0),
        "text": ("TEXT", 0, 0),
        "words": ("INTEGER", 0, 0),
        "line": ("INTEGER", 0, 0),
        "kind": ("TEXT", 0, 0),
        "path": ("TEXT", 0, 0),
        "author_id": ("TEXT", 0, 0),
        "score": ("INTEGER", 0, 0),
    }
    threads = {row[1]: (row[2], row[5]) for row in query(database, "PRAGMA table_info(threads)")}
    assert threads["source"] == ("TEXT", 1)
    assert threads["declared_comments"] == ("INTEGER", 0)
    assert threads["published"] == ("TEXT", 0)
    stats = {row[1]: row[2] for row in query(database, "PRAGMA table_info(stats)")}
    assert (stats["declared_comments"], stats["mean_depth"], stats["first_comment"]) == ("INTEGER", "REAL", "TEXT")
    assert {row[1]: row[2] for row in query(database, "PRAGMA table_info(commenters)")}["anonymous"] == "INTEGER"
    keys = query(database, "PRAGMA foreign_key_list(comments)")
    assert sorted((row[2], row[3], row[4]) for row in keys) == [
        ("comments", "parent_id", "id"),
        ("comments", "source", "source"),
        ("threads", "source", "source"),
    ]
    indexes = {row[0]: row[1] for row in query(database, "SELECT name, sql FROM sqlite_master WHERE type = 'index'")}
    assert "comments_author" in indexes and "comments_timestamp" in indexes and "comments_parent" in indexes


def test_values_are_null_typed_and_iso(export, database: Path) -> None:
    rows = query(
        database,
        "SELECT author, typeof(author), timestamp, typeof(depth), typeof(number) FROM comments "
        "WHERE source LIKE '%awkward.txt' AND author IS NULL",
    )
    anonymous = export.comments[
        export.comments["source"].str.endswith("awkward.txt") & export.comments["author"].isna()
    ]
    assert len(rows) == len(anonymous) > 0
    assert {row[:2] for row in rows} == {(None, "null")}
    assert all(row[3] == "integer" for row in rows)
    first = anonymous["timestamp"].iloc[0]
    assert rows[0][2] == first.strftime("%Y-%m-%dT%H:%M:%S")
    assert query(database, "SELECT count(*) FROM stats") == [(len(export.threads),)]  # the totals row is SQL's job
    assert query(database, "SELECT timezone FROM threads WHERE source LIKE '%wordpress.xml#12'") == [("UTC",)]


def test_a_join_and_a_full_text_query(export, database: Path) -> None:
    comments = export.comments
    titles = {thread.source: thread.article.title for thread in export.threads}
    matching = comments[comments["text"].str.contains(r"\bsaturday\b", case=False)]
    expected = sorted(
        (titles[source], author) for source, author in matching[["source", "author"]].itertuples(index=False)
    )
    found = query(
        database,
        "SELECT t.title, c.author FROM comments_fts f JOIN comments c ON c.rowid = f.rowid "
        "JOIN threads t USING (source) WHERE comments_fts MATCH 'Saturday' ORDER BY 1, 2",
    )
    assert found == expected and found
    replies = query(
        database,
        "SELECT r.author, p.author FROM comments r JOIN comments p ON p.source = r.source AND p.id = r.parent_id "
        "WHERE r.author IS NOT NULL AND p.author IS NOT NULL",
    )
    pairs = pd.DataFrame(replies, columns=["source", "target"]).value_counts().rename("replies")
    network = export.reports["network"].dropna(subset=["source", "target"])  # named pairs, as the join has them
    network = network.set_index(["source", "target"])["replies"]
    assert pairs.sort_index().to_dict() == network.sort_index().to_dict()


def test_the_real_client_finds_it_sound(export, database: Path) -> None:
    out = client(
        database,
        "PRAGMA foreign_keys = ON",
        "PRAGMA foreign_key_check",
        "PRAGMA integrity_check",
        "SELECT name, type FROM pragma_table_info('comments') WHERE name IN ('depth', 'timestamp') ORDER BY name",
        "SELECT count(*) FROM comments_fts WHERE comments_fts MATCH 'saturday'",
        "SELECT count(*) FROM comments JOIN threads USING (source)",
    )
    saturday = export.comments["text"].str.contains(r"\bsaturday\b", case=False).sum()
    assert out.splitlines() == ["ok", "depth|INTEGER", "timestamp|TEXT", str(saturday), str(len(export.comments))]


def test_full_text_index_follows_changes(database: Path) -> None:
    with closing(sqlite3.connect(database)) as db:
        db.execute("UPDATE comments SET text = 'zebra crossing' WHERE rowid = 1")
        db.commit()
    assert query(database, "SELECT rowid FROM comments_fts WHERE comments_fts MATCH 'zebra'") == [(1,)]
    assert query(database, "INSERT INTO comments_fts (comments_fts) VALUES ('integrity-check')") == []


def test_one_page_gets_its_source(tmp_path: Path) -> None:
    export = build_export(["small.txt"])
    assert "source" not in export.comments
    path = write_database(export.reports, export.table, tmp_path / "one.db")
    assert query(path, "SELECT DISTINCT source FROM comments") == [(export.threads[0].source,)]
    assert query(path, "SELECT count(*) FROM stats") == [(1,)]


def test_an_existing_file_is_refused_then_replaced_with_force(export, database: Path) -> None:
    with pytest.raises(OutputError, match=r"already exists \(use --force") as raised:
        write_database(export.reports, export.table, database)
    assert raised.value.exit_code == ExitCode.OUTPUT
    small = build_export(["small.txt"])
    write_database(small.reports, small.table, database, force=True)
    assert query(database, "SELECT count(*) FROM comments") == [(len(small.comments),)]
    assert not list(database.parent.glob(".*.tmp"))


def test_a_failed_build_leaves_nothing(export, tmp_path: Path) -> None:
    threads = export.table.iloc[1:]  # a page's comments with no thread row: a broken key
    with pytest.raises(OutputError, match="points at no row of threads"):
        write_database(export.reports, threads, tmp_path / "broken.db")
    assert list(tmp_path.iterdir()) == []


def test_append_adds_pages_and_refuses_those_present(tmp_path: Path) -> None:
    first, second = build_export(["small.txt", "deep.txt"]), build_export(["awkward.txt"])
    both = build_export(["small.txt", "deep.txt", "awkward.txt"])
    path = write_database(first.reports, first.table, tmp_path / "site.db")
    reports = {**second.reports, **{name: both.reports[name] for name in ("commenters", "timeline", "network")}}
    write_database(reports, second.table, path, append=True)
    pd.testing.assert_frame_equal(database_comments(path), both.comments)
    assert query(path, "SELECT count(*) FROM threads") == [(3,)]
    assert query(path, "SELECT count(*) FROM stats") == [(3,)]
    assert query(path, "SELECT count(*) FROM commenters") == [(len(both.reports["commenters"]),)]
    assert query(path, "SELECT count(*) FROM comments_fts WHERE comments_fts MATCH 'ferry'") == [
        (int(both.comments["text"].str.contains(r"\bferry\b", case=False).sum()),)
    ]
    assert query(path, "PRAGMA foreign_key_check") == [] and query(path, "PRAGMA integrity_check") == [("ok",)]
    before = path.read_bytes()
    with pytest.raises(OutputError, match=r"already holds 1 of these pages: .*awkward\.txt"):
        write_database(reports, second.table, path, append=True)
    assert path.read_bytes() == before


def test_append_to_what_is_not_such_a_database(export, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(OutputError, match="is not a commentscope database"):
        write_database(export.reports, export.table, other, append=True)
    with pytest.raises(OutputError, match="choose one"):
        write_database(export.reports, export.table, other, append=True, force=True)


def test_append_to_a_missing_file_creates_it(export, tmp_path: Path) -> None:
    path = write_database(export.reports, export.table, tmp_path / "new.db", append=True)
    assert query(path, "SELECT count(*) FROM comments") == [(len(export.comments),)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.text(), min_size=4, max_size=4),
    authors=st.lists(st.none() | st.text(min_size=1), min_size=4, max_size=4),
)
def test_any_text_and_author_round_trip(texts: list[str], authors: list[str | None], tmp_path_factory) -> None:
    small = build_export(["small.txt"])
    comments = small.comments
    comments["text"] = pd.array(texts, dtype="str")
    comments["author"] = pd.array(authors, dtype="str")
    path = write_database(small.reports, small.table, tmp_path_factory.mktemp("db") / "site.db")
    back = database_comments(path).drop(columns="source")
    pd.testing.assert_frame_equal(back, comments)
