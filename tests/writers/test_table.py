"""The table writer on its own: layout, literal cells, streaming, and the shared stderr console."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from comment_frames import build_comments
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from commentscope.nested import NestedRows
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
        "text": "word " * 40,
    }
    forest = NestedRows(pd.DataFrame([node]), np.zeros(1, dtype=np.int64))
    for width in (100, 200):
        lines = _render(tree_view(forest, "T"), width)
        assert len(lines) == 2 and lines[1].startswith("└── 1 (anonymous)  2021-03-03 21:15  40 words  0 replies  word")
        assert cell_len(lines[1]) == width and lines[1].endswith("…")
    # A line too full for a useful preview gives the text the next line, cut to fit it.
    for width, preview in [(60, "word " * 11 + "…"), (64, "word " * 11 + "word…")]:
        assert _render(tree_view(forest, "T"), width)[1:] == [
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


# The tree is written line by line; rich's Tree of one label per comment, as it was drawn before,
# is the reference it must match, byte for byte, plain and styled.


class _RichNodeLabel:
    def __init__(self, node: dict) -> None:
        from rich.text import Text

        from commentscope.writers.escaping import literal, plain
        from commentscope.writers.table import _FREE_CAP, ANONYMOUS_LABEL, _cell_string

        self.head = Text()
        self.head.append_text(literal(f"{node['id']} ", style="dim"))
        if node.get("context"):
            self.head.append("(context) ", style="italic dim")
        author = cell_text(node["author"], null=ANONYMOUS_LABEL)
        author.stylize("bold")
        self.head.append_text(author)
        when = cell_text(plain(node["timestamp"])).plain
        replies = node["replies_count"]
        self.head.append(
            f"  {when}  {node['words']} words  {replies} repl{'y' if replies == 1 else 'ies'}  ", style="dim"
        )
        self.text = "" if node["text"] is None else _cell_string(node["text"], width=_FREE_CAP)

    def __rich_console__(self, console, options):
        from commentscope.writers.table import _FREE_MIN_WIDTH, _cut

        room = options.max_width - self.head.cell_len
        label = self.head.copy()
        if room >= _FREE_MIN_WIDTH:
            label.append(_cut(self.text, room))
        elif self.text:
            label.rstrip()
            label.append("\n" + _cut(self.text, options.max_width))
        yield label

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement(1, options.max_width)


def _rich_tree(roots: list[dict], title: str | None) -> object:
    from rich.tree import Tree

    from commentscope.writers.escaping import literal
    from commentscope.writers.table import _heading

    tree = Tree(_heading(title or "comments", style="bold"))
    pages: dict = {}
    for node in roots:
        if "source" in node and node["source"] not in pages:
            pages[node["source"]] = tree.add(literal(node["source"], style="bold underline"))
    stack = [(pages.get(node.get("source"), tree), node) for node in reversed(roots)]
    while stack:
        parent, node = stack.pop()
        branch = parent.add(_RichNodeLabel(node))
        stack.extend((branch, child) for child in reversed(node["replies"]))
    return tree


def _both(frame, title, width, styled, **options) -> tuple[str, str]:
    from commentscope.analysis import reply_forest, reply_tree

    outputs = []
    for view in (tree_view(reply_forest(frame, **options), title), _rich_tree(reply_tree(frame, **options), title)):
        console = Console(
            width=width,
            file=io.StringIO(),
            color_system="truecolor" if styled else None,
            force_terminal=styled,
            highlight=False,
            soft_wrap=False,
        )
        console.print(view)
        outputs.append(console.file.getvalue())  # type: ignore[attr-defined]
    return outputs[0], outputs[1]


_WORDS = ["word", "a", "longerword", "été", "日本語", "x" * 30, "2021-03-03", "\x1b[31m", ""]


@st.composite
def _threads(draw):
    size = draw(st.integers(min_value=0, max_value=25))
    rows = []
    for k in range(size):
        parent = draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None
        if draw(st.booleans()) and k:  # deep chains, past the width of the line
            parent = k - 1
        author = draw(st.sampled_from(["A", "Bee", None, "Someone With A Long Name " * 3, "名前", "(anonymous)"]))
        when = draw(st.sampled_from([None, "2021-03-03 21:15", "2020-01-01 00:00:30"]))
        text = " ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=40)))
        rows.append((f"c{k}", None if parent is None else f"c{parent}", author, when, text or None))
    return rows


@settings(max_examples=150, deadline=None)
@given(
    _threads(),
    st.integers(min_value=10, max_value=200),
    st.booleans(),
    st.sampled_from([None, "T", "A title " * 30]),
    st.lists(st.booleans(), max_size=25),
    st.booleans(),
)
def test_the_tree_is_drawn_as_rich_drew_it(rows, width, styled, title, chosen, corpus) -> None:
    if corpus:
        half = len(rows) // 2
        later = {cid for cid, *_ in rows[half:]}  # the second page: the replies to the first's become tops
        second = [(cid, parent if parent in later else None, *rest) for cid, parent, *rest in rows[half:]]
        frame = pd.concat(
            [build_comments(rows[:half], "page a"), build_comments(second, "page b" * 20)], ignore_index=True
        )
    else:
        frame = build_comments(rows)
    selected = np.asarray((chosen + [True] * len(frame))[: len(frame)], dtype=bool)
    for options in ({}, {"selected": selected}, {"max_depth": 2}):
        ours, rich_drawn = _both(frame, title, width, styled, **options)
        assert ours == rich_drawn


def test_a_corpus_tree_with_pages_out_of_order_is_drawn_as_rich_drew_it() -> None:
    a = build_comments([("c1", None, "A", None, "x"), ("c1.1", "c1", "B", None, "y")], "a")
    b = build_comments([("c1", None, "C", None, "z")], "b")
    frame = pd.concat([a.iloc[:1], b, a.iloc[1:], a.iloc[:1].assign(id="c2")], ignore_index=True)
    for width in (40, 100):
        for styled in (False, True):
            ours, rich_drawn = _both(frame, "T", width, styled)
            assert ours == rich_drawn


_CELL_TEXT = st.text(st.sampled_from(list("ab Z9:-\n日本é\u200b\x1b…")), max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), _CELL_TEXT), st.integers(-5, 10**6), st.integers(0, 3), st.booleans()),
        min_size=1,
        max_size=30,
    ),
    st.integers(30, 140),
    st.booleans(),
)
def test_a_frame_is_drawn_from_its_columns_as_its_rows_are(rows, width, styled) -> None:
    """Names, counts and times kept as Arrow columns (blocks of a few rows, so that one block of
    times has a fraction of a second and goes the Python way) draw the table the rows draw."""
    from unittest import mock

    import commentscope.writers.table as table
    from commentscope.writers.escaping import plain

    frame = pd.DataFrame(
        {
            "author": pd.array([name for name, *_ in rows], dtype="str"),
            "words": np.array([count for _, count, *_ in rows], dtype=np.int64),
            "timestamp": pd.to_datetime(["2020-01-02 03:04:05"] * len(rows))
            + pd.to_timedelta([(1.5 if odd else 1) * k for k, (*_, odd) in enumerate(rows)], unit="s"),
            "text": pd.array([f"{name or ''} {depth}" for name, _, depth, _ in rows], dtype="str"),
        }
    )
    records = [{name: plain(value) for name, value in row.items()} for row in frame.to_dict("records")]
    console = {"width": width, "color_system": "standard" if styled else None, "force_terminal": styled}

    def drawn(data: object) -> str:
        out = Console(file=io.StringIO(), **console)
        out.print(table_of(data, "T", bar="words", notice=lambda _: None))
        return out.file.getvalue()  # type: ignore[attr-defined]

    with mock.patch.object(table, "_VALUE_BLOCK", 4), mock.patch.object(table, "_CHUNK_ROWS", 3):
        assert drawn(frame) == drawn(records)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            _CELL_TEXT,
            st.builds(
                lambda word, gap, count: (word + gap) * count,
                _CELL_TEXT,
                st.sampled_from([" ", "\n\n", "   "]),
                st.integers(0, 120),
            ),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["", "(none)"]),
)
def test_free_text_is_as_wide_as_its_widest_cell_without_making_every_cell(texts, null_text) -> None:
    """The longest texts first (settled by one that fills the measure), the others when none does."""
    from unittest import mock

    import pyarrow as pa

    import commentscope.writers.table as table

    cells = [null_text if text is None else table._cell_string(text, table._FREE_CAP) for text in texts]
    expected = max(table._cells(cell[: table._FREE_MEASURED]) for cell in cells)
    with mock.patch.object(table, "_LONGEST_MEASURED", 2), mock.patch.object(table, "_FREE_TEXT_BLOCK", 3):
        chunks = pa.chunked_array([pa.array(texts[:5], pa.large_string()), pa.array(texts[5:], pa.large_string())])
        assert table._free_widest(chunks, null_text) == expected
