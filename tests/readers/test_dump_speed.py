"""What the dump reader's speed machinery must not change: a large file read in one call of Arrow's
reader gives what batch by batch gives, ids keyed as integers find the parents string keys find,
words are counted as str.split counts them, and a chunked column is reordered as Arrow's take does."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentscope.readers import batches, load_threads, records
from commentscope.readers.records import word_counts


def _dump_lines(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        thread = rng.randrange(5)
        parent = f"t3_p{thread}" if i < 5 or rng.random() < 0.3 else f"t1_c{rng.randrange(i)}"
        row = {
            "id": f"c{i}",
            "parent_id": parent,
            "link_id": f"t3_p{thread}",
            "author": rng.choice(["ann", "bo", "[deleted]"]),
            "created_utc": 1_650_000_000 + i,
            "body": " ".join(rng.choice(["tide", "ferry", "bread"]) for _ in range(rng.randrange(1, 9))),
        }
        lines.append(json.dumps(row))
    return lines


def _read(path: Path) -> list[tuple]:
    threads = load_threads(str(path), lenient=True)
    return [
        (
            thread.source,
            thread.comments.astype(object).where(thread.comments.notna(), None).values.tolist(),
            [(p.kind, p.message, p.line) for p in thread.problems],
        )
        for thread in threads
    ]


ODD_LINES = {
    "plain": lambda lines: lines,
    "blank line": lambda lines: [*lines[:100], "", *lines[100:]],
    "blank first line": lambda lines: ["", *lines],
    "white space line": lambda lines: [*lines[:100], "   ", *lines[100:]],
    "two on a line": lambda lines: [*lines[:100], lines[100] + " " + lines[101], *lines[102:]],
    "bad line": lambda lines: [*lines[:100], '{"id": "x", "body": ', *lines[100:]],
    "time as text": lambda lines: [
        *lines[:100],
        json.dumps({**json.loads(lines[100]), "created_utc": "1"}),
        *lines[101:],
    ],
    "id as number": lambda lines: [*lines[:100], json.dumps({**json.loads(lines[100]), "id": 7}), *lines[101:]],
}


@pytest.mark.parametrize("odd", list(ODD_LINES))
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_a_large_dump_read_in_one_call_reads_as_batch_by_batch(
    odd: str, trailing_newline: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\n".join(ODD_LINES[odd](_dump_lines(600))) + ("\n" if trailing_newline else "")
    path = tmp_path / "RC_test.ndjson"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(batches, "BATCH_BYTES", 4096)  # the file is many batches long
    in_one_call = _read(path)
    monkeypatch.setattr(batches, "_whole", lambda data, schema: None)
    assert in_one_call == _read(path)


def test_the_one_call_is_taken_for_a_large_plain_dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "RC_test.ndjson"
    path.write_text("\n".join(_dump_lines(600)) + "\n", encoding="utf-8")
    monkeypatch.setattr(batches, "BATCH_BYTES", 4096)
    calls = []
    whole = batches._whole
    monkeypatch.setattr(batches, "_whole", lambda data, schema: calls.append(whole(data, schema)) or calls[-1])
    load_threads(str(path))
    assert calls and calls[0] is not None


_IDS = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "\x00"]))


@given(st.lists(st.tuples(st.integers(0, 2), _IDS, _IDS), max_size=30))
def test_integer_keys_find_the_parent_the_first_holder_of_its_id_in_its_thread(
    rows: list[tuple[int, str | None, str | None]],
) -> None:
    threads = np.array([thread for thread, _, _ in rows], dtype=np.int64)
    ids = pa.array([id for _, id, _ in rows], pa.large_string())
    parents = pa.array([parent for _, _, parent in rows], pa.large_string())

    keys, duplicate, parent = records._keyed_rows(threads, ids, parents)

    first: dict[tuple[int, str], int] = {}
    for row, (thread, id, _) in enumerate(rows):
        first.setdefault((thread, "\x00" if id is None else id), row)
    key_of = [(thread, "\x00" if id is None else id) for thread, id, _ in rows]
    assert duplicate.tolist() == [first[key] != row for row, key in enumerate(key_of)]
    assert parent.tolist() == [-1 if p is None else first.get((thread, p), -1) for thread, _, p in rows]
    assert all((keys[i] == keys[j]) == (key_of[i] == key_of[j]) for i in range(len(rows)) for j in range(len(rows)))


_SPACES = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000"
_NOT_SPACES = "\x00\x08\x0e\x1b\u200b\u2030\u3001\u1681\u2080\u0100é’🙂a"


@pytest.mark.parametrize("step", [1 << 20, 1, 8, 13])
def test_word_counts_are_str_splits_whatever_the_slices(step: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "_COUNTING_STEP", step)
    rng = random.Random(step)
    alphabet = _SPACES + _NOT_SPACES
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(12))) for _ in range(3000)] + [None, ""]
    chunked = pa.chunked_array([pa.array(texts[:1000]), pa.array(texts[1000:])])
    assert word_counts(chunked).tolist() == [len((text or "").split()) for text in texts]
