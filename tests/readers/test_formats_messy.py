"""Messy data files: each oddity is kept, counted and reported by ``check``; never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from commentscope.analysis.check import check_rows, check_thread
from commentscope.cli import app
from commentscope.errors import InputError
from commentscope.model import validate_comments
from commentscope.readers import load_threads
from commentscope.readers.records import build_threads, word_counts

FORMATS = Path(__file__).resolve().parent.parent.parent / "samples" / "formats"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return [[None if pd.isna(v) else v for v in row] for row in frame[columns].itertuples(index=False)]


def _dump(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _reddit(id, parent, link="t3_p", body="text", created=1650000000):
    return {"id": id, "parent_id": parent, "link_id": link, "author": "a", "created_utc": created, "body": body}


def _kinds(thread) -> dict[str, int | None]:
    return {p.kind: p.line for p in thread.problems}


def test_ids_as_int_and_string_are_one_id_and_the_drift_is_reported(tmp_path: Path) -> None:
    rows = [
        {"id": 1, "parent": None, "text": "a"},
        {"id": "c2", "parent": 1, "text": "b"},
        {"id": 3, "parent": "c2", "text": "c"},
    ]
    (thread,) = load_threads(str(_dump(tmp_path / "c.jsonl", rows)))
    assert _rows(thread.comments, ["id", "parent_id", "depth"]) == [
        ["c1", None, 0],
        ["c2", "c1", 1],
        ["c3", "c2", 2],
    ]
    assert _kinds(thread) == {"mixed_id_types": 1}
    assert thread.problems[0].message == "3 id(s) arrive as numbers where others are strings (read as the same ids)"


def test_null_parents_in_a_dump_are_top_level_and_counted(tmp_path: Path) -> None:
    (thread,) = load_threads(str(_dump(tmp_path / "d.ndjson", [_reddit("a", "t3_p"), _reddit("b", None)])))
    assert thread.comments["parent_id"].isna().all()
    assert _kinds(thread) == {"null_parent": 2}


def test_parents_that_point_at_the_post_are_top_level(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "parent": "post9", "thread": "post9", "text": "a"},
        {"id": "2", "parent": "1", "thread": "post9", "text": "b"},
    ]
    (thread,) = load_threads(str(_dump(tmp_path / "p.jsonl", rows)))
    assert thread.source.endswith("#post9")
    assert thread.comments["depth"].tolist() == [0, 1]
    assert [p.kind for p in thread.problems] == ["parent_is_post"]


def test_a_cycle_is_cut_at_its_first_comment_and_reported() -> None:
    columns = {
        "thread": ["t"] * 4,
        "id": ["a", "b", "c", "d"],
        "parent": ["c", "a", "b", "d"],  # a -> c -> b -> a, and d answers itself
        "author": [None] * 4,
        "time": [None] * 4,
        "text": ["x"] * 4,
        "kind": ["comment"] * 4,
        "line": [1, 2, 3, 4],
    }
    (thread,) = build_threads(columns, "f")
    assert _rows(thread.comments, ["id", "parent_id", "depth"]) == [
        ["a", None, 0],
        ["b", "a", 1],
        ["c", "b", 2],
        ["d", None, 0],
    ]
    assert [(p.kind, p.line) for p in thread.problems] == [("cycle", 1)]
    assert thread.problems[0].message.startswith("4 comment(s) answer each other in a circle")
    validate_comments(thread.comments)


def test_a_duplicate_id_keeps_its_place_under_a_suffix(tmp_path: Path) -> None:
    rows = [_reddit("a", "t3_p", body="first"), _reddit("b", "t1_a"), _reddit("a", "t3_p", body="second")]
    (thread,) = load_threads(str(_dump(tmp_path / "d.ndjson", rows)))
    assert _rows(thread.comments, ["id", "parent_id", "text"]) == [
        ["a", None, "first"],
        ["b", "a", "text"],
        ["a~2", None, "second"],
    ]
    assert _kinds(thread) == {"duplicate_id": 3}


def test_one_bad_line_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "d.ndjson"
    good = [json.dumps(_reddit(i, "t3_p")) for i in "abc"]
    path.write_text(good[0] + "\n{not json\n" + good[1] + "\n" + good[2] + "\n", encoding="utf-8")
    (thread,) = load_threads(str(path))
    assert thread.comments["id"].tolist() == ["a", "b", "c"]
    assert thread.comments["line"].tolist() == [1, 3, 4]
    assert _kinds(thread) == {"bad_line": 2}


@pytest.mark.parametrize("name", ["d.ndjson", "c.jsonl"])
def test_a_json_lines_file_cut_mid_record_is_reported_as_truncated(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    rows = [json.dumps(_reddit(i, "t3_p")) for i in "ab"]
    path.write_text(rows[0] + "\n" + rows[1][:25], encoding="utf-8")
    (thread,) = load_threads(str(path))
    assert thread.comments["id"].tolist() == ["a"]
    assert _kinds(thread) == {"truncated": 2}


def test_an_xml_export_cut_short_keeps_what_came_before(tmp_path: Path) -> None:
    text = (FORMATS / "wordpress.xml").read_text(encoding="utf-8")
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.index("<title>Compost Day")], encoding="utf-8")
    threads = load_threads(str(path))
    assert [t.source for t in threads] == [f"{path}#12"]
    assert [p.kind for p in threads[0].problems] == ["truncated"]
    assert threads[0].diagnostics.counts["spam"] == 1


def test_a_cut_zst_dump_is_reported(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    rows = "".join(json.dumps(_reddit(f"c{i}", "t3_p", body="word " * 40)) + "\n" for i in range(2000)).encode()
    packed = zstandard.ZstdCompressor().compress(rows)
    path = tmp_path / "cut.zst"
    path.write_bytes(packed[: len(packed) // 2])
    (thread,) = load_threads(str(path))
    assert 0 < len(thread.comments) < 2000
    assert "truncated" in _kinds(thread)


def test_a_cut_zst_dumps_problems_come_in_line_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches are decompressed a step ahead on the worker: the end's problem still comes after
    the last batch's bad lines, as when they are read in turn."""
    zstandard = pytest.importorskip("zstandard")
    from commentscope.readers import batches
    from commentscope.readers.registry import OwnedBytes

    lines = [json.dumps({"id": f"c{i}", "body": f"{i:040d}"}) for i in range(20_000)]
    for i in range(15_000, 20_000, 50):
        lines[i] = "{not json"
    packed = zstandard.ZstdCompressor().compress(("\n".join(lines) + "\n").encode())
    monkeypatch.setattr(batches, "BATCH_BYTES", 64 << 10)
    schema = pa.schema([("id", pa.string()), ("body", pa.string())])

    def problems() -> list[tuple[str, int | None]]:
        found: list = []
        batches.read_json_lines(OwnedBytes(packed[:-1000]), schema, found, ids=())
        return [(problem.kind, problem.line) for problem in found]

    ahead = problems()
    monkeypatch.setattr(batches, "one_ahead", lambda items: items)
    assert ahead == problems()
    assert ahead[-2][0] == "truncated" and ahead[-3][0] == "bad_line"


