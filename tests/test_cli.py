"""Every command through the front door: CliRunner for each format, real processes for pipes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.model import COMMENT_COLUMNS

runner = CliRunner()
FORMATS = ["table", "json", "jsonl", "csv", "tsv"]
COMMANDS = ["comments", "stats", "tree", "commenters", "timeline", "network", "threads", "hypergraph"]
ALL_COMMANDS = [*COMMANDS, "export", "check"]

DEEP_STATS = {
    "source": None,  # filled in with the path
    "title": "Should Our Town Build the New Bridge?",
    "byline": "Jana Whitfield",
    "declared_comments": 10,
    "comments": 10,
    "top_level": 3,
    "replies": 7,
    "pingbacks": 0,
    "anonymous": 3,
    "commenters": 4,
    "max_depth": 5,
    "mean_depth": 1.7,  # (0+1+2+3+4+5+1+0+1+0) / 10
    "h_index": 2,  # levels 1 and 2 hold 3 comments each, level 3 only 1
    "structural_virality": 3.3818,  # subtree sizes 7,5,4,3,2,1,1,2,1,1 with n=11: 372 / 110
    "largest_subthread": 7,
    "first_comment": "2021-03-03T12:00:00",
    "last_comment": "2021-03-04T08:10:00",
    "span_hours": 20.1667,
    "median_reply_delay_minutes": 35.0,  # delays 22, 25, 28, 35, 88, 460, 655
    "words_total": 117,
    "words_median": 9.0,
    "busiest_day": "2021-03-03",
    "busiest_hour": "2021-03-03 18:00",  # 18:00 and 21:00 on the 3rd both hold two; the earlier wins
    "busiest_hour_comments": 2,
    "busiest_hour_of_day": 18,
    "busiest_hour_of_day_comments": 2,
    "top_commenter": "Priya N.",
    # named comments: Priya 3 (7, 7.1.1, 7.1.1.1.1.1), Tom 2, Gus 1, Jana 1
    "comments_per_commenter": 1.75,  # 7 / 4
    "top2_share": 0.7143,  # (3 + 2) / 7
    "new_commenters_per_hour": 0.8257,  # arrivals 18:02, 18:30, 21:15, 21:40: 3 / (218 / 60)
    "reentry_share": 0.5,  # Priya and Tom
    "median_reentry_minutes": 96.0,  # Priya 21:15 -> 22:02 (47), Tom 21:40 -> 00:05 (145)
    "longest_exchange": 3,  # 7 Priya, 7.1 Tom, 7.1.1 Priya; then an anonymous comment
    "mutual_dyads": 0,  # Priya -> Tom twice, Tom -> Priya once
    "reciprocity": 0.5,
    # delays 22, 25, 28, 35, 88, 460, 655, linear interpolation between order statistics
    "reply_delay_p10_minutes": 23.8,  # 22 + 0.6 * 3
    "reply_delay_p25_minutes": 26.5,
    "reply_delay_p75_minutes": 274.0,
    "reply_delay_p90_minutes": 538.0,  # 460 + 0.4 * 195
    "reply_delay_log10_spread": 1.3542,  # log10(538 / 23.8)
    "median_first_reply_minutes": 26.5,  # 7 -> 7.1 after 25, 6 -> 6.1 after 28
    "replies_within_hour_share": 0.5714,  # 4 of 7
    "replies_within_day_share": 1.0,
    "gini_comments": 0.25,  # counts 1, 1, 2, 3: 2·21 / (4·7) − 5/4
    "top10pct_share": 0.4286,  # the top 1 of 4 (10% rounded up): 3 / 7
    "one_time_share": 0.5,
}


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, env={"COLUMNS": "200"})


def test_version_and_help_list_every_command() -> None:
    assert invoke("--version").stdout == "commentscope 0.1.0\n"
    help_text = invoke("--help").stdout
    for name in ALL_COMMANDS:
        assert name in help_text


@pytest.mark.parametrize("name", ALL_COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    result = invoke(name, "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"commentscope {name}" in readme


def test_comments_json_has_exactly_the_schema_columns(samples: Path) -> None:
    result = invoke("comments", str(samples / "small.txt"), "-f", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [list(row) for row in rows] == [COMMENT_COLUMNS] * 4
    assert rows[2] == {
        "id": "c2",
        "parent_id": None,
        "path": "c2",
        "author_id": None,
        "score": None,
        "depth": 0,
        "position": 2,
        "number": 2,
        "author": None,
        "timestamp": "2022-05-02T14:11:00",
        "text": "Will the café stay open late too?",
        "words": 7,
        "line": 21,
        "kind": "comment",
    }
    assert rows[1]["parent_id"] == "c3" and rows[1]["number"] is None


def test_comments_jsonl_and_csv_carry_the_same_rows(samples: Path) -> None:
    path = str(samples / "deep.txt")
    as_json = json.loads(invoke("comments", path, "-f", "json").stdout)
    as_jsonl = [json.loads(line) for line in invoke("comments", path, "-f", "jsonl").stdout.splitlines()]
    as_csv = list(csv.DictReader(io.StringIO(invoke("comments", path, "-f", "csv").stdout)))
    assert as_jsonl == as_json
    assert [row["id"] for row in as_csv] == [row["id"] for row in as_json]
    assert as_csv[0]["text"] == as_json[0]["text"]
    assert as_csv[3]["author"] == "" and as_json[3]["author"] is None


def test_comments_table_shows_the_title_and_rows(samples: Path) -> None:
    result = invoke("comments", str(samples / "small.txt"))
    assert result.exit_code == 0
    assert "Library Opening Hours Extended" in result.stdout
    assert "Helen Marsh" in result.stdout and "2022-05-02 18:20" in result.stdout


def test_stats_json_matches_the_numbers_worked_out_by_hand(samples: Path) -> None:
    path = str(samples / "deep.txt")
    result = invoke("stats", path, "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {**DEEP_STATS, "source": path}


def test_stats_for_several_files_is_an_array_in_the_given_order(samples: Path) -> None:
    pages = [str(samples / "small.txt"), str(samples / "deep.txt")]
    per_page = json.loads(invoke("stats", *pages, "-f", "json").stdout)
    assert [s["title"] for s in per_page] == ["Library Opening Hours Extended", DEEP_STATS["title"]]
    summaries = json.loads(invoke("stats", *pages, "-f", "json", "--totals").stdout)
    assert summaries[:2] == per_page
    assert [s["title"] for s in summaries] == ["Library Opening Hours Extended", DEEP_STATS["title"], None]
    totals = summaries[-1]
    assert totals["source"] == "(all pages)"
    for field in ("comments", "top_level", "replies", "anonymous", "words_total", "declared_comments"):
        assert totals[field] == summaries[0][field] + summaries[1][field]
    assert totals["commenters"] == 7 and totals["max_depth"] == 5
    assert totals["structural_virality"] == round((1.8 + 3.381818) / 2, 4)
    small = summaries[0]
    assert (small["comments"], small["top_level"], small["anonymous"], small["h_index"]) == (4, 3, 1, 1)
    # star of three under the article plus one reply: sizes 2,1,1,1, n=5 -> (12+8+8+8)/20
    assert small["structural_virality"] == 1.8


def test_stats_table_groups_fields(samples: Path) -> None:
    out = invoke("stats", str(samples / "deep.txt")).stdout
    for heading in ["article", "discussion shape", "people", "time"]:
        assert heading in out
    assert "structural_virality" in out and "3.3818" in out


def test_tree_json_nests_replies(samples: Path) -> None:
    roots = json.loads(invoke("tree", str(samples / "small.txt"), "-f", "json").stdout)
    assert [r["id"] for r in roots] == ["c3", "c2", "c1"]
    assert [child["id"] for child in roots[0]["replies"]] == ["c3.1"]
    assert roots[0]["replies_count"] == 1 and roots[0]["replies"][0]["replies"] == []


def test_tree_root_and_max_depth(samples: Path) -> None:
    path = str(samples / "deep.txt")
    rows = [
        json.loads(line)
        for line in invoke("tree", path, "--root", "c7.1", "--max-depth", "3", "-f", "jsonl").stdout.splitlines()
    ]
    assert [r["id"] for r in rows] == ["c7.1", "c7.1.1", "c7.1.1.1"]
    table = invoke("tree", path, "--root", "c6").stdout
    assert "Gus Okafor" in table and "Jana Whitfield" in table and "Priya" not in table
    missing = invoke("tree", path, "--root", "99")
    assert missing.exit_code == 3 and missing.stderr == "Error: no comment with id 'c99'\n"


def test_tree_table_names_anonymous_comments(samples: Path) -> None:
    out = invoke("tree", str(samples / "deep.txt")).stdout
    assert "7.1.1.1 (anonymous)" in out and "6.1 Jana Whitfield" in out


def test_commenters_rank_people_and_keep_anonymous_apart(samples: Path) -> None:
    rows = json.loads(invoke("commenters", str(samples / "deep.txt"), "-f", "json").stdout)
    assert [(r["author"], r["comments"]) for r in rows] == [
        ("Priya N.", 3),
        ("Tom Baker", 2),
        ("Gus Okafor", 1),
        ("Jana Whitfield", 1),
        (None, 3),
    ]
    assert rows[-1]["anonymous"] is True
    top = json.loads(
        invoke("commenters", str(samples / "deep.txt"), "--top", "1", "--sort", "words", "-f", "json").stdout
    )
    assert [r["author"] for r in top] == ["Priya N.", None]
    bad = invoke("commenters", str(samples / "deep.txt"), "--sort", "nope")
    assert bad.exit_code == 2 and "cannot sort commenters by 'nope'; choose one of: author, comments" in bad.stderr


def test_commenters_every_column_worked_out_by_hand(samples: Path) -> None:
    rows = json.loads(invoke("commenters", str(samples / "deep.txt"), "-f", "json").stdout)
    columns = ["author", "comments", "top_level", "replies_made", "replies_received", "distinct_repliers"]
    columns += ["distinct_partners", "words", "mean_words", "first_seen", "last_seen"]
    assert [[row[c] for c in columns] for row in rows] == [
        # 7, 7.1.1 and 7.1.1.1.1.1; answered by Tom (7.1) and anonymously twice; answers only Tom
        ["Priya N.", 3, 1, 2, 3, 1, 1, 58, 19.33, "2021-03-03T21:15:00", "2021-03-04T07:45:00"],
        # 7.1 and 7.1.1.1.1 (the latter answers an anonymous comment, so no partner)
        ["Tom Baker", 2, 0, 2, 2, 1, 1, 15, 7.5, "2021-03-03T21:40:00", "2021-03-04T00:05:00"],
        ["Gus Okafor", 1, 1, 0, 1, 1, 0, 7, 7.0, "2021-03-03T18:02:00", "2021-03-03T18:02:00"],
        ["Jana Whitfield", 1, 0, 1, 0, 0, 1, 19, 19.0, "2021-03-03T18:30:00", "2021-03-03T18:30:00"],
        # 5, 7.1.1.1 and 7.2: the anonymous row, last and apart
        [None, 3, 1, 2, 1, 1, 1, 18, 6.0, "2021-03-03T12:00:00", "2021-03-04T08:10:00"],
    ]


def test_timeline_includes_empty_periods_and_draws_bars(samples: Path) -> None:
    rows = json.loads(invoke("timeline", str(samples / "deep.txt"), "--freq", "hour", "-f", "json").stdout)
    assert len(rows) == 21  # 12:00 on the 3rd to 08:00 on the 4th
    assert rows[0] == {
        "period": "2021-03-03T12:00:00",
        "comments": 1,
        "top_level": 1,
        "replies": 0,
        "commenters": 0,
        "cumulative": 1,
    }
    assert rows[1]["comments"] == 0 and rows[-1]["cumulative"] == 10
    assert "█" in invoke("timeline", str(samples / "deep.txt")).stdout
    assert invoke("timeline", str(samples / "deep.txt"), "--freq", "fortnight").exit_code == 2  # a usage error


def test_network_rows_and_reciprocity(samples: Path) -> None:
    rows = json.loads(invoke("network", str(samples / "deep.txt"), "-f", "json").stdout)
    assert rows == [
        {"source": "Priya N.", "target": "Tom Baker", "replies": 2},
        {"source": None, "target": "Priya N.", "replies": 2},  # the anonymous comments, as one node
        {"source": "Jana Whitfield", "target": "Gus Okafor", "replies": 1},
        {"source": "Tom Baker", "target": "Priya N.", "replies": 1},
        {"source": "Tom Baker", "target": None, "replies": 1},
    ]
    assert "Reciprocity: 50% of pairs answered both ways" in " ".join(
        invoke("network", str(samples / "deep.txt")).stdout.split()
    )


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_command_in_every_format(samples: Path, name: str, fmt: str, tmp_path: Path) -> None:
    result = invoke(name, str(samples / "deep.txt"), "-f", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    if fmt == "json":
        json.loads(result.stdout)
    elif fmt == "jsonl":
        assert all(json.loads(line) for line in result.stdout.splitlines())
    elif fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        assert len(list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))) >= 2
    written = tmp_path / f"out.{fmt}"
    assert invoke(name, str(samples / "deep.txt"), "-f", fmt, "-o", str(written)).stdout == ""
    if fmt != "table":
        assert written.read_text(encoding="utf-8") == result.stdout


@pytest.fixture(scope="module")
def chain_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reply chain 3,000 deep (27 MB: each level indents two more columns)."""
    lines = ["Chain", ""]
    for depth in range(3000):
        pad = " " * (2 + 2 * depth)
        marker = "1." if depth == 0 else "•"
        lines += [f"{pad}{marker} Person {depth % 7}", f"{pad}  May 1, 2020 at 10:00", f"{pad}  Reply {depth}", ""]
    page = tmp_path_factory.mktemp("chain") / "chain.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    return page


