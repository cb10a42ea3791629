"""Many pages at once: folders, globs, a broken page, totals, the check command."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import commentscope
from commentscope.cli import app
from commentscope.model import Article
from commentscope.page_generator import write_page
from commentscope.readers.corpus import PageFailure, Parsed, corpus_comments, load_pages
from commentscope.readers.paths import expand_paths

runner = CliRunner()
ADDITIVE = ("comments", "top_level", "replies", "anonymous", "words_total")


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def _page(index: int) -> str:
    """Page ``index``: index+2 top-level comments by shared and own names, each with one reply."""
    rows = []
    for k in range(index + 2):
        rows.append(
            (0, index + 2 - k, f"Reader {k % 3}", f"2024-01-0{1 + index % 5} 1{k}:00", f"Top {k} of page {index}.")
        )
        rows.append((1, None, None if k % 2 else f"Writer {index}", f"2024-01-0{1 + index % 5} 1{k}:30", "A reply."))
    comments = pd.DataFrame(rows, columns=["depth", "number", "author", "timestamp", "text"])
    comments["timestamp"] = pd.to_datetime(comments["timestamp"])
    comments["number"] = comments["number"].astype("Int64")
    return write_page(Article(source="", title=f"Page {index}", byline="Staff"), comments)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder of five good pages (two in a subfolder), one broken page, and a file that is not a page."""
    root = tmp_path / "site"
    (root / "2024").mkdir(parents=True)
    for index in range(5):
        folder = root / "2024" if index >= 3 else root
        (folder / f"page{index}.txt").write_text(_page(index), encoding="utf-8")
    (root / "broken.txt").write_bytes(b"Title\n\n  1. Ann\n    February 30, 2024 at 10:00\n    Hi.\n")
    (root / "notes.md").write_text("not a page", encoding="utf-8")
    return root


def test_folders_are_read_recursively_and_sorted(site: Path) -> None:
    found = expand_paths([str(site)])
    assert [Path(p).relative_to(site).as_posix() for p in found] == [
        "2024/page3.txt",
        "2024/page4.txt",
        "broken.txt",
        "page0.txt",
        "page1.txt",
        "page2.txt",
    ]
    assert expand_paths([str(site)], "*.md") == [str(site / "notes.md")]
    assert expand_paths([str(site / "page*.txt")]) == [str(site / f"page{i}.txt") for i in range(3)]


def test_stats_over_a_folder_skips_the_broken_page_and_totals_add_up(site: Path) -> None:
    result = invoke("stats", str(site), "-f", "json", "--totals")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Warning: skipped {site}/broken.txt:3: cannot read the date 'February 30, 2024 at 10:00'\n"
    )
    rows = json.loads(result.stdout)
    assert [row["source"] for row in rows[:-1]] == [
        str(site / p) for p in ["2024/page3.txt", "2024/page4.txt", "page0.txt", "page1.txt", "page2.txt"]
    ]
    totals = rows[-1]
    assert totals["source"] == "(all pages)"
    for field in ADDITIVE:
        assert totals[field] == sum(row[field] for row in rows[:-1]), field
    assert totals["comments"] == 2 * (5 + 6 + 2 + 3 + 4)
    assert totals["declared_comments"] == totals["comments"]


def test_strict_makes_the_broken_page_fatal(site: Path) -> None:
    result = invoke("stats", str(site), "--strict", "-f", "json")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == f"Error: {site}/broken.txt:3: cannot read the date 'February 30, 2024 at 10:00'\n"


def test_the_same_results_with_one_process_and_with_several(site: Path) -> None:
    serial = invoke("stats", str(site), "-f", "csv", "-j", "1")
    parallel = invoke("stats", str(site), "-f", "csv", "-j", "2")
    assert serial.stdout == parallel.stdout and serial.stdout.count("\n") == 6  # the header and a row a page


def test_stats_data_has_one_row_per_page_so_sums_add_up(site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(invoke("stats", str(site), "-f", "csv").stdout)))
    assert len(rows) == 5 and "(all pages)" not in [row["source"] for row in rows]
    assert sum(int(row["comments"]) for row in rows) == 2 * (5 + 6 + 2 + 3 + 4)
    assert len(invoke("stats", str(site), "-f", "jsonl").stdout.splitlines()) == 5
    totalled = list(csv.DictReader(io.StringIO(invoke("stats", str(site), "-f", "csv", "--totals").stdout)))
    assert totalled[:5] == rows and totalled[-1]["source"] == "(all pages)"
    assert int(totalled[-1]["comments"]) == 40
    assert invoke("stats", str(site)).stdout.count("(all pages)") == 1  # the table shows it


