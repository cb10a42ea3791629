"""render: the one output path, checked on values the commands can produce."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from commentscope.writers.escaping import plain, spreadsheet_safe, spreadsheet_unsafe, terminal_safe
from commentscope.writers.text import json_text, records


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (pd.NaT, None),
        (pd.NA, None),
        (float("nan"), None),
        (None, None),
        (pd.Timestamp("2020-01-01 10:00"), "2020-01-01T10:00:00"),
        (np.int64(3), 3),
        (True, True),
        ("x", "x"),
    ],
)
def test_plain_values(value: object, expected: object) -> None:
    assert plain(value) == expected


def test_records_from_a_frame_keep_column_order_and_nulls() -> None:
    frame = pd.DataFrame({"b": [1, 2], "a": ["x", None], "t": pd.to_datetime(["2020-01-01", None])})
    assert records(frame) == [
        {"b": 1, "a": "x", "t": "2020-01-01T00:00:00"},
        {"b": 2, "a": None, "t": None},
    ]


def test_json_text_matches_the_standard_encoder_and_survives_any_depth() -> None:
    value = {"a": [1, {"b": None, "c": "]},"}], "d": {"e": []}, "f": 1.5}
    assert json.loads(json_text(value)) == value
    deep: dict = {"replies": []}
    node = deep
    for _ in range(5000):
        child: dict = {"replies": []}
        node["replies"].append(child)
        node = child
    text = json_text(deep)
    assert text.startswith('{"replies": [{"replies": [') and text.count("[") == 5001


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("ok", "ok")],
)
def test_spreadsheet_safe_text(cell: str, safe: str) -> None:
    assert spreadsheet_safe(cell) == safe


@pytest.mark.parametrize("cell", ["=x", "'=x", "''=x", "'x", "x'", "'", "", "-1", "'@a", "ok"])
def test_the_formula_guard_is_reversible(cell: str) -> None:
    assert spreadsheet_unsafe(spreadsheet_safe(cell)) == cell
    assert spreadsheet_safe("=x") != spreadsheet_safe("'=x")


def test_spreadsheet_safe_leaves_numbers_alone() -> None:
    assert spreadsheet_safe(-3) == -3 and spreadsheet_safe(-2.5) == -2.5


def test_terminal_safe_shows_control_characters() -> None:
    assert terminal_safe("a\x1b[31mb\x07c\x9bd\ne\tf") == "a\\x1b[31mb\\x07c\\x9bd\ne\tf"
