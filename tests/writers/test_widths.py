"""Every command's table at 80, 120 and 200 columns: it fits, headers keep their words, nothing
is cut off without the one line that says so, and only free text wraps."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.writers.table import FREE_TEXT_COLUMNS, pages_table

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = [80, 120, 200]
NOTE = "Note: "

# (arguments, columns the table is made of, in order): the tables of every command.
TABLES = {
    "comments": (
        ["comments", "samples/deep.txt"],
        ["id", "parent_id", "depth", "author", "timestamp", "words", "text"],
    ),
    "comments of pages": (
        ["comments", "samples/deep.txt", "samples/small.txt"],
        ["source", "id", "parent_id", "depth", "author", "timestamp", "words", "text"],
    ),
    "commenters": (
        ["commenters", "samples/deep.txt"],
        [
            "author",
            "comments",
            "replies_made",
            "replies_received",
            "distinct_repliers",
            "distinct_partners",
            "words",
            "first_seen",
            "last_seen",
        ],
    ),
    "threads": (
        ["threads", "samples/deep.txt"],
        [
            "id",
            "author",
            "size",
            "depth",
            "width",
            "participants",
            "first_reply_minutes",
            "duration_hours",
            "share",
            "structural_virality",
            "h_index",
        ],
    ),
    "timeline": (
        ["timeline", "samples/deep.txt", "--freq", "hour"],
        ["period", "comments", "top_level", "replies", "commenters", "cumulative"],
    ),
    "network": (["network", "samples/deep.txt"], ["source", "target", "replies"]),
    "check": (["check", "samples/problems/messy.txt"], ["source", "kind", "line", "detail"]),
}


def _invoke(args: list[str], width: int) -> tuple[list[str], list[str]]:
    result = CliRunner().invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.output
    return result.stdout.splitlines(), result.stderr.splitlines()


def _parse(lines: list[str]) -> tuple[list[str], list[list[list[str]]]]:
    """A drawn table's headers (words joined by spaces) and its body lines, as cell texts."""
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    rule = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    bottom = next(i for i, line in enumerate(lines) if line.startswith("└"))
    head = [[cell[1:-1] for cell in line[1:-1].split("┃")] for line in lines[top + 1 : rule]]
    headers = [" ".join(cells[i].strip() for cells in head if cells[i].strip()) for i in range(len(head[0]))]
    body = [[cell[1:-1] for cell in line[1:-1].split("│")] for line in lines[rule + 1 : bottom]]
    return headers, [body]


def _dropped(stderr: list[str]) -> list[str]:
    notes = [line for line in stderr if line.startswith(NOTE)]
    assert len(notes) <= 1, stderr
    if not notes:
        return []
    names = notes[0].removeprefix(NOTE).split(" left out to fit ")[0]
    assert notes[0].endswith("columns (--fields picks the columns, -f csv shows them all)")
    return names.split(", ")


