"""Anonymous comments: null in every data format, one label in every table."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app

DEEP = str(Path(__file__).resolve().parents[2] / "samples" / "deep.txt")
#: The command and the fields that name a commenter in its rows.
NAMING = {
    "comments": ["author"],
    "tree": ["author"],
    "commenters": ["author"],
    "network": ["source", "target"],
    "threads": ["author"],
}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.mark.parametrize("command", NAMING)
def test_tables_name_anonymous_the_same_way(command: str) -> None:
    table = invoke(command, DEEP).stdout
    assert "(anonymous)" in table
    assert not re.search(r"(?<!\()anonymous(?!\))", table.replace("Anonymous reader", ""))


@pytest.mark.parametrize("command", NAMING)
def test_data_formats_keep_anonymous_null(command: str) -> None:
    rows = [json.loads(line) for line in invoke(command, DEEP, "-f", "jsonl").stdout.splitlines()]
    names = [row[field] for row in rows for field in NAMING[command]]
    assert None in names and "(anonymous)" not in names and "anonymous" not in names
    cells = list(csv.DictReader(io.StringIO(invoke(command, DEEP, "-f", "csv").stdout)))
    named = [row[field] for row in cells for field in NAMING[command]]
    assert "" in named and "(anonymous)" not in named
