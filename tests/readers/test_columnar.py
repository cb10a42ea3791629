"""What the column-at-a-time parser must get right beyond the samples: a large page cut in two
halves gives what one pass gives, words and white space follow Python's own rules, and dates
Arrow would roll over are refused."""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentscope.parallel import in_parallel
from commentscope.readers import dates, textpage
from commentscope.readers.dates import SPACE_CHARS, parse_dates
from commentscope.readers.records import build_tree
from commentscope.readers.textpage import parse_page

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import write

DATE = "May 1, 2020 at 10:00"


def _parsed(text: str) -> tuple[list, list, dict, int]:
    thread = parse_page(text, "page", lenient=True)
    rows = thread.comments.astype(object).where(thread.comments.notna(), None).values.tolist()
    return rows, thread.problems, dict(thread.diagnostics.counts), thread.diagnostics.total


def _split_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every column, however short, be worked in two halves at once."""
    monkeypatch.setattr(textpage, "_BYTES_PER_THREAD", 16)
    monkeypatch.setattr(textpage, "_BYTES_PER_PART", 64)
    monkeypatch.setattr(textpage, "_CANDIDATES_PER_THREAD", 1)
    monkeypatch.setattr(dates, "_DATES_PER_THREAD", 1)
    monkeypatch.setattr(dates, "_FEW_LINES", 0)


def test_parts_inside_a_part_run_in_turn_rather_than_wait_forever() -> None:
    def outer(numbers: list[int]) -> list[int]:
        return list(in_parallel(sum, [numbers[:1], numbers[1:], []]))

    assert list(in_parallel(outer, [[1, 2, 3], [4, 5], [6]])) == [[1, 5, 0], [4, 5, 0], [6, 0, 0]]


def test_the_calling_thread_and_one_worker_take_turns() -> None:
    caller = threading.current_thread().name
    names = list(in_parallel(lambda _: threading.current_thread().name, range(5)))
    assert names[0::2] == [caller] * 3
    assert len(set(names[1::2])) == 1 and names[1].startswith("commentscope-part")


def test_a_failing_part_fails_the_job_and_calls_off_the_parts_not_started() -> None:
    ran: list[int] = []
    failed = threading.Event()

    def work(index: int) -> int:
        if index == 3:  # keeps the worker busy until the failure is seen
            failed.wait(timeout=10)
        ran.append(index)
        if index == 2:
            raise ValueError("part 2")
        return index

    with pytest.raises(ValueError, match="part 2"):
        list(in_parallel(work, range(6)))
    failed.set()
    assert list(in_parallel(lambda index: index, [0, 1])) == [0, 1]  # queued behind part 5
    assert sorted(ran) in ([0, 1, 2], [0, 1, 2, 3])  # 3 may have started before the failure; 4 and 5 not


def test_space_chars_are_exactly_what_python_calls_white_space() -> None:
    assert set(SPACE_CHARS) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


@pytest.mark.parametrize("shape", ["tree", "chain", "star"])
def test_a_page_parsed_in_two_halves_equals_one_pass(
    tmp_path: Path, shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = write(300, tmp_path / "page.txt", seed=5, shape=shape).read_text(encoding="utf-8")
    one_pass = _parsed(page)
    _split_everything(monkeypatch)
    halves = _parsed(page)
    assert halves == one_pass
    assert len(one_pass[0]) == 300


def test_samples_parsed_in_halves_equal_one_pass(samples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [path.read_text(encoding="utf-8") for path in sorted(samples.rglob("*.txt"))]
    one_pass = [_parsed(page) for page in pages]
    _split_everything(monkeypatch)
    assert [_parsed(page) for page in pages] == one_pass


@pytest.mark.parametrize("counting_slice", [1 << 20, 1, 8, 13])
def test_word_counts_match_str_split_whatever_the_spacing(counting_slice: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textpage, "_COUNTING_SLICE", counting_slice)
    rng = random.Random(7)
    gaps = [" ", "  ", "\u00a0", "\t", "\u2003", "\u3000", "\x1c", " \u205f ", "’", "—"]
    bodies = []
    for _ in range(200):
        words = [rng.choice(["a", "bé", "“x”", "1.", "•", "naïve"]) for _ in range(rng.randint(1, 8))]
        bodies.append("".join(word + rng.choice(gaps) for word in words).strip())
    page = "".join(f"  {n + 1}. Ann\n    {DATE}\n\n    {body}\n\n" for n, body in enumerate(bodies))

    comments = parse_page(page, "page").comments

    assert comments["words"].tolist() == [len(text.split()) for text in comments["text"]]
    assert sum(text != body for text, body in zip(comments["text"], bodies, strict=True)) == 0


@given(
    st.integers(0, 40),
    st.lists(st.sampled_from(b" \n\ta\x1c\xc2\xe0\xe1\xe3\xe4"), min_size=1, max_size=70),
    st.booleans(),
    st.data(),
)
def test_slice_masks_match_their_definitions_after_any_longer_slice(
    longer_by: int, values: list[int], follows_space: bool, data: st.DataObject
) -> None:
    chunk = np.array(values, dtype=np.uint8)
    masks = textpage._SliceMasks(len(values) + longer_by)
    masks.of(np.full(len(values) + longer_by, 32, dtype=np.uint8), follows_space=True)  # spaces left past the slice

    space, odd = masks.of(chunk, follows_space)

    assert space.tolist() == [byte == 32 for byte in values]
    after_space = [follows_space] + [before in (32, 10) for before in values[:-1]]
    assert odd.tolist() == [
        (byte < 32 and byte != 10) or byte in (0xC2, 0xE1, 0xE2, 0xE3) or (byte == 32 and spaced)
        for byte, spaced in zip(values, after_space, strict=True)
    ]
    positions = np.array(sorted(data.draw(st.lists(st.integers(0, len(values))))), dtype=np.int64)
    running = np.concatenate([[0], np.cumsum(chunk == 32)])
    assert masks.true_before(positions).tolist() == running[positions].tolist()


@given(st.lists(st.integers(0, 4), max_size=60))
def test_nesting_finds_the_nearest_comment_above_at_a_lower_level(levels: list[int]) -> None:
    # Runs of one level (a star's replies), deeper replies between siblings, jumps and orphans alike.
    markers = SimpleNamespace(width=np.array(levels, dtype=np.int64) * 2, line=np.arange(len(levels)))
    parents, _ = textpage._nest(markers, 2, 0)  # type: ignore[arg-type]
    depths = build_tree(parents).depth
    expected_parents, expected_depths = [], []
    for index, level in enumerate(levels):
        above = [row for row in range(index) if levels[row] < level]
        expected_parents.append(above[-1] if above else -1)
        expected_depths.append(expected_depths[above[-1]] + 1 if above else 0)
    assert parents.tolist() == expected_parents
    assert depths.tolist() == expected_depths


@given(st.binary(min_size=1, max_size=300).map(lambda raw: raw.decode("latin-1").encode()), st.data())
def test_ranges_gathers_exactly_the_ranges_asked_for(page: bytes, data: st.DataObject) -> None:
    # Any increasing cuts, so the ranges may touch either end of the page or leave no room there.
    cuts = sorted(data.draw(st.sets(st.integers(0, len(page)), max_size=40)))
    cuts = cuts[: len(cuts) // 2 * 2]
    starts, ends = np.array(cuts[0::2], dtype=np.int64), np.array(cuts[1::2], dtype=np.int64)
    gathered = textpage._ranges(page, starts, ends)
    assert gathered.cast("large_binary").to_pylist() == [page[a:b] for a, b in zip(starts, ends, strict=True)]


def test_unicode_white_space_before_a_line_counts_as_indent() -> None:
    text = f"  1. Ann\n    {DATE}\n\n\u2009\u2009  Thin spaces first.\n\n  2. Bob\n    {DATE}\n\n    Plain.\n"
    thread = parse_page(text, "page")
    assert thread.problems == []
    assert thread.comments["text"].tolist() == ["\u2009\u2009  Thin spaces first.", "Plain."]


def test_only_ascii_digits_number_a_comment() -> None:
    thread = parse_page(f"  \u0661. {DATE}\n\n    Arabic-Indic one.\n", "page")
    assert len(thread.comments) == 0
    assert thread.article.title == f"\u0661. {DATE}"


def test_a_footer_line_at_the_margin_between_comments_is_reported() -> None:
    thread = parse_page(f"1. {DATE}\nComments are closed\n2. {DATE}\n", "page")
    assert thread.comments["text"].tolist() == ["", ""]
    assert [(p.kind, p.line) for p in thread.problems] == [("unplaced", 2)]


def test_a_last_line_without_newline_keeps_its_last_character() -> None:
    thread = parse_page(f"  1. Ann\n    {DATE}\n\n    The end", "page")
    assert thread.comments["text"].tolist() == ["The end"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("February 30, 2019 at 10:00", None),  # Arrow's strptime would read March 2
        ("February 29, 2020 at 10:00", "2020-02-29 10:00"),
        ("March 02, 2019 at 10:00", "2019-03-02 10:00"),
        ("March 2, 2019 at 10:00", "2019-03-02 10:00"),  # formats back as "02"
        ("April 31, 2019 at 7:05 pm", None),
        ("May 1, 2020 at 7:05 pm", "2020-05-01 19:05"),
        ("2019-02-30 10:00", None),
        ("2019-03-02 10:00", "2019-03-02 10:00"),
        ("30 February 2019 at 10:00", None),
        ("2 March 2019 at 10:00", "2019-03-02 10:00"),
    ],
)
def test_impossible_days_are_unreadable_not_rolled_over(written: str, expected: str | None) -> None:
    parsed = pd.Series(parse_dates([written, "May 3, 2020 at 10:00"]))
    assert parsed.iloc[1] == pd.Timestamp("2020-05-03 10:00")
    assert (parsed.iloc[0] if pd.notna(parsed.iloc[0]) else None) == (pd.Timestamp(expected) if expected else None)


@pytest.mark.parametrize("fmt", dates.FAST_FORMATS)
def test_every_bulk_format_refuses_an_impossible_day_and_reads_an_early_one(fmt: str) -> None:
    fields = {"%Y": "2019", "%H": "22", "%I": "10", "%M": "05", "%S": "07", "%p": "PM"}

    def written(month: str, number: str, day: str) -> str:
        text = fmt
        for directive, value in {**fields, "%B": month, "%b": month[:3], "%m": number, "%d": day}.items():
            text = text.replace(directive, value)
        return text

    parsed = parse_dates([written("February", "02", "30"), written("March", "03", "2")])
    assert np.isnat(parsed[0])
    assert pd.Timestamp(parsed[1]).date().isoformat() == "2019-03-02"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("March 2, 2019 at 10:00", "2019-03-02 10:00"),
        ("May 1, 2020 at 7:05 pm", "2020-05-01 19:05"),
        ("3 March 2019 at 09:05", "2019-03-03 09:05"),
        ("MARCH 1, 2019", "2019-03-01"),
    ],
)
def test_early_days_written_unpadded_are_read_in_bulk(
    written: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slower_reader(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{written!r} left Arrow's strptime")

    monkeypatch.setattr(dates.pd, "to_datetime", slower_reader)
    monkeypatch.setattr(dates, "_parse_one", slower_reader)
    assert parse_dates([written]).tolist() == [pd.Timestamp(expected).to_datetime64()]


@pytest.mark.parametrize("few", [0, 200])
def test_dates_like_agrees_with_looks_like_date(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    monkeypatch.setattr(dates, "_FEW_LINES", few)  # 0: all in Arrow; 200: one by one
    lines = [DATE, "3rd May 2020 at 7.30 p.m.", "Tuesday 5 May 2020", "Bob Smith", "1. item", "", "2020", "May 2020 x"]
    assert dates.dates_like(pa.array([*lines, None])).tolist() == [*map(dates.looks_like_date, lines), False]


@pytest.mark.parametrize("char", [c for c in SPACE_CHARS if c not in " \t\n\r"])  # CR ends a line
def test_every_white_space_character_is_seen_at_either_end_of_a_line(char: str) -> None:
    text = f"  1. Ann\n    {DATE}\n\n    {char}x{char}\n\n    word{char}\n"
    thread = parse_page(text, "page")
    assert thread.comments["text"].tolist() == [f"{char}x\n\nword"]
    assert thread.comments["words"].tolist() == [2]


def test_a_forked_child_parses_with_threads_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    page = write(300, tmp_path / "page.txt", seed=3).read_text(encoding="utf-8")
    _split_everything(monkeypatch)
    expected = _parsed(page)  # the pool now exists in this process
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply_async(_parsed, (page,)).get(timeout=60)
    assert result == expected


def test_a_mapped_file_handed_back_part_by_part_parses_like_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commentscope.readers import load

    path = write(300, tmp_path / "page.txt", seed=9)
    expected = _parsed(path.read_text(encoding="utf-8"))
    _split_everything(monkeypatch)
    released: list[int] = []
    release = textpage._Lines.release_before
    monkeypatch.setattr(
        textpage._Lines, "release_before", lambda lines, line: released.append(line) or release(lines, line)
    )
    thread = load(path, lenient=True)
    rows = thread.comments.astype(object).where(thread.comments.notna(), None).values.tolist()
    assert (rows, thread.problems, dict(thread.diagnostics.counts), thread.diagnostics.total) == expected
    assert len(released) > 10 and released == sorted(released)


@pytest.mark.parametrize("where", ["first half", "second half"])
def test_a_bad_byte_in_either_half_of_a_page_is_named(tmp_path: Path, where: str) -> None:
    from commentscope.errors import InputError
    from commentscope.readers import load

    lines = [f"line {n} caf\u00e9".encode() for n in range(1000)]
    lines[100 if where == "first half" else 900] = b"caf\xe9 in cp1252"
    path = tmp_path / "page.txt"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(InputError, match=r"byte 0xe9 at offset \d+"):
        load(path)
