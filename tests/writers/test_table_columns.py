"""The table's column paths against the per-cell rules they stand in for, on arbitrary text."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.writers.escaping import plain
from commentscope.writers.table import _as_strings, _cell_string, _strings_cells, _wrap

# Pieces that take each branch of the rule: wide and zero-width characters, every kind of space,
# control characters and escapes, dates the rule rewrites and ones it leaves.
_PIECES = st.sampled_from(
    [
        "word",
        "été",
        "日本語",
        "e\u0301",
        "\u00ad",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\xa0",
        "\u2028",
        "\x1c",
        "\x1b[31m",
        "\u202e",
        "\u200b",
        "\ufeff",
        "\\x1b",
        "…",
        "’",
        ":",
        "2021-03-03T21:15:00",
        "2021-03-03T21:15",
        "2021-03-03T21:15:30",
        "12019-01-24T07:36",
        "٢٠٢١-03-03T21:15",
        "x" * 70,
    ]
)
_TEXTS = st.none() | st.text(max_size=80) | st.lists(_PIECES | st.text(max_size=3), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, max_size=20), st.sampled_from([1, 2, 19, 20, 64, 1000]))
def test_the_column_path_makes_the_cells_the_rule_makes(values: list[str | None], width: int) -> None:
    expected = [None if value is None else _cell_string(value, width) for value in values]
    for kind in (pa.string(), pa.large_string()):
        assert _strings_cells(pa.array(values, kind), width).to_pylist() == expected


_MOMENTS = st.datetimes(min_value=pd.Timestamp("1000-01-01"), max_value=pd.Timestamp("9999-12-31"))
_WHOLE_MINUTES = _MOMENTS.map(lambda moment: moment.replace(second=0, microsecond=0))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.none() | _WHOLE_MINUTES | _MOMENTS.map(lambda moment: moment.replace(microsecond=0)), max_size=20)
    | st.lists(st.none() | _MOMENTS, max_size=5),
    st.sampled_from(["s", "ms", "us", "ns"]),
)
def test_times_as_a_column_are_the_cells_of_their_iso_strings(moments: list, unit: str) -> None:
    if unit == "ns":
        moments = [m if m is None or pd.Timestamp.min < m < pd.Timestamp.max else None for m in moments]
    series = pd.Series(pd.to_datetime(pd.Series(moments, dtype=object))).astype(f"datetime64[{unit}]")
    expected = [None if (value := plain(moment)) is None else _cell_string(value) for moment in series.tolist()]
    strings = _as_strings(series)
    if strings is None:  # a fraction of a second: the values go through the rule one by one
        assert any(moment is not None and moment.microsecond for moment in moments)
        return
    assert _strings_cells(strings, 64).to_pylist() == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "word", "été", "…", "x" * 9, "y" * 30, "’quoted’"]), max_size=30).map(" ".join),
    st.integers(min_value=1, max_value=40),
)
def test_single_spaced_text_wraps_by_the_pattern_as_word_by_word(text: str, width: int) -> None:
    assert _wrap(text, width) == _wrap(text, width, narrow=False)


def test_a_wrapped_caption_keeps_the_words_before_its_line_breaks() -> None:
    """A caption of several lines once lost the word before each break to the one-pattern wrap."""
    from commentscope.writers.table import _wrap

    text = "Reciprocity: 50% of pairs answered both ways\n(anonymous) is every comment"
    assert " ".join(line for line, _ in _wrap(text, 41)).split() == text.split()
