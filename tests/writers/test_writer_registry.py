"""The writers' registry: one line adds a format, the CLI offers it, and refuses what it cannot take."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from commentscope import writers
from commentscope.writers import Result, Target, UnsuitedOutput, WriteOptions, Writer, check_writer, writer_named

DEEP = Path(__file__).resolve().parent.parent.parent / "samples" / "deep.txt"


def test_every_registered_writer_names_a_function_that_exists() -> None:
    import importlib

    for writer in writers.WRITERS:
        assert callable(getattr(importlib.import_module(writer.module), writer.function)), writer.name


def test_an_unknown_format_names_the_registered_ones() -> None:
    with pytest.raises(UnsuitedOutput, match="choose from table, json, jsonl, csv, tsv"):
        writer_named("xml")


def test_a_graph_format_takes_only_the_kinds_it_says() -> None:
    graph = Writer("graphml", "toy", "write", "GraphML", "graphml", target=Target.file, kinds=("network", "tree"))
    check_writer(graph, Result("network", []), WriteOptions(), Path("out.graphml"))
    with pytest.raises(UnsuitedOutput, match="-f graphml does not suit comments; choose from table, json"):
        check_writer(graph, Result("comments", []), WriteOptions(), Path("out.graphml"))
    with pytest.raises(UnsuitedOutput, match="-f graphml writes a file; name it with -o"):
        check_writer(graph, Result("network", []), WriteOptions(), None)


def _toy_module(written: list[Any]) -> ModuleType:
    module = ModuleType("toy_writer")

    def write(data: Any, destination: Path, options: WriteOptions) -> None:
        written.append(data)
        Path(destination).write_bytes(b"TOY" + str(len(data)).encode())

    def write_tables(tables: dict[str, Any], destination: Path, options: WriteOptions) -> None:
        Path(destination).write_text(json.dumps(sorted(tables)), encoding="utf-8")

    module.write = write  # type: ignore[attr-defined]
    module.write_tables = write_tables  # type: ignore[attr-defined]
    return module


@pytest.fixture
def toy_writers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """A binary file writer and a many-tables writer, registered without touching the package."""
    written: list[Any] = []
    monkeypatch.setitem(sys.modules, "toy_writer", _toy_module(written))
    toys = [
        Writer("toy", "toy_writer", "write", "a toy binary format", "toy", target=Target.file, kinds=("network",)),
        Writer("toydb", "toy_writer", "write_tables", "a toy database", "db", target=Target.file, tables=True),
    ]
    monkeypatch.setattr(writers, "WRITERS", [*writers.WRITERS, *toys])
    return written


def test_a_toy_file_writer_runs_through_the_cli(toy_writers: list[Any], tmp_path: Path) -> None:
    from commentscope.cli import app

    runner = CliRunner()
    out = tmp_path / "net.toy"
    done = runner.invoke(app, ["network", str(DEEP), "-f", "toy", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_bytes() == b"TOY" + str(len(toy_writers[0])).encode() and len(toy_writers[0]) > 0
    assert [path.name for path in tmp_path.iterdir()] == ["net.toy"]  # no temporary file left
    refused = runner.invoke(app, ["comments", str(DEEP), "-f", "toy", "-o", str(tmp_path / "c.toy")])
    assert refused.exit_code == 2 and "-f toy does not suit comments" in refused.stderr
    to_stdout = runner.invoke(app, ["network", str(DEEP), "-f", "toy"])
    assert to_stdout.exit_code == 2 and "-f toy writes a file; name it with -o" in to_stdout.stderr


def test_export_hands_a_tables_writer_every_report_in_one_file(toy_writers: list[Any], tmp_path: Path) -> None:
    from commentscope.cli import app

    out = tmp_path / "reports.db"
    done = CliRunner().invoke(app, ["export", str(DEEP), "-f", "toydb", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text(encoding="utf-8")) == ["commenters", "comments", "network", "stats", "timeline"]


def test_a_result_gives_a_nested_writer_its_nested_form_only_when_it_has_one() -> None:
    nested = Result("tree", [{"flat": 1}], nested=lambda: [{"replies": []}])
    assert nested.for_writer(writer_named("json")) == [{"replies": []}]
    assert nested.for_writer(writer_named("csv")) == [{"flat": 1}]
    assert Result("comments", [{"a": 1}]).for_writer(writer_named("json")) == [{"a": 1}]