def test_check_reports_each_oddity_and_exits_1(tmp_path: Path) -> None:
    rows = [_reddit("a", "t3_p"), _reddit("b", "t1_zz"), _reddit("a", "t3_p"), _reddit("c", None)]
    path = _dump(tmp_path / "dump.ndjson", rows)
    result = invoke("check", str(path), "-f", "csv")
    assert result.exit_code == 1
    kinds = [line.split(",")[1] for line in result.stdout.splitlines()[1:]]
    assert kinds == ["summary", "missing_parent", "duplicate_id", "null_parent"]  # in line order
    assert "problems found: 4 comments" in result.stdout


def test_reddit_more_stubs_make_check_say_the_tree_is_incomplete() -> None:
    result = invoke("check", str(FORMATS / "reddit_thread.json"), "-f", "csv")
    assert result.exit_code == 1
    assert "missing_replies,,2 repl(ies) not in the file" in result.stdout


def test_an_unreadable_time_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    path = _dump(
        tmp_path / "c.jsonl", [{"id": "1", "text": "a", "time": "2024-01-01"}, {"id": "2", "text": "b", "time": "soon"}]
    )
    result = invoke("comments", str(path))
    assert result.exit_code == 4
    assert result.stderr == f"Error: {path}:2: cannot read the time 'soon'\n"
    report = invoke("check", str(path), "-f", "csv")
    assert "unreadable_date,2,soon" in report.stdout