def _first_lines(headers: list[str], body: list[list[str]]) -> dict[str, list[str]]:
    """Each column's cells on the rows' first lines (a row's continuation lines start blank)."""
    rows = [line for line in body if line[0].strip()]
    return {header: [row[i].strip() for row in rows] for i, header in enumerate(headers)}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_fits_and_says_what_it_left_out(name: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args, columns = TABLES[name]
    stdout, stderr = _invoke(args, width)
    assert all(cell_len(line) <= width for line in stdout), "\n".join(stdout)
    headers, [body] = _parse(stdout)
    dropped = _dropped(stderr)
    if name == "timeline" and headers[-1] == "":  # the bar, where there is room for it
        assert width > 80 and body[0][-1].strip().strip("█") == ""
        headers, body = headers[:-1], [line[:-1] for line in body]
    # Headers are whole names, in order; the shown and the left out make up the whole table.
    assert headers == [column.replace("_", " ") for column in columns if column not in dropped]
    assert sorted(dropped, key=columns.index) == dropped and set(dropped) <= set(columns)
    assert columns[0] not in dropped and not FREE_TEXT_COLUMNS & set(dropped)
    # Identifiers, numbers and dates stay on one line, whole: the same cells as in the widest table.
    wide_headers, [wide_body] = _parse(_invoke(args, 200)[0])
    wide = _first_lines(wide_headers, wide_body)
    for header, cells in _first_lines(headers, body).items():
        if header not in FREE_TEXT_COLUMNS:
            assert cells == wide[header], header
    continuation = [line for line in body if not line[0].strip()]
    for line in continuation:
        assert all(
            not cell.strip() for header, cell in zip(headers, line, strict=True) if header not in FREE_TEXT_COLUMNS
        )
    # Free text that wraps had all the width there was.
    if continuation:
        assert max(cell_len(line) for line in stdout) == width


def test_at_200_columns_nothing_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for args, _ in TABLES.values():
        assert _dropped(_invoke(args, 200)[1]) == []


@pytest.mark.parametrize(
    ("name", "width", "dropped"),
    [
        ("comments", 80, ["parent_id", "depth", "words"]),
        ("commenters", 80, ["first_seen", "last_seen"]),
        ("threads", 80, ["share", "structural_virality", "h_index"]),
        ("threads", 100, ["h_index"]),
        ("comments", 120, []),
        ("commenters", 120, []),
    ],
)
def test_the_least_important_columns_go_first(
    name: str, width: int, dropped: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert _dropped(_invoke(TABLES[name][0], width)[1]) == dropped


def test_comment_text_takes_the_spare_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    heights = []
    for width in WIDTHS:
        stdout, _ = _invoke(TABLES["comments"][0], width)
        _, [body] = _parse(stdout)
        heights.append(len(body))
        assert len(body) <= 3 * 10  # ten comments, at most three lines each
    assert heights[0] > heights[1] > heights[2] == 11  # at 200 columns only the 150-character text wraps


def test_a_subprocess_gets_the_table_and_the_note_apart() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "commentscope", "commenters", "samples/deep.txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == (
        "Note: first_seen, last_seen left out to fit 80 columns (--fields picks the columns, -f csv shows them all)\n"
    )
    assert result.stdout.splitlines() == [
        "┏━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━┓",
        "┃                ┃          ┃ replies ┃  replies ┃ distinct ┃ distinct ┃       ┃",
        "┃ author         ┃ comments ┃    made ┃ received ┃ repliers ┃ partners ┃ words ┃",
        "┡━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━┩",
        "│ Priya N.       │        3 │       2 │        3 │        1 │        1 │    58 │",
        "│ Tom Baker      │        2 │       2 │        2 │        1 │        1 │    15 │",
        "│ Gus Okafor     │        1 │       0 │        1 │        1 │        0 │     7 │",
        "│ Jana Whitfield │        1 │       1 │        0 │        0 │        1 │    19 │",
        "│ (anonymous)    │        3 │       2 │        1 │        1 │        1 │    18 │",
        "└────────────────┴──────────┴─────────┴──────────┴──────────┴──────────┴───────┘",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_tree_fits_and_its_previews_use_the_width(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    stdout, stderr = _invoke(["tree", "samples/deep.txt"], width)
    assert stderr == []
    assert all(cell_len(line) <= width for line in stdout)
    nodes = [line for line in stdout[1:] if " words " in line]
    assert len(nodes) == 10
    # The first comment's 150-character text fills its line to the last column, at every width.
    assert cell_len(nodes[0]) == width and nodes[0].endswith("…")
    if width == 200:  # every comment on one line, every other text whole
        assert len(stdout) == 11 and not any(line.endswith("…") for line in nodes[1:])


@pytest.mark.parametrize("width", WIDTHS)
def test_one_pages_stats_keep_every_field_name_whole(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    stdout, _ = _invoke(["stats", "samples/deep.txt"], width)
    assert all(cell_len(line) <= width for line in stdout)
    assert ["median_reply_delay_minutes", "35"] in [line.split() for line in stdout]


@pytest.fixture(scope="module")
def page_stats() -> list[dict]:
    result = CliRunner().invoke(
        app,
        [
            "stats",
            *(str(ROOT / "samples" / name) for name in ("deep.txt", "small.txt", "awkward.txt")),
            "-f",
            "json",
            "--totals",
        ],
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("width", WIDTHS)
def test_several_pages_stats_are_a_row_a_page(width: int, page_stats: list[dict]) -> None:
    rows = [
        {**row, "source": Path(row["source"]).name if row["source"] != "(all pages)" else row["source"]}
        for row in page_stats
    ]
    notes: list[str] = []
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(pages_table(rows, notice=notes.append))
    lines = console.export_text().splitlines()
    assert all(cell_len(line) <= width for line in lines)
    headers, [body] = _parse(lines)
    assert [line[0].strip() for line in body] == ["deep.txt", "small.txt", "awkward.txt", "(all pages)"]
    if width >= 120:  # readable at 120: every default figure, a line a page
        assert notes == []
        assert headers == ["source", "comments", "replies", "max depth", "commenters", "first comment", "last comment"]
        assert [line[1].strip() for line in body] == ["10", "4", "4", "18"]
    else:
        assert notes == ["last_comment left out to fit 80 columns (--fields picks the columns, -f csv shows them all)"]


def test_several_pages_stats_take_the_fields_asked_for(page_stats: list[dict]) -> None:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(pages_table(page_stats, ["source", "h_index", "busiest_day"]))
    headers, [body] = _parse(console.export_text().splitlines())
    assert headers == ["source", "h index", "busiest day"]
    assert [line[2].strip() for line in body] == ["2021-03-03", "2022-05-02", "2019-01-24", "2021-03-03"]
