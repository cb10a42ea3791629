"""Issue 14.7: a reader and a writer added from outside the package, with no edit to it, run
through the CLI like the built-in ones (the steps are in the README's "How it is built")."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import pytest
from typer.testing import CliRunner

from commentscope import writers
from commentscope.cli import app
from commentscope.readers import registry
from commentscope.readers.records import Records
from commentscope.writers import WriteOptions, Writer

runner = CliRunner()


def _toy_reader() -> ModuleType:
    """A format of one line per comment: ``id|parent|author|time|text``, after a ``#toy`` line."""
    module = ModuleType("toy_reader")

    def sniff(head: bytes) -> bool:
        return head.startswith(b"#toy\n")

    def read(page: registry.OwnedBytes, source: str, options: registry.ReadOptions) -> list[Any]:
        records = Records()
        for number, line in enumerate(bytes(page.take()).decode().splitlines()[1:], start=2):
            id_, parent, author, time, text = line.split("|")
            records.add(None, id_, parent or None, author or None, time, text, line=number)
        return records.threads(source, lenient=options.lenient)

    module.sniff, module.read = sniff, read  # type: ignore[attr-defined]
    return module


def _toy_writer() -> ModuleType:
    """Every row as ``id -> parent``, one a line."""
    module = ModuleType("toy_writer_out")

    def write(data: Any, stream: IO[str], options: WriteOptions) -> None:
        for row in data.itertuples(index=False):
            stream.write(f"{row.id} -> {row.parent_id if isinstance(row.parent_id, str) else '-'}\n")

    module.write = write  # type: ignore[attr-defined]
    return module


@pytest.fixture
def toys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "toy_reader", _toy_reader())
    monkeypatch.setitem(sys.modules, "toy_writer_out", _toy_writer())
    toy = registry.Reader("toy", "toy_reader", ("*.toy",), "a toy format")
    monkeypatch.setattr(registry, "READERS", [toy, *registry.READERS])
    arrows = Writer("arrows", "toy_writer_out", "write", "id -> parent", "txt", kinds=("comments",))
    monkeypatch.setattr(writers, "WRITERS", [*writers.WRITERS, arrows])


PAGE = (
    "#toy\na||Ann|2024-01-02T10:00:00Z|first\nb|a|Bo|2024-01-02T11:00:00Z|a reply\nc|b||2024-01-02T12:00:00Z|and one\n"
)


def test_a_toy_reader_and_writer_run_through_the_cli(toys: None, tmp_path: Path) -> None:
    page = tmp_path / "thread.toy"
    page.write_text(PAGE, encoding="utf-8")
    listed = runner.invoke(app, ["comments", str(page), "-f", "arrows"])
    assert (listed.exit_code, listed.stdout) == (0, "a -> -\nb -> a\nc -> b\n")
    stats = runner.invoke(app, ["stats", str(page), "-f", "jsonl", "-F", "comments,max_depth,anonymous"])
    assert stats.stdout == '{"comments": 3, "max_depth": 2, "anonymous": 1}\n'
    # found in a folder by its pattern, and forced with --from whatever the name
    assert runner.invoke(app, ["comments", str(tmp_path), "-f", "arrows"]).stdout == "a -> -\nb -> a\nc -> b\n"
    renamed = tmp_path / "other.dat"
    renamed.write_text(PAGE, encoding="utf-8")
    assert runner.invoke(app, ["comments", str(renamed), "--from", "toy", "-f", "csv", "-F", "path"]).stdout == (
        "path\nc0\nc0.1\nc0.1.1\n"
    )
    refused = runner.invoke(app, ["network", str(page), "-f", "arrows"])
    assert refused.exit_code == 2 and "-f arrows does not suit network" in refused.stderr
