"""A short run of the fuzz harness over every registered reader (``run_fuzz.py`` runs it long)."""

from __future__ import annotations

import random

import pytest
from harness import cli_finding, finding, inputs, samples_by_reader
from typer.testing import CliRunner

from commentscope.readers import registry

SAMPLES = samples_by_reader()
INPUTS_PER_READER = 150
CLI_EVERY = 25


def test_every_registered_reader_has_a_sample_to_fuzz() -> None:
    assert {name for name, paths in SAMPLES.items() if not paths} == set()
    assert set(SAMPLES) == set(registry.reader_names())


@pytest.mark.parametrize("reader", registry.reader_names())
def test_mutated_inputs_are_read_or_refused_cleanly(reader: str) -> None:
    rng = random.Random(f"fuzz {reader}")
    runner = CliRunner()
    found = {}
    for number, (data, name) in enumerate(inputs(reader, SAMPLES[reader], rng, INPUTS_PER_READER)):
        key = finding(reader, data, name)
        if key is None and number % CLI_EVERY == 0:
            key = cli_finding(runner, reader, data)
        if key is not None:
            found.setdefault(key, data[:300])
    assert found == {}


def test_a_dump_with_bytes_that_are_not_utf8_inside_its_strings_is_read_and_says_so() -> None:
    """A finding of the long run: Arrow's JSON reader passed the bytes on, and a later step failed."""
    import io

    from commentscope.readers import load_threads

    lines = (SAMPLES["pushshift"][0]).read_bytes().splitlines(keepends=True)
    broken = lines[0].replace(b'"id": "', b'"id": "\xff', 1)
    (thread,) = load_threads(io.BytesIO(broken + b"".join(lines[1:])), name="dump.ndjson", reader="pushshift")[:1]
    assert any(problem.kind == "bytes_replaced" for problem in thread.problems)
    assert "\ufffd" in "".join(thread.comments["id"])


def test_findings_of_the_long_run_on_times_are_read_cleanly() -> None:
    """Fractional epoch seconds beside whole ones, and a time whose damage pandas reads as a zone."""
    from harness import finding

    from commentscope.readers.records import utc_times

    times, unread = utc_times([1700000000, 1.07000012, "2023-11-14T22:38:20Z"])
    assert [str(time) for time in times] == [
        "2023-11-14T22:13:20.000000",
        "1970-01-01T00:00:01.070000",
        "2023-11-14T22:38:20.000000",
    ]
    assert not unread.any()
    damaged = (
        b"id,parent_id,author,timestamp,text\n"
        b'a1,,Rosa Lind,2024-06-01 09:00,"The path is flooded."\n'
        b'a3,a1,,2024-06-01 10-0:05,"Again."\n'
        b'a4,,Mei Tan,2024-06-01 11:30,"Is the bridge open?"\n'
    )
    assert finding("table", damaged, "comments.csv") is None
