"""The Parquet folder: read back with pandas, pyarrow and DuckDB, compared with the frames written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import build_export

from commentscope.errors import ExitCode, OutputError
from commentscope.model import COMMENT_SCHEMA
from commentscope.writers.parquet import DICTIONARY_COLUMNS, METADATA_KEY, write_parquet
from commentscope.writers.sqlite import export_tables

NAMES = ["threads", "stats", "comments", "commenters", "timeline", "network"]


@pytest.fixture
def folder(export, tmp_path: Path) -> Path:
    paths = write_parquet(export.reports, export.table, tmp_path / "out")
    assert [path.name for path in paths] == [f"{name}.parquet" for name in NAMES]
    return tmp_path / "out"


def as_written(export) -> dict[str, pd.DataFrame]:
    return export_tables(export.reports, export.table, Path("out"))


def test_pandas_reads_every_table_back(export, folder: Path) -> None:
    for name, frame in as_written(export).items():
        back = pd.read_parquet(folder / f"{name}.parquet")
        for column in back.columns:
            if column in DICTIONARY_COLUMNS and isinstance(back[column].dtype, pd.CategoricalDtype):
                back[column] = back[column].astype(frame[column].dtype)
        pd.testing.assert_frame_equal(back, frame, check_dtype=True)


def test_pyarrow_sees_the_types(export, folder: Path) -> None:
    table = pq.read_table(folder / "comments.parquet")
    schema = table.schema
    assert schema.field("timestamp").type == pa.timestamp("us")
    assert schema.field("number").type == pa.int64()
    assert schema.field("author").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("source").type == pa.dictionary(pa.int32(), pa.string())
    assert schema.field("depth").type == pa.int64()
    comments = export.comments
    assert table.column("author").null_count == comments["author"].isna().sum() > 0
    assert table.column("number").null_count == comments["number"].isna().sum() > 0
    assert (
        table.column("author").to_pylist()
        == comments["author"].astype(object).where(comments["author"].notna(), None).tolist()
    )
    assert table.column("timestamp").to_pylist() == [t.to_pydatetime() for t in comments["timestamp"]]
    assert pq.read_table(folder / "threads.parquet").schema.field("published").type == pa.timestamp("us")
    assert pq.read_table(folder / "commenters.parquet").schema.field("anonymous").type == pa.bool_()


def test_the_schema_documentation_is_in_the_file(folder: Path) -> None:
    schema = pq.read_schema(folder / "comments.parquet")
    documented = json.loads(schema.metadata[METADATA_KEY])
    assert documented["table"] == "comments"
    for column, (dtype, meaning) in COMMENT_SCHEMA.items():
        assert documented["columns"][column] == {"dtype": dtype, "meaning": meaning}
        assert schema.field(column).metadata[b"description"].decode() == meaning
    assert json.loads(pq.read_schema(folder / "threads.parquet").metadata[METADATA_KEY])["columns"]["source"]


def test_duckdb_reads_it(export, folder: Path) -> None:
    duckdb = pytest.importorskip("duckdb", reason="DuckDB is not installed (it comes with the test extra)")
    comments, threads = folder / "comments.parquet", folder / "threads.parquet"
    with duckdb.connect() as db:
        types = {row[0]: row[1] for row in db.execute(f"DESCRIBE SELECT * FROM '{comments}'").fetchall()}
        joined = db.execute(
            f"SELECT t.title, count(*) FROM '{comments}' c JOIN '{threads}' t USING (source) GROUP BY 1 ORDER BY 1"
        ).fetchall()
        anonymous = db.execute(f"SELECT count(*) FROM '{comments}' WHERE author IS NULL").fetchall()
    assert (types["timestamp"], types["number"], types["depth"], types["author"]) == (
        "TIMESTAMP",
        "BIGINT",
        "BIGINT",
        "VARCHAR",
    )
    titles = {thread.source: thread.article.title for thread in export.threads}
    expected = export.comments["source"].map(titles).value_counts().sort_index()
    assert joined == list(expected.items())
    assert anonymous == [(export.comments["author"].isna().sum(),)]


def test_refuses_to_overwrite_without_force(export, folder: Path) -> None:
    with pytest.raises(OutputError, match=r"would overwrite .*threads\.parquet.* \(use --force\)") as raised:
        write_parquet(export.reports, export.table, folder)
    assert raised.value.exit_code == ExitCode.OUTPUT
    small = build_export(["small.txt"])
    write_parquet(small.reports, small.table, folder, force=True)
    assert len(pd.read_parquet(folder / "comments.parquet")) == len(small.comments)
    assert sorted(path.name for path in folder.iterdir()) == sorted(f"{name}.parquet" for name in NAMES)


def test_a_single_page_gets_its_source(tmp_path: Path) -> None:
    small = build_export(["small.txt"])
    write_parquet(small.reports, small.table, tmp_path)
    assert set(pd.read_parquet(tmp_path / "comments.parquet")["source"]) == {small.threads[0].source}
