"""A short run of the fuzz harness over every registered reader (``run_fuzz.py`` runs it long)."""

from __future__ import annotations

import random

import pytest
from harness import cli_finding, finding, inputs, samples_by_reader
from typer.testing import CliRunner

from commentscope.ingest import registry

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