def test_commenters_across_pages_count_pages(site: Path) -> None:
    rows = json.loads(invoke("commenters", str(site), "-f", "json").stdout)
    readers = {row["author"]: row for row in rows if row["author"] and row["author"].startswith("Reader")}
    # Reader 0 and 1 comment on every good page (each page has at least two top-level comments).
    assert readers["Reader 0"]["pages"] == 5 and readers["Reader 1"]["pages"] == 5
    assert readers["Reader 2"]["pages"] == 4  # page 0 has only two top-level comments
    assert rows[-1]["author"] is None and rows[-1]["anonymous"] is True
    writers = [row for row in rows if row["author"] and row["author"].startswith("Writer")]
    assert all(row["pages"] == 1 for row in writers)


def test_comments_of_several_pages_carry_their_source(site: Path) -> None:
    rows = json.loads(invoke("comments", str(site / "page0.txt"), str(site / "page1.txt"), "-f", "json").stdout)
    assert [row["source"] for row in rows] == [str(site / "page0.txt")] * 4 + [str(site / "page1.txt")] * 6
    assert next(iter(rows[0])) == "source"


def test_timeline_and_network_across_pages(site: Path) -> None:
    timeline = json.loads(invoke("timeline", str(site), "-f", "json", "-q").stdout)
    assert sum(row["comments"] for row in timeline) == 40 and timeline[-1]["cumulative"] == 40
    network = json.loads(invoke("network", str(site), "-f", "json", "-q").stdout)
    assert {"source": "Writer 4", "target": "Reader 0", "replies": 1} in network


def test_no_text_keeps_structure_and_counts(site: Path) -> None:
    with_text = json.loads(invoke("comments", str(site), "-f", "json", "-q").stdout)
    without = json.loads(invoke("comments", str(site), "-f", "json", "-q", "--no-text").stdout)
    assert all("text" not in row for row in without)
    assert without == [{k: v for k, v in row.items() if k != "text"} for row in with_text]
    header = invoke("comments", str(site), "-f", "csv", "-q", "--no-text").stdout.splitlines()[0]
    assert header.split(",")[-1] == "score" and "text" not in header.split(",")
    tree = json.loads(invoke("tree", str(site / "page1.txt"), "-f", "json", "--no-text").stdout)
    nodes, keys = list(tree), set()
    while nodes:
        node = nodes.pop()
        keys |= node.keys()
        nodes.extend(node["replies"])
    assert "text" not in keys and {"id", "author", "replies_count", "replies"} <= keys


def test_no_text_refuses_grep_which_reads_the_texts(site: Path) -> None:
    result = invoke("comments", str(site / "page1.txt"), "--no-text", "--grep", "x")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--grep reads the texts, which --no-text drops; give one" in result.stderr


