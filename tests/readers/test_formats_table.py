"""Any CSV or JSON Lines of comments, and commentscope's own output read back unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.readers import load_threads
from commentscope.readers.records import build_threads
from commentscope.writers import WriteOptions, writer_named

SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"
PAGES = ["small.txt", "deep.txt", "awkward.txt", "comments_only.txt"]


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("page", PAGES)
def test_own_comments_output_reads_back_to_the_same_comments(tmp_path: Path, fmt: str, page: str) -> None:
    written = invoke("comments", str(SAMPLES / page), "-f", fmt)
    assert written.exit_code == 0, written.output
    saved = tmp_path / f"comments.{fmt}"
    saved.write_text(written.stdout, encoding="utf-8")
    (original,) = load_threads(str(SAMPLES / page))
    (back,) = load_threads(str(saved))
    assert back.source == str(saved)
    pd.testing.assert_frame_equal(back.comments, original.comments)
    again = invoke("comments", str(saved), "-f", fmt)
    assert again.stdout == written.stdout


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_own_corpus_output_reads_back_to_the_same_threads(tmp_path: Path, fmt: str) -> None:
    paths = [str(SAMPLES / page) for page in PAGES]
    written = invoke("comments", *paths, "-f", fmt)
    saved = tmp_path / f"corpus.{fmt}"
    saved.write_text(written.stdout, encoding="utf-8")
    back = load_threads(str(saved))
    assert [thread.source for thread in back] == paths
    for thread, path in zip(back, paths, strict=True):
        pd.testing.assert_frame_equal(thread.comments, load_threads(path)[0].comments)
    assert invoke("comments", str(saved), "-f", fmt).stdout == written.stdout


def test_common_column_names_need_no_map_and_zoned_times_become_utc(tmp_path: Path) -> None:
    path = tmp_path / "scraped.csv"
    path.write_text(
        "comment_id,in_reply_to,user,created,body\n"
        "1,,ann,2024-01-01T10:00:00Z,hi there\n"
        "2,1,bob,2024-01-01T12:00:00+01:00,yo\n",
        encoding="utf-8",
    )
    (thread,) = load_threads(str(path))
    frame = thread.comments
    assert frame["parent_id"].tolist()[1] == "c1"
    assert frame["timestamp"].tolist() == [pd.Timestamp("2024-01-01 10:00"), pd.Timestamp("2024-01-01 11:00")]
    assert thread.timezone == "UTC"


def test_naive_times_stay_as_written() -> None:
    (thread,) = load_threads(str(SAMPLES / "formats" / "comments.csv"))
    assert thread.timezone is None
    assert thread.comments["timestamp"].iloc[0] == pd.Timestamp("2024-06-01 09:00")


def test_map_names_the_columns_and_groups_threads(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "key,reply,who,when,words,story\nx1,,Ana,1700000000,first,s1\nx2,x1,Bo,1700000060,second,s1\n", "utf-8"
    )
    result = invoke(
        "comments", str(path), "--map", "id=key,parent=reply,author=who,time=when,text=words,thread=story", "-f", "csv"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "x1,,c0,0,0,,Ana,,2023-11-14T22:13:20,first,1,1,comment,",
        "x2,x1,c0.1,1,1,,Bo,,2023-11-14T22:14:20,second,1,2,comment,",
    ]


def test_missing_required_columns_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = invoke("comments", str(path), "--from", "table")
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {path}: no column for id (id / comment_id / cid); text (text / body / message / content / comment); "
        "name one with --map, e.g. --map id=COLUMN (columns: a, b)\n"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [("id", "'id' is not FIELD=COLUMN"), ("colour=x", "'colour' is not a field; choose from id, parent")],
)
def test_a_bad_map_is_a_usage_error(value: str, message: str) -> None:
    result = invoke("comments", str(SAMPLES / "small.txt"), "--map", value)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_a_map_naming_an_absent_column_says_so(tmp_path: Path) -> None:
    result = invoke("comments", str(SAMPLES / "formats" / "comments.csv"), "--map", "parent=nope")
    assert result.exit_code == 3
    assert "--map names column 'nope', which the file lacks" in result.stderr


TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\r\x00"), max_size=30)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), TEXT, st.one_of(st.none(), TEXT.filter(str.strip))),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["csv", "jsonl"]),
)
def test_any_thread_written_as_csv_or_jsonl_reads_back_the_same(rows: list, fmt: str) -> None:
    """Random trees, texts (commas, quotes, newlines, any script) and anonymous authors survive the trip."""
    count = len(rows)
    columns = {
        "thread": [None] * count,
        "id": [f"c{i}" for i in range(count)],
        "parent": [f"c{p}" if p < i else None for i, (p, _, _) in enumerate(rows)],
        "author": [author for _, _, author in rows],
        "time": [pd.Timestamp("2024-05-01 10:00") + pd.Timedelta(minutes=i) for i in range(count)],
        "text": [text for _, text, _ in rows],
        "kind": ["comment"] * count,
        "line": list(range(1, count + 1)),
    }
    columns["time"] = np.array(columns["time"], dtype="datetime64[us]")
    (thread,) = build_threads(columns, "made", timezone=None)
    out = io.StringIO()
    writer_named(fmt).write(thread.comments, out, WriteOptions(raw_csv=True))
    (back,) = load_threads(io.BytesIO(out.getvalue().encode()), name="back")
    expected = thread.comments.assign(
        author=thread.comments["author"].where(thread.comments["author"].str.strip() != "")
    )
    pd.testing.assert_frame_equal(back.comments, expected)


_CELLS = st.one_of(
    st.just(""),
    st.text(alphabet=st.sampled_from('ab ,"\n\r\t\u00e9'), max_size=8),
    st.sampled_from(["2024-01-02 10:00", "2024-01-02T10:00:00+02:00", "1700000000", "not a time"]),
)


@st.composite
def comment_csvs(draw) -> bytes:
    """A CSV of comments: quoted cells with commas, quotes and newlines, empty cells, parents that
    name earlier rows or nothing, a thread column; every row a whole record."""
    count = draw(st.integers(1, 8))
    out = io.StringIO()
    frame = pd.DataFrame(
        {
            "id": [f"c{k}" for k in range(count)],
            "parent_id": [draw(st.sampled_from(["", *(f"c{j}" for j in range(k))])) for k in range(count)],
            "author": [draw(_CELLS) for _ in range(count)],
            "time": [draw(st.sampled_from(["", "2024-01-02 10:00", "2024-03-04 11:30"])) for _ in range(count)],
            "text": [draw(_CELLS) for _ in range(count)],
            "thread": [draw(st.sampled_from(["t1", "t2", ""])) for _ in range(count)],
        }
    )
    frame.to_csv(out, index=False)
    return out.getvalue().encode()


def _frames(threads):
    return [(thread.source, thread.comments.to_dict("list"), [p.kind for p in thread.problems]) for thread in threads]


@settings(max_examples=80, deadline=None)
@given(comment_csvs())
def test_csv_in_arrow_batches_reads_as_pandas_read_it_whole(data: bytes) -> None:
    from commentscope.errors import CommentscopeError
    from commentscope.readers import table
    from commentscope.readers.registry import ReadOptions

    results = []
    for read in (table._csv, table._pandas_csv):
        try:
            results.append(_frames(read(data, "x.csv", ReadOptions(lenient=True))))
        except CommentscopeError as error:
            results.append(str(error))
    assert results[0] == results[1]


def test_rows_short_of_cells_still_read(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("id,parent_id,author,text\n1,,ann,first\n2,1,bob\n", encoding="utf-8")
    (thread,) = load_threads(str(path))
    assert thread.comments["id"].tolist() == ["c1", "c2"]
    assert thread.comments["text"].tolist() == ["first", ""]
