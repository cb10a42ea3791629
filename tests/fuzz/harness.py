"""A fuzz harness for every registered reader, driven by its samples.

Each reader's samples are the files under ``samples/`` that the registry gives it (by content,
then name), so a reader added later is fuzzed as soon as it has a sample, with no change here.
An input is a sample mutated by a seeded ``random.Random`` (slices deleted, doubled, moved or cut
off, bytes flipped or inserted, pieces of the sample spliced elsewhere), and ``finding`` says what
is wrong with reading it, as a short stable key:

- an exception that is not the project's own (``CommentscopeError``);
- the diagnostics not adding up (every non-blank line counted once, where a reader counts lines);
- a comments frame that breaks the schema (columns, dtypes, unique ids, known parents);
- ``check`` failing on the result;
- the CLI exiting 70 (on every ``cli_every``-th input).

``tests/fuzz/test_harness.py`` runs a few hundred inputs per reader in the suite;
``tests/fuzz/run_fuzz.py`` runs as many as asked, on every core.
"""

from __future__ import annotations

import io
import random
import traceback
from collections.abc import Iterator
from pathlib import Path

from commentscope.analysis.check import check_rows, check_thread
from commentscope.errors import CommentscopeError
from commentscope.model import COMMENT_SCHEMA, validate_comments
from commentscope.readers import load_with_text, registry
from commentscope.readers.textpage import LineKind

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def samples_by_reader() -> dict[str, list[Path]]:
    """Every sample file, under the reader the registry picks for it; every reader has a key."""
    found: dict[str, list[Path]] = {name: [] for name in registry.reader_names()}
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file() and path.name != "README.md":
            found[registry.detect(path.read_bytes()[: registry.SNIFF_BYTES], str(path)).name].append(path)
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random edits of the kinds real saves and exports suffer."""
    for _ in range(rng.randrange(1, 6)):
        size = len(data)
        at, length = rng.randrange(size + 1), rng.choice((1, 2, 8, 64, 512))
        kind = rng.randrange(7)
        if kind == 0:  # delete a slice
            data = data[:at] + data[at + length :]
        elif kind == 1:  # double a slice
            data = data[: at + length] + data[at : at + length] + data[at + length :]
        elif kind == 2:  # cut the rest off (a truncated file)
            data = data[:at]
        elif kind == 3:  # random bytes
            data = data[:at] + rng.randbytes(rng.randrange(1, 5)) + data[at:]
        elif kind == 4:  # flip one byte
            if size:
                spot = rng.randrange(size)
                data = data[:spot] + bytes([data[spot] ^ (1 << rng.randrange(8))]) + data[spot + 1 :]
        elif kind == 5:  # splice a piece of the input somewhere else: markup and fields in odd places
            start = rng.randrange(size + 1)
            data = data[:at] + data[start : start + length] + data[at:]
        else:  # swap two lines
            lines = data.split(b"\n")
            if len(lines) > 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                data = b"\n".join(lines)
    return data


def finding(reader: str, data: bytes, name: str) -> str | None:
    """What is wrong with reading ``data`` as ``reader``; None when it is read, or refused, cleanly."""
    try:
        threads, text = load_with_text(io.BytesIO(data), lenient=True, name=name, reader=reader)
        for thread in threads:
            comments = thread.comments
            if list(comments.columns) != list(COMMENT_SCHEMA):
                return "schema: columns"
            for column, (dtype, _) in COMMENT_SCHEMA.items():
                if str(comments[column].dtype) != dtype:
                    return f"schema: {column} is {comments[column].dtype}, not {dtype}"
            try:
                validate_comments(comments)
            except ValueError as error:
                return f"schema: {str(error).split(':')[0]}"
            diagnostics = thread.diagnostics
            if diagnostics.adds_up is False:
                over = diagnostics.accounted > (diagnostics.total or 0)
                return f"{diagnostics.unit} {'over' if over else 'under'}-counted"
            if diagnostics.unit == "lines" and not set(diagnostics.counts) <= set(LineKind):
                return "lines: unknown kinds"
            check_rows(check_thread(thread, text))
    except CommentscopeError:
        return None
    except Exception as error:  # the finding itself: where a bug surfaced
        frames = traceback.extract_tb(error.__traceback__)
        frame = next((f for f in reversed(frames) if "commentscope" in f.filename), frames[-1])
        return f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
    return None


def cli_finding(runner: object, reader: str, data: bytes) -> str | None:
    """The CLI on the input through standard input: any exit code but an internal error's."""
    from commentscope.cli import app

    for command in ("stats", "comments", "check"):
        result = runner.invoke(app, [command, "-", "--from", reader, "-f", "json"], input=data)  # type: ignore[attr-defined]
        if result.exit_code == 70 or result.exit_code not in (0, 1, 2, 3, 4, 5):
            return f"cli {command}: exit {result.exit_code}: {result.stderr.strip()[:100]}"
    return None


def inputs(reader: str, samples: list[Path], rng: random.Random, count: int) -> Iterator[tuple[bytes, str]]:
    """``count`` mutated inputs of ``reader``, each with the sample's name (patterns may matter)."""
    originals = [(path.read_bytes(), path.name) for path in samples]
    for _ in range(count):
        data, name = rng.choice(originals)
        yield mutate(data, rng), name