@pytest.mark.parametrize("fmt", FORMATS)
def test_three_thousand_deep_chain_as_a_tree(chain_page: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("tree", str(chain_page), "-f", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output[-300:]
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert text.count('"replies": [') == 3000 and text.endswith("]}" * 3000 + "]\n")
    elif fmt == "table":
        assert text.startswith("Chain\n└── c1 Person 0  2020-05-01 10:00  2 words  1 reply  Reply 0\n")
        assert "└── c1.1.1.1.1.1.1 Person 6" in text
    else:
        assert text.count("Reply 2999") == 1


def test_warning_goes_to_stderr_and_data_stays_clean(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("Title\n\n5 comments for “Title\n\n  1. Ann\n    May 1, 2020 at 10:00\n    Hi.\n", encoding="utf-8")
    result = invoke("comments", str(page), "-f", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 1
    assert result.stderr == f"Warning: {page}:3: page declares 5 comments, parsed 1\n"


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [
        (None, "no such file", 3),
        (b"", "is empty", 3),
        (
            b"\xff\xfe page",
            "not utf-8 text (byte 0xff at offset 0); re-save the page as UTF-8, pass --encoding (e.g. cp1252), "
            "or --encoding-errors replace",
            3,
        ),
        (b"  1. Ann\n    not a date\n", None, 0),
        (
            b"  1. Ann\n    February 30, 2020 at 10:00\n",
            "{path}:1: cannot read the date 'February 30, 2020 at 10:00'",
            4,
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_an_exit_code(
    tmp_path: Path, content: bytes | None, message: str | None, code: int
) -> None:
    path = tmp_path / "page.txt"
    if content is not None:
        path.write_bytes(content)
    result = invoke("stats", str(path), "-f", "json")
    assert result.exit_code == code
    if message is not None:
        expected = message.format(path=path) if message.startswith("{") else f"{path}: {message}"
        assert result.stderr == f"Error: {expected}\n"
        assert result.stdout == ""


def test_a_folder_without_pages_is_refused(tmp_path: Path) -> None:
    result = invoke("comments", str(tmp_path))
    assert result.exit_code == 3
    from commentscope.readers.registry import patterns

    shown = ", ".join(repr(pattern) for pattern in patterns())
    assert "'*.txt'" in shown and "'*.html'" in shown
    assert result.stderr == f"Error: {tmp_path}: no files matching {shown} in this folder\n"


def test_markup_and_control_characters_in_comments_are_shown_literally(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(
        '  1. [bold]Mallory[/bold]\n    May 1, 2020 at 10:00\n    =HYPERLINK("x") \x1b]8;;evil\x07link \x1b[31mred\n',
        encoding="utf-8",
    )
    table = invoke("comments", str(page)).stdout
    assert "[bold]Mallory[/bold]" in table
    assert "\x1b" not in table and "\\x1b]8;;evil\\x07link" in table
    assert json.loads(invoke("comments", str(page), "-f", "json").stdout)[0]["text"].startswith("=HYPERLINK")


def _first_text(csv_text: str, delimiter: str = ",") -> str:
    return next(csv.DictReader(io.StringIO(csv_text), delimiter=delimiter))["text"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_the_formula_guard_is_for_files_and_off_in_pipes(tmp_path: Path, fmt: str) -> None:
    page = tmp_path / "p.txt"
    page.write_text('  1. Mallory\n    May 1, 2020 at 10:00\n    =HYPERLINK("x")\n', encoding="utf-8")
    delimiter = "\t" if fmt == "tsv" else ","
    piped = invoke("comments", str(page), "-f", fmt)
    assert piped.exit_code == 0 and _first_text(piped.stdout, delimiter) == '=HYPERLINK("x")'
    assert _first_text(invoke("comments", str(page), "-f", fmt, "-o", "-").stdout, delimiter) == '=HYPERLINK("x")'
    safe = invoke("comments", str(page), "-f", fmt, "--safe-csv").stdout
    assert _first_text(safe, delimiter) == '\'=HYPERLINK("x")'
    saved = tmp_path / f"out.{fmt}"
    assert invoke("comments", str(page), "-f", fmt, "-o", str(saved)).exit_code == 0
    assert _first_text(saved.read_text(encoding="utf-8"), delimiter) == '\'=HYPERLINK("x")'
    assert invoke("comments", str(page), "-f", fmt, "-o", str(saved), "--raw-csv").exit_code == 0
    assert _first_text(saved.read_text(encoding="utf-8"), delimiter) == '=HYPERLINK("x")'
    both = invoke("comments", str(page), "-f", fmt, "--raw-csv", "--safe-csv")
    assert both.exit_code == 2 and both.stdout == ""
    assert "--raw-csv and --safe-csv contradict each other" in both.stderr


def test_export_guards_its_csv_files_unless_raw(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text('  1. Mallory\n    May 1, 2020 at 10:00\n    =HYPERLINK("x")\n', encoding="utf-8")
    assert invoke("export", str(page), "-o", str(tmp_path / "guarded")).exit_code == 0
    assert _first_text((tmp_path / "guarded" / "comments.csv").read_text(encoding="utf-8")) == '\'=HYPERLINK("x")'
    assert invoke("export", str(page), "-o", str(tmp_path / "raw"), "--raw-csv").exit_code == 0
    assert _first_text((tmp_path / "raw" / "comments.csv").read_text(encoding="utf-8")) == '=HYPERLINK("x")'


def test_export_writes_every_report_and_refuses_to_overwrite(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = invoke("export", str(samples / "deep.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "commenters.csv",
        "comments.csv",
        "network.csv",
        "stats.csv",
        "timeline.csv",
    ]
    stats = list(csv.DictReader(io.StringIO((out / "stats.csv").read_text(encoding="utf-8"))))
    assert stats[0]["structural_virality"] == "3.3818"
    again = invoke("export", str(samples / "deep.txt"), "--out", str(out))
    assert again.exit_code == 5 and "use --force" in again.stderr
    assert invoke("export", str(samples / "deep.txt"), "--out", str(out), "--force").exit_code == 0
    as_json = tmp_path / "json"
    assert invoke("export", str(samples / "deep.txt"), "--out", str(as_json), "--as", "json").exit_code == 0
    assert json.loads((as_json / "stats.json").read_text(encoding="utf-8"))["h_index"] == 2
    assert len(json.loads((as_json / "comments.json").read_text(encoding="utf-8"))) == 10


def test_export_into_a_folder_without_write_permission_leaves_nothing(samples: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("root ignores folder modes; the simulated refusal below covers this run")
        result = invoke("export", str(samples / "deep.txt"), "--out", str(locked))
        assert result.exit_code == 5
        assert result.stderr == f"Error: {locked}/stats.csv: cannot write (Permission denied)\n"
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (PermissionError(13, "Permission denied"), "Permission denied"),
        (OSError(28, "No space left on device"), "No space left on device"),
    ],
)
def test_export_that_fails_midway_leaves_no_report_files(
    samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: OSError, reason: str
) -> None:
    """The fourth report cannot be written (refused, or the disk is full): none of the five appear."""
    real_open = Path.open

    def failing_open(self: Path, *args, **kwargs):
        if "timeline" in self.name:
            raise failure
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    out = tmp_path / "report"
    result = invoke("export", str(samples / "deep.txt"), "--out", str(out))
    assert result.exit_code == 5
    assert result.stderr == f"Error: {out}/timeline.csv: cannot write ({reason})\n"
    assert list(out.iterdir()) == []


# Standard output block-buffered, as for most users (this machine sets PYTHONUNBUFFERED).
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "commentscope", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_standard_input_through_a_real_pipe(samples: Path) -> None:
    result = run("stats", "-", "-f", "json", stdin=(samples / "deep.txt").read_bytes())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {**DEEP_STATS, "source": "<stdin>"}
    assert result.stderr == b""


def test_output_is_whole_though_the_process_ends_without_teardown(samples: Path, tmp_path: Path) -> None:
    page = str(samples / "deep.txt")
    piped = subprocess.run(
        [sys.executable, "-m", "commentscope", "comments", page, "-f", "jsonl"], capture_output=True, env=BUFFERED
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode() == invoke("comments", page, "-f", "jsonl").stdout
    target = tmp_path / "comments.csv"
    written = run("comments", page, "-f", "csv", "-o", str(target))
    assert written.returncode == 0, written.stderr
    assert target.read_text(encoding="utf-8") == invoke("comments", page, "-f", "csv").stdout


def test_the_command_skips_the_interpreters_teardown_but_not_what_is_buffered(samples: Path) -> None:
    code = (
        "import atexit, sys\n"
        "import commentscope.cli as cli\n"
        "atexit.register(print, 'torn down')\n"
        "cli.write = lambda result, *options: sys.stdout.write(f'{result.data[\"comments\"]} comments')\n"
        "sys.argv = ['commentscope', 'stats', sys.argv[1]]\n"
        "cli.main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(samples / "deep.txt")], capture_output=True, env=BUFFERED, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"10 comments"  # written, never flushed by the command
    assert b"torn down" not in done.stdout


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("".join(f"  {n}. Ann\n    May 1, 2020 at 10:00\n\n    Comment {n}.\n\n" for n in range(1, 5001)))
    with subprocess.Popen(
        [sys.executable, "-m", "commentscope", "comments", str(page), "-f", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = json.loads(process.stdout.readline())
        process.stdout.close()  # as `| head -1` does: far more than a pipe holds is still to come
        assert process.wait(timeout=60) == 0
        assert process.stderr.read() == b""
    assert first["text"] == "Comment 1."


def test_no_color_and_no_traceback_in_a_real_process(samples: Path, tmp_path: Path) -> None:
    table = run("comments", str(samples / "small.txt"), env={"NO_COLOR": "1", "FORCE_COLOR": "", "TERM": "xterm"})
    assert b"\x1b[" not in table.stdout
    missing = run("stats", str(tmp_path / "none.txt"))
    assert missing.returncode == 3
    assert missing.stderr.decode() == f"Error: {tmp_path / 'none.txt'}: no such file\n"
    assert b"Traceback" not in missing.stderr


def test_an_empty_result_still_has_its_header_and_an_empty_array(samples: Path) -> None:
    page = str(samples / "no_comments.txt")
    assert invoke("comments", page, "-f", "csv").stdout == ",".join(COMMENT_COLUMNS) + "\n"
    assert invoke("network", page, "-f", "csv").stdout == "source,target,replies\n"
    assert invoke("comments", page, "-f", "json").stdout == "[]\n"
    assert invoke("comments", page, "-f", "jsonl").stdout == ""
    assert "replies" in invoke("network", page).stdout


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_disk_on_stdout_is_an_output_error_not_a_crash(samples: Path, fmt: str) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "commentscope", "comments", str(samples / "deep.txt"), "-f", fmt],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            env={**os.environ, "COLUMNS": "200"},
        )
    assert done.returncode == 5
    assert done.stderr.decode() == "Error: <stdout>: cannot write (No space left on device)\n"


def test_a_closed_stdout_ends_the_command_quietly(samples: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "commentscope", "comments", str(samples / "deep.txt"), "-f", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        preexec_fn=lambda: os.close(1),  # as the shell's >&- does
    )
    assert (done.returncode, done.stderr) == (0, b"")


def test_from_forces_a_registered_reader_and_refuses_an_unknown_one(samples: Path) -> None:
    forced = invoke("stats", str(samples / "deep.txt"), "--from", "text", "-f", "json")
    assert forced.exit_code == 0
    assert json.loads(forced.stdout)["comments"] == 10
    unknown = invoke("stats", str(samples / "deep.txt"), "--from", "nope")
    assert unknown.exit_code == 2
    assert re.search(r"'nope' is not a format; choose from [a-z, ]*\btext\b", unknown.stderr)
