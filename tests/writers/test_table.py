"""The table writer on its own: layout, literal cells, streaming, and the shared stderr console."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from commentscope.writers.table import (
    cell_text,
    pages_table,
    stderr_console,
    stdout_console,
    table_of,
    tree_view,
)


def _render(renderable: object, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def _table(rows: list[dict], width: int, **options: object) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    return _render(table_of(rows, notice=notes.append, **options), width), notes


def test_a_small_table_is_drawn_as_rich_draws_one() -> None:
    rows = [{"id": "1", "author": None, "words": 12, "text": "Hello there"}, {"id": "1.1", "author": "Ann", "words": 3}]
    lines, notes = _table(rows, 80, title="A page", nulls={"author": "anonymous"})
    assert notes == []
    assert lines == [
        "A page",
        "┏━━━━━┳━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━┓",
        "┃ id  ┃ author    ┃ words ┃ text        ┃",
        "┡━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━┩",
        "│ 1   │ anonymous │    12 │ Hello there │",
        "│ 1.1 │ Ann       │     3 │             │",
        "└─────┴───────────┴───────┴─────────────┘",
    ]


def test_headers_break_between_words_and_sit_on_the_rule() -> None:
    lines, _ = _table([{"name": "x", "replies_received": 1, "text": "t" * 10}], 80)
    assert lines[:5] == [
        "┏━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━┓",
        "┃      ┃  replies ┃            ┃",
        "┃ name ┃ received ┃ text       ┃",
        "┡━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━┩",
        "│ x    │        1 │ tttttttttt │",
    ]


def test_columns_that_cannot_fit_go_least_important_first_with_one_note() -> None:
    row = {"id": "7.1.1", "parent_id": "7.1", "depth": 2, "author": "Priya", "words": 9, "text": "x " * 40}
    lines, notes = _table([row], 50)
    assert notes == ["depth, words left out to fit 50 columns (--fields picks the columns, -f csv shows them all)"]
    assert lines == [
        "┏━━━━━━━┳━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃       ┃ parent ┃        ┃                      ┃",
        "┃ id    ┃ id     ┃ author ┃ text                 ┃",
        "┡━━━━━━━╇━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━┩",
        "│ 7.1.1 │ 7.1    │ Priya  │ x x x x x x x x x x  │",
        "│       │        │        │ x x x x x x x x x x  │",
        "│       │        │        │ x x x x x x x x x x  │",
        "│       │        │        │ x x…                 │",
        "└───────┴────────┴────────┴──────────────────────┘",
    ]
    _, narrower = _table([row], 40)
    assert narrower == [
        "parent_id, depth, author, words left out to fit 40 columns (--fields picks the columns, -f csv shows them all)"
    ]


def test_the_bar_takes_the_room_left_and_goes_without_a_note_when_there_is_none() -> None:
    rows = [{"period": "2021-03-03", "comments": 4}, {"period": "2021-03-04", "comments": 2}]
    wide, _ = _table(rows, 80, bar="comments")
    assert wide[3] == "│ 2021-03-03 │        4 │ ████████████████████████ │"
    assert wide[4] == "│ 2021-03-04 │        2 │ ████████████             │"
    narrow, notes = _table(rows, 30, bar="comments")
    assert notes == [] and narrow[3] == "│ 2021-03-03 │        4 │"


def test_cells_are_literal_text_with_control_characters_escaped() -> None:
    rows = [{"id": "[bold]x[/]", "text": "\x1b]8;;https://evil.example\x07hi \u202e \u200b"}]
    lines, _ = _table(rows, 80, title="[link=https://evil.example]T[/link]")
    assert lines[0] == "[link=https://evil.example]T[/link]"
    assert lines[4] == "│ [bold]x[/] │ \\x1b]8;;https://evil.example\\x07hi \\u202e \\u200b │"


def test_wide_characters_keep_the_borders_in_line() -> None:
    lines, _ = _table([{"id": "1", "text": "日本語のテキストです。" * 4}], 40)
    assert {cell_len(line) for line in lines} == {40}
    assert lines[3:6] == [
        "│ 1  │ 日本語のテキストです。日本語の  │",
        "│    │ テキストです。日本語のテキスト  │",
        "│    │ で …                            │",
    ]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.text(min_size=1, max_size=40),
                "count_of_things": st.none() | st.integers(-(10**6), 10**6),
                "when": st.none() | st.sampled_from(["2021-03-03T21:15:00", "2019-01-24"]),
                "score": st.floats(allow_nan=False, allow_infinity=False),
                "text": st.none() | st.text(max_size=300),
            }
        ),
        max_size=8,
    ),
    width=st.integers(min_value=40, max_value=200),
)
def test_any_table_fits_its_width_and_says_what_it_left_out(rows: list[dict], width: int) -> None:
    columns = ["id", "count_of_things", "when", "score", "text"]
    lines, notes = _table(rows, width, columns=columns)
    left_out = notes[0].split(" left out")[0].split(", ") if notes else []
    assert len(notes) <= 1 and set(left_out) <= {"count_of_things", "when", "score"}
    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1 and widths.pop() <= width
    header = [line for line in lines if line.startswith("┃")]
    shown = " ".join(" ".join(line[1:-1].split("┃")) for line in header).split()
    assert sorted(shown) == sorted(word for c in columns if c not in left_out for word in c.split("_"))


def test_many_rows_stream_to_the_same_bytes_as_one_rendering() -> None:
    rows = [{"id": str(i), "author": f"name {i % 7}", "text": "word " * (i % 20)} for i in range(1200)]
    whole = "\n".join(_render(table_of(rows, "title", notice=lambda _: None), 160)) + "\n"
    handle = io.StringIO()
    stdout_console(handle).print(table_of(rows, "title", notice=lambda _: None))  # 160 wide, a chunk at a time
    assert handle.getvalue() == whole
    assert len(handle.getvalue().splitlines()) == 1 + 3 + 1200 + 1


def test_several_pages_default_to_a_few_figures_and_take_others() -> None:
    rows = [
        {"source": "a.txt", "comments": 3, "replies": 1, "max_depth": 1, "commenters": 2, "h_index": 1},
        {"source": "(all pages)", "comments": 3, "replies": 1, "max_depth": 1, "commenters": 2, "h_index": 1},
    ]
    lines = _render(pages_table(rows, notice=lambda _: None), 120)
    assert lines[1:3] == [
        "┃             ┃          ┃         ┃   max ┃            ┃   first ┃    last ┃",
        "┃ source      ┃ comments ┃ replies ┃ depth ┃ commenters ┃ comment ┃ comment ┃",
    ]
    assert _render(pages_table(rows, ["source", "h_index"]), 120) == [
        "┏━━━━━━━━━━━━━┳━━━━━━━┓",
        "┃             ┃     h ┃",
        "┃ source      ┃ index ┃",
        "┡━━━━━━━━━━━━━╇━━━━━━━┩",
        "│ a.txt       │     1 │",
        "│ (all pages) │     1 │",
        "└─────────────┴───────┘",
    ]


def test_the_tree_preview_takes_the_room_its_line_has() -> None:
    node = {
        "id": "1",
        "author": None,
        "timestamp": "2021-03-03T21:15:00",
        "words": 40,
        "replies_count": 0,
        "replies": [],
        "text": "word " * 40,
    }
    for width in (100, 200):
        lines = _render(tree_view([node], "T"), width)
        assert len(lines) == 2 and lines[1].startswith("└── 1 (anonymous)  2021-03-03 21:15  40 words  0 replies  word")
        assert cell_len(lines[1]) == width and lines[1].endswith("…")
    # A line too full for a useful preview gives the text the next line, cut to fit it.
    for width, preview in [(60, "word " * 11 + "…"), (64, "word " * 11 + "word…")]:
        assert _render(tree_view([node], "T"), width)[1:] == [
            "└── 1 (anonymous)  2021-03-03 21:15  40 words  0 replies",
            "    " + preview,
        ]


def test_cell_text_is_a_one_line_preview() -> None:
    assert cell_text("a\nb  c").plain == "a b c"
    assert cell_text("x" * 100, width=10).plain == "x" * 9 + "…"
    assert cell_text(None, null="anonymous").plain == "anonymous"
    assert cell_text("2019-01-24T07:36:00").plain == "2019-01-24 07:36"
    assert cell_text(0.5).plain == "0.5"


def test_the_stderr_console_is_one_for_the_run() -> None:
    assert stderr_console() is stderr_console()