def test_export_with_no_text_has_no_text_column(site: Path, tmp_path: Path) -> None:
    import sqlite3

    assert invoke("export", str(site / "page1.txt"), "--no-text", "-o", str(tmp_path / "csv"), "-q").exit_code == 0
    header = (tmp_path / "csv" / "comments.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "text" not in header and "words" in header
    database = tmp_path / "site.db"
    assert invoke("export", str(site / "page1.txt"), "--no-text", "-f", "sqlite", "-o", str(database)).exit_code == 0
    db = sqlite3.connect(database)
    try:
        columns = [row[1] for row in db.execute("PRAGMA table_info(comments)")]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        db.close()
    assert "text" not in columns and "words" in columns and "comments_fts" not in tables


def test_export_writes_corpus_reports(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = invoke("export", str(site), "--out", str(out), "-q")
    assert result.exit_code == 1  # the broken page was skipped
    stats = list(csv.DictReader(io.StringIO((out / "stats.csv").read_text(encoding="utf-8"))))
    assert len(stats) == 5 and "(all pages)" not in [row["source"] for row in stats]
    commenters = (out / "commenters.csv").read_text(encoding="utf-8").splitlines()[0]
    assert commenters.endswith(",pages")


def test_progress_bar_is_silent_when_stderr_is_not_a_terminal(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "commentscope", "stats", str(site), "-f", "json"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1
    assert (
        result.stderr.decode()
        == f"Warning: skipped {site}/broken.txt:3: cannot read the date 'February 30, 2024 at 10:00'\n"
    )


SHOW_BAR_AT_ONCE = """
import sys
from commentscope.writers import progress
from commentscope.cli import main
progress.PROGRESS_DELAY_SECONDS = 0
sys.argv = ["commentscope", "stats", sys.argv[1], "-f", "json", "-o", sys.argv[2]]
main()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_shows_on_a_terminal(site: Path, tmp_path: Path) -> None:
    import pty

    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-c", SHOW_BAR_AT_ONCE, str(site), str(tmp_path / "stats.json")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    ) as process:
        os.close(terminal)
        shown = b""
        while chunk := _read_or_nothing(controller):
            shown += chunk
        process.wait(timeout=60)
    os.close(controller)
    assert b"Parsing pages" in shown
    assert len(json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))) == 5


def _read_or_nothing(controller: int) -> bytes:
    """What the terminal shows next; nothing once the program has closed it (Linux raises EIO then)."""
    try:
        return os.read(controller, 4096)
    except OSError:
        return b""


def test_library_corpus_loading_keeps_order_and_reports_failures(site: Path) -> None:
    files = expand_paths([str(site)])
    per_file = list(load_pages(files, jobs=2))
    assert [len(results) for results in per_file] == [1] * len(files)  # a text page holds one thread
    results = [result for results in per_file for result in results]
    assert [r.source if isinstance(r, PageFailure) else r.thread.source for r in results] == files
    failures = [r for r in results if isinstance(r, PageFailure)]
    assert [(f.source, f.exit_code) for f in failures] == [(str(site / "broken.txt"), 4)]
    combined = corpus_comments([r.thread for r in results if isinstance(r, Parsed)])
    assert combined.columns[0] == "source" and len(combined) == 40


def test_check_exit_codes_and_json(samples: Path, tmp_path: Path) -> None:
    clean = invoke("check", str(samples / "deep.txt"), "-f", "json")
    assert clean.exit_code == 0
    report = json.loads(clean.stdout)
    assert report["clean"] is True and report["parsed_comments"] == 10 and report["accounting"]["adds_up"] is True
    messy = tmp_path / "messy.txt"
    messy.write_text(
        "Title\n\n3 comments for “Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n    Hi.\nADVERT\n"
        "  2. Bob\n    February 30, 2020 at 10:00\n    Yo.\n",
        encoding="utf-8",
    )
    result = invoke("check", str(messy), str(samples / "small.txt"), str(tmp_path / "missing.txt"), "-f", "json")
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [r["clean"] for r in reports] == [False, True, False]
    assert reports[0]["unplaced"] == [{"line": 8, "text": "ADVERT"}]
    assert reports[0]["unreadable_dates"] == [{"line": 9, "text": "February 30, 2020 at 10:00"}]
    assert reports[0]["count_matches"] is False
    assert reports[2] == {"source": str(tmp_path / "missing.txt"), "clean": False, "error": "no such file"}
    table = invoke("check", str(messy)).stdout
    assert "unplaced" in table and "ADVERT" in table and "unreadable_date" in table


def test_check_over_every_sample_is_clean(samples: Path, tmp_path: Path) -> None:
    result = invoke("check", *sorted(str(p) for p in samples.glob("*.txt")), "-f", "csv")
    assert result.exit_code == 0, result.stdout
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["kind"] for row in rows] == ["summary"] * 5


def test_load_corpus_from_python(site: Path) -> None:
    corpus = commentscope.load_corpus(site, jobs=1, keep_text=False)
    assert len(corpus.threads) == 5
    assert [(f.source, f.exit_code) for f in corpus.failures] == [(str(site / "broken.txt"), 4)]
    assert corpus.comments.groupby("source").size().to_dict() == {
        str(site / name): size
        for name, size in [
            ("2024/page3.txt", 10),
            ("2024/page4.txt", 12),
            ("page0.txt", 4),
            ("page1.txt", 6),
            ("page2.txt", 8),
        ]
    }
    assert set(corpus.comments["text"]) == {""}


def test_pages_are_summarised_where_they_are_parsed(site: Path) -> None:
    from commentscope.analysis import page_stats, thread_stats

    files = expand_paths([str(site / "page1.txt"), str(site / "page2.txt")])
    for (parsed,) in load_pages(files, jobs=2, summarise=page_stats):
        assert parsed.summary == thread_stats(parsed.thread.comments, parsed.thread.article)
        assert parsed.summary["comments"] == len(parsed.thread.comments)
        assert not hasattr(parsed.thread, "summary")  # derived figures are not stored on the model
    assert next(load_pages(files, jobs=1))[0].summary is None


def test_check_on_the_problem_sample(samples: Path) -> None:
    result = invoke("check", str(samples / "problems" / "messy.txt"), "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["unplaced"] == [{"line": 9, "text": "ADVERTISEMENT"}]
    assert report["replies_before_parent"] == [{"id": "c2.1", "line": 13, "parent_id": "c2"}]
    assert report["count_matches"] is True and report["accounting"]["adds_up"] is True


def test_the_totals_row_is_made_only_where_it_is_shown(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import commentscope.analysis as analysis

    made: list[int] = []
    pooled = analysis.corpus_totals
    monkeypatch.setattr(analysis, "corpus_totals", lambda *args: made.append(1) or pooled(*args))
    pages = [str(site / "page1.txt"), str(site / "page2.txt")]
    assert invoke("stats", *pages, "-f", "json").exit_code == 0 and made == []
    assert invoke("stats", *pages, "-f", "json", "--totals").exit_code == 0 and made == [1]
    assert "(all pages)" in invoke("stats", *pages).stdout and made == [1, 1]
