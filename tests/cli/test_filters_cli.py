"""Issue 18.3, 18.5 and 18.6 through the front door: filters on every command that selects comments,
pages read once, and the network's anonymous node."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from commentscope.cli import app

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"
DEEP = str(SAMPLES / "deep.txt")


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_author_selects_comments_and_stats_say_so() -> None:
    listed = invoke("comments", DEEP, "--author", "Tom Baker", "-f", "csv", "-F", "id,author")
    assert (listed.exit_code, listed.stdout) == (0, "id,author\nc7.1,Tom Baker\nc7.1.1.1.1,Tom Baker\n")
    stats = json.loads(invoke("stats", DEEP, "--author", "Tom Baker", "-f", "json").stdout)
    assert (stats["comments"], stats["filters"]) == (2, "2 of 10 comments selected (author 'Tom Baker')")


def test_since_and_an_unknown_author_warn_on_stderr() -> None:
    since = invoke("comments", DEEP, "--since", "2021-03-04", "-f", "csv", "-F", "id")
    assert since.stdout == "id\nc7.1.1.1.1\nc7.1.1.1.1.1\nc7.2\n"
    typo = invoke("comments", DEEP, "--author", "Tom", "-f", "csv", "-F", "id")
    assert typo.stdout == "id\n"
    assert "Warning: no comment by 'Tom' (--author takes the name exactly as shown)" in typo.stderr
    assert "Warning: the filters select none of the 10 comments" in typo.stderr


def test_tree_keeps_the_ancestors_of_what_it_selects_as_context() -> None:
    done = invoke("tree", DEEP, "--author", "Tom Baker", "-f", "jsonl", "-F", "id,context")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows == [
        {"id": "c7", "context": True},
        {"id": "c7.1", "context": False},
        {"id": "c7.1.1", "context": True},
        {"id": "c7.1.1.1", "context": True},
        {"id": "c7.1.1.1.1", "context": False},
    ]
    assert "(context)" in invoke("tree", DEEP, "--author", "Tom Baker").stdout


def test_tree_root_takes_page_and_id_on_several_pages() -> None:
    small = str(SAMPLES / "small.txt")
    done = invoke("tree", DEEP, small, "--root", f"{small}:1", "-f", "jsonl", "-F", "source,id")
    assert [json.loads(line) for line in done.stdout.splitlines()] == [{"source": small, "id": "c1"}]


def test_network_shows_the_anonymous_node_by_default_and_mutual_pairs() -> None:
    table = invoke("network", DEEP)
    assert "(anonymous)" in table.stdout and "many people as one node (--named-only)" in table.stdout
    data = invoke("network", DEEP, "-f", "jsonl").stdout
    assert {"source": None, "target": "Priya N.", "replies": 2} in [json.loads(line) for line in data.splitlines()]
    named = invoke("network", DEEP, "--named-only", "-f", "csv").stdout
    assert named == "source,target,replies\nPriya N.,Tom Baker,2\nJana Whitfield,Gus Okafor,1\nTom Baker,Priya N.,1\n"
    mutual = invoke("network", DEEP, "--mutual", "-f", "csv").stdout
    assert mutual == "person_a,person_b,a_to_b,b_to_a,replies\nPriya N.,Tom Baker,2,1,3\n"


def test_timeline_nonzero_leaves_out_quiet_periods() -> None:
    every = list(csv.DictReader(io.StringIO(invoke("timeline", DEEP, "--freq", "hour", "-f", "csv").stdout)))
    busy = list(
        csv.DictReader(io.StringIO(invoke("timeline", DEEP, "--freq", "hour", "--nonzero", "-f", "csv").stdout))
    )
    assert busy == [row for row in every if row["comments"] != "0"]
    assert len(busy) == 8 < len(every)


def test_a_page_named_twice_is_read_once_with_a_warning() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "commentscope", "stats", DEEP, DEEP, "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["comments"] == 10
    assert done.stderr == f"Warning: {DEEP} is {DEEP} again; read once\n"


def test_contradicting_filters_are_usage_errors() -> None:
    done = invoke("comments", DEEP, "--min-depth", "3", "--max-depth", "1")
    assert done.exit_code == 2
    assert "min depth 3 is more than max depth 1" in done.stderr


def test_stats_of_a_dump_keeps_the_texts_that_grep_reads() -> None:
    """stats reads no text, so a dump's texts are left out, unless --grep asks for them."""
    dump = str(SAMPLES / "formats" / "pushshift.ndjson")
    pages = json.loads(invoke("stats", dump, "--grep", "tide", "-f", "json").stdout)
    assert [page["filters"] for page in pages] == [
        "2 of 4 comments selected (grep /tide/)",
        "1 of 2 comments selected (grep /tide/)",
    ]
    assert [page["words_total"] for page in json.loads(invoke("stats", dump, "-f", "json").stdout)] == [22, 13]
