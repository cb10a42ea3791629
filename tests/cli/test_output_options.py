"""Issue 18.2: the same output options on every command, and exit 2 for what a command cannot honour."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app
from commentscope.writers import writer_names

runner = CliRunner()
DEEP = Path(__file__).resolve().parent.parent.parent / "samples" / "deep.txt"


def invoke(*args: str):
    return runner.invoke(app, [args[0], str(DEEP), *args[1:]], env={"COLUMNS": "200"})


def test_the_format_choices_in_help_come_from_the_registry() -> None:
    shown = runner.invoke(app, ["comments", "-h"], env={"COLUMNS": "200"}).stdout
    assert "<table|json|jsonl|csv|tsv|graphml|gexf>" in shown  # export's own formats are export's
    export = runner.invoke(app, ["export", "-h"], env={"COLUMNS": "200"}).stdout
    assert "<json|jsonl|csv|tsv|sqlite|parquet|convokit>" in export
    assert writer_names() == [
        "table",
        "json",
        "jsonl",
        "csv",
        "tsv",
        "graphml",
        "gexf",
        "sqlite",
        "parquet",
        "convokit",
    ]


def test_fields_sort_and_limit_pick_order_and_cut_the_rows() -> None:
    done = invoke("comments", "-f", "tsv", "-F", "id,author,words", "--sort", "-words", "--limit", "3")
    assert done.exit_code == 0, done.output
    assert done.stdout == "id\tauthor\twords\nc7\tPriya N.\t26\nc7.1.1.1.1.1\tPriya N.\t23\nc6.1\tJana Whitfield\t19\n"
    ascending = invoke("comments", "-f", "jsonl", "-F", "words", "--sort", "words", "--limit", "2").stdout
    assert [json.loads(line) for line in ascending.splitlines()] == [{"words": 1}, {"words": 6}]


def test_no_header_and_stdout_as_dash() -> None:
    done = invoke("comments", "-f", "csv", "--no-header", "-F", "id,depth", "--limit", "2", "-o", "-")
    assert (done.exit_code, done.stdout) == (0, "c7,0\nc7.1,1\n")


def test_json_indent_and_fields_on_one_record() -> None:
    done = invoke("stats", "-f", "json", "--json-indent", "2", "-F", "comments,max_depth")
    assert done.stdout == '{\n  "comments": 10,\n  "max_depth": 5\n}\n'


def test_json_indent_keeps_the_values_of_compact_json() -> None:
    compact = json.loads(invoke("tree", "-f", "json").stdout)
    indented = invoke("tree", "-f", "json", "--json-indent", "3").stdout
    assert json.loads(indented) == compact and '\n   {\n      "id": "c7",' in indented


def test_fields_choose_the_table_columns() -> None:
    done = invoke("network", "-F", "target,source")
    assert done.exit_code == 0 and "replies" not in done.stdout
    assert done.stdout.index("target") < done.stdout.index("source") < done.stdout.index("Tom Baker")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("comments", "--sort", "bogus"), "'bogus' is not a field of comments; choose from id, parent_id, path, depth"),
        (("comments", "-F", "id,nope"), "'nope' is not a field of comments; choose from id,"),
        (("comments", "-f", "json", "--no-header"), "--no-header applies to -f csv, tsv, not to -f json"),
        (("comments", "-f", "csv", "--json-indent", "2"), "--json-indent applies to -f json, not to -f csv"),
        (("tree", "-F", "id"), "--fields, --sort and --limit apply to rows; tree -f table nests them"),
        (("stats", "--sort", "comments"), "No such option: --sort"),
        (("commenters", "--sort", "nope"), "cannot sort commenters by 'nope'; choose one of: author, comments"),
        (("commenters", "--top", "-2"), "-2 is not in the range x>=0"),
        (("timeline", "--freq", "fortnight"), "use hour, day, week, month, year or a pandas offset alias"),
        (("comments", "-f", "xml"), "'xml' is not a format; choose from table, json, jsonl, csv, tsv"),
        (("report", "-f", "json"), "report writes HTML; --format does not apply"),
    ],
)
def test_options_a_command_cannot_honour_exit_2_with_the_choices(args: tuple[str, ...], message: str) -> None:
    done = invoke(*args)
    assert done.exit_code == 2, done.output
    assert message in " ".join(done.stderr.split()) and done.stdout == ""


def test_h_is_help() -> None:
    assert runner.invoke(app, ["-h"]).stdout == runner.invoke(app, ["--help"]).stdout
    assert "--json-indent" in runner.invoke(app, ["check", "-h"], env={"COLUMNS": "200"}).stdout


def test_check_takes_jobs_and_strict(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(DEEP.read_text(encoding="utf-8"), encoding="utf-8")
    serial = runner.invoke(app, ["check", str(DEEP), str(other), "-f", "csv"])
    parallel = runner.invoke(app, ["check", str(DEEP), str(other), "-f", "csv", "-j", "2"])
    assert (serial.exit_code, parallel.exit_code) == (0, 0)
    assert parallel.stdout == serial.stdout and len(list(csv.reader(io.StringIO(serial.stdout)))) == 3
    missing = str(tmp_path / "missing.txt")
    lenient = runner.invoke(app, ["check", str(DEEP), missing, "-f", "jsonl"])
    assert lenient.exit_code == 1 and "missing.txt" in lenient.stdout
    strict = runner.invoke(app, ["check", missing, str(DEEP), "--strict", "-f", "jsonl"])
    assert strict.exit_code == 3 and strict.stdout == "" and "missing.txt: no such file" in strict.stderr


def test_export_takes_f_and_o_and_the_deprecated_aliases(tmp_path: Path) -> None:
    done = invoke("export", "-f", "tsv", "-o", str(tmp_path / "new"), "-q")
    assert (done.exit_code, done.stderr) == (0, "")
    assert sorted(path.name for path in (tmp_path / "new").iterdir()) == [
        f"{name}.tsv" for name in ("commenters", "comments", "network", "stats", "timeline")
    ]
    old = invoke("export", "--as", "json", "--out", str(tmp_path / "old"))
    assert old.exit_code == 0 and old.stderr.count("wrote ") == 5
    assert json.loads((tmp_path / "old" / "stats.json").read_text(encoding="utf-8"))["comments"] == 10
    shown = " ".join(runner.invoke(app, ["export", "-h"], env={"COLUMNS": "200"}).stdout.replace("│", " ").split())
    assert "--as is deprecated" in shown and "--out is deprecated" in shown


def test_export_refuses_what_it_cannot_write(tmp_path: Path) -> None:
    table = invoke("export", "-f", "table", "-o", str(tmp_path / "t"))
    assert table.exit_code == 2 and "-f table is for the terminal" in table.stderr
    assert not (tmp_path / "t").exists()
    nowhere = invoke("export")
    assert nowhere.exit_code == 2 and "name the folder" in nowhere.stderr


def test_the_tsv_of_a_real_process_reads_back_as_the_csv() -> None:
    def rows(fmt: str) -> list[list[str]]:
        done = subprocess.run(
            [sys.executable, "-m", "commentscope", "comments", str(DEEP), "-f", fmt],
            capture_output=True,
            text=True,
            check=True,
        )
        return list(csv.reader(io.StringIO(done.stdout), delimiter="\t" if fmt == "tsv" else ","))

    assert rows("tsv") == rows("csv")
