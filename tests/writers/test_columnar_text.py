"""The columnar CSV, TSV and JSON Lines writers give, byte for byte, what the csv and json modules give
for the same rows as plain values (the per-cell path they replace)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.writers.escaping import spreadsheet_safe
from commentscope.writers.text import BLOCK_ROWS, WriteOptions, records, write_csv, write_json, write_jsonl, write_tsv


def reference_delimited(frame: pd.DataFrame, raw: bool, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow([str(column) for column in frame.columns])
    for row in records(frame):
        cells = [json.dumps(c, ensure_ascii=False) if isinstance(c, list | dict) else c for c in row.values()]
        writer.writerow(cells if raw else [spreadsheet_safe(c) for c in cells])
    return "".join(_rows(buffer.getvalue()))


def _rows(text: str) -> list[str]:
    """csv rows ending in \\r\\n outside quotes, as rows ending in \\n."""
    rows, start, quoted = [], 0, False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and text.startswith("\r\n", index):
            rows.append(text[start:index] + "\n")
            start = index + 2
    return rows


def written(write, frame: pd.DataFrame, **options) -> str:
    buffer = io.StringIO()
    write(frame, buffer, WriteOptions(**options))
    return buffer.getvalue()


awkward_text = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("ab,\"'\r\n\t=+-@ é{}:\\")), max_size=8),
)
frames = st.integers(min_value=0, max_value=12).flatmap(
    lambda rows: st.fixed_dictionaries(
        {
            "text": st.lists(awkward_text, min_size=rows, max_size=rows),
            "number": st.lists(st.integers(-(10**6), 10**6), min_size=rows, max_size=rows),
            "count": st.lists(st.one_of(st.none(), st.integers(-(10**6), 10**6)), min_size=rows, max_size=rows),
            "share": st.lists(st.one_of(st.none(), st.floats(allow_nan=False, width=32)), min_size=rows, max_size=rows),
            "time": st.lists(
                st.one_of(
                    st.none(), st.datetimes(min_value=pd.Timestamp("1900-01-01"), max_value=pd.Timestamp("2200-01-01"))
                ),
                min_size=rows,
                max_size=rows,
            ),
        }
    )
)


def as_frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": pd.array(columns["text"], dtype="string"),
            "number": pd.array(columns["number"], dtype="int64"),
            "count": pd.array(columns["count"], dtype="Int64"),  # nullable
            "ratio": pd.array([None if v is None else v / 7 for v in columns["count"]], dtype="Float64"),
            "share": pd.array([float("nan") if v is None else v for v in columns["share"]], dtype="float64"),
            "time": pd.to_datetime(pd.Series(columns["time"], dtype="object")),
        }
    )


@settings(max_examples=150, deadline=None)
@given(frames, st.booleans())
def test_csv_and_tsv_match_the_csv_module(columns: dict, raw: bool) -> None:
    frame = as_frame(columns)
    assert written(write_csv, frame, raw_csv=raw) == reference_delimited(frame, raw)
    assert written(write_tsv, frame, raw_csv=raw) == reference_delimited(frame, raw, "\t")


@settings(max_examples=150, deadline=None)
@given(frames)
def test_jsonl_and_json_match_the_json_module(columns: dict) -> None:
    frame = as_frame(columns)
    rows = records(frame)
    assert written(write_jsonl, frame) == "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    assert written(write_json, frame) == json.dumps(rows, ensure_ascii=False) + "\n"


def test_rows_across_blocks_stay_in_order_and_complete() -> None:
    frame = pd.DataFrame({"n": range(BLOCK_ROWS * 2 + 3)})
    assert written(write_csv, frame) == "n\n" + "".join(f"{n}\n" for n in range(BLOCK_ROWS * 2 + 3))
    lines = written(write_jsonl, frame).splitlines()
    assert len(lines) == BLOCK_ROWS * 2 + 3 and lines[-1] == '{"n": ' + str(BLOCK_ROWS * 2 + 2) + "}"


def test_no_header_and_a_lone_empty_cell() -> None:
    frame = pd.DataFrame({"a": ["", None, "=x"]})
    assert written(write_csv, frame) == 'a\n""\n""\n\'=x\n'
    assert written(write_csv, frame, header=False) == '""\n""\n\'=x\n'


def test_times_keep_their_fractions_and_zones_as_isoformat() -> None:
    times = pd.Series(pd.to_datetime(["2020-01-01 10:00", "2020-01-01 10:00:00.25", None], format="ISO8601"))
    frame = pd.DataFrame({"naive": times, "utc": times.dt.tz_localize("UTC")})
    assert written(write_csv, frame) == (
        "naive,utc\n2020-01-01T10:00:00,2020-01-01T10:00:00+00:00\n"
        "2020-01-01T10:00:00.250000,2020-01-01T10:00:00.250000+00:00\n,\n"
    )