def test_a_relative_youtube_time_without_time_parsed_is_left_empty_and_counted(tmp_path: Path) -> None:
    rows = [{"cid": "Ug1", "text": "hi", "time": "6 years ago", "author": "@a"}]
    (thread,) = load_threads(str(_dump(tmp_path / "yt.jsonl", rows)))
    assert thread.comments["timestamp"].isna().all()
    assert _kinds(thread) == {"relative_time": 1}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.one_of(st.none(), st.integers(0, 12))), max_size=25))
def test_any_records_give_a_valid_tree_keeping_every_comment(pairs: list[tuple[int, int | None]]) -> None:
    columns = {
        "thread": ["t"] * len(pairs),
        "id": [i for i, _ in pairs],
        "parent": [p for _, p in pairs],
        "author": [None] * len(pairs),
        "time": [None] * len(pairs),
        "text": [""] * len(pairs),
        "kind": ["comment"] * len(pairs),
        "line": list(range(1, len(pairs) + 1)),
    }
    if not pairs:
        with pytest.raises(InputError, match="holds no comments"):
            build_threads(columns, "f")
        return
    (thread,) = build_threads(columns, "f")
    frame = thread.comments
    validate_comments(frame)
    assert sorted(frame["line"]) == columns["line"]
    assert frame["position"].tolist() == list(range(len(pairs)))
    depth = dict(zip(frame["id"], frame["depth"], strict=True))
    position = dict(zip(frame["id"], frame["position"], strict=True))
    for cid, parent in zip(frame["id"], frame["parent_id"], strict=True):
        if not pd.isna(parent):
            assert depth[cid] == depth[parent] + 1 and position[cid] > position[parent]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.text(alphabet=st.sampled_from("ab \t\n\x1c\xa0\u2003\u3000é")), st.text()), max_size=8
    )
)
def test_word_counts_match_str_split(texts: list[str | None]) -> None:
    counts = word_counts(pa.array(texts, type=pa.large_string()))
    assert counts.tolist() == [len((t or "").split()) for t in texts]


def test_a_bad_first_line_of_a_generic_json_lines_file_does_not_hide_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{bad\n{"id": "c1", "text": "a"}\n{"id": "c2", "parent": "c1", "text": "b"}\n', encoding="utf-8")
    (thread,) = load_threads(str(path), reader="table")
    assert _rows(thread.comments, ["id", "parent_id", "line"]) == [["c1", None, 2], ["c2", "c1", 3]]
    assert _kinds(thread) == {"bad_line": 1}


def test_a_post_whose_only_comment_is_spam_is_an_empty_thread_that_says_so(tmp_path: Path) -> None:
    text = (FORMATS / "disqus.xml").read_text(encoding="utf-8")
    path = tmp_path / "spam.xml"
    path.write_text(text.replace("<isSpam>false</isSpam>", "<isSpam>true</isSpam>"), encoding="utf-8")
    ferry, market = load_threads(str(path))
    assert (len(ferry.comments), len(market.comments)) == (0, 0)
    assert ferry.problems == []
    assert dict(ferry.diagnostics.counts) == {"read": 0, "spam": 5}
    rows = check_rows(check_thread(ferry))
    assert rows[0]["detail"] == "clean: 0 comments, 5 of 5 records read"
    assert rows[1] == {
        "source": f"{path}#9001",
        "kind": "left_out",
        "line": None,
        "detail": "info: 5 spam records left out, as the source marks them",
    }
    assert market.source == f"{path}#9002"


def test_a_pretty_printed_firebase_array_is_detected(tmp_path: Path) -> None:
    items = [json.loads(line) for line in (FORMATS / "hn_firebase.jsonl").read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    (thread,) = load_threads(str(path))
    assert thread.source == f"{path}#8800"
    assert thread.comments["id"].tolist() == ["c8801", "c8802", "c8803", "c8804"]


def test_check_of_a_zst_dump_does_not_scan_the_compressed_bytes_as_text(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "RC.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress((FORMATS / "pushshift.ndjson").read_bytes()))
    result = invoke("check", str(path), "-f", "csv")
    kinds = [line.split(",")[1] for line in result.stdout.splitlines()[1:]]
    assert kinds == ["summary", "missing_parent", "summary"]
