"""Long fuzz run of the parser and the CLI on mutated samples (minutes, on demand; not collected by pytest).

    python tests/fuzz/run_fuzz.py --minutes 5 [--seed 1] [--cli-every 50] [--out fuzz-findings]

Uses the mutations of ``tests/ingest/test_fuzz.py`` driven by a seeded ``random.Random``,
groups failures by kind (line over- or under-count, schema break, exception and where it
was raised), shrinks the first input of each kind by deleting lines and characters, and
writes each shrunk reproducer to ``--out``. Exit status 1 when anything was found.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))

from test_fuzz import (  # the mutations live with the quick test
    SAMPLE_TEXTS,
    TOKENS,
    Edit,
    apply_edits,
    assert_cli_survives,
)
from typer.testing import CliRunner

from commentscope.analysis.check import check_rows, check_thread
from commentscope.errors import CommentscopeError
from commentscope.ingest import load
from commentscope.model import validate_comments

# A marker-shaped line with another one as its first or second non-blank line below: the first bug found,
# where one line is both a comment's date (or author) line and a marker of its own.
_MARKER_UNDER_MARKER = re.compile(
    r"^[ \t]*(?:\d{1,9}\.|•)[^\n]*\n(?:[^\S\n]*\n)*(?:[^\n]*\S[^\n]*\n(?:[^\S\n]*\n)*)?[ \t]*(?:\d{1,9}\.|•)",
    re.MULTILINE,
)

OPS = ("delete", "duplicate", "indent", "dedent", "cut", "insert", "new_line", "swap", "end")


def random_piece(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(TOKENS)
    return "".join(chr(rng.choice((rng.randrange(0x20), rng.randrange(0x80, 0x3000)))) for _ in range(rng.randrange(8)))


def random_page(rng: random.Random) -> bytes:
    edits = [
        Edit(rng.choice(OPS), rng.randrange(10_000), random_piece(rng), rng.randrange(13))
        for _ in range(rng.randrange(12))
    ]
    data = apply_edits(rng.choice(SAMPLE_TEXTS), edits).encode("utf-8", "surrogatepass")
    for _ in range(rng.choice((0, 0, 0, 1, 2))):
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.randbytes(rng.randrange(1, 5)) + data[at:]
    return data


def signature(data: bytes) -> str | None:
    """What is wrong with the parse of ``data``, as a short stable key; None when all is well."""
    try:
        thread = load(io.BytesIO(data), lenient=True, name="fuzzed.txt")
        counted, nonblank = sum(thread.line_counts.values()), thread.nonblank_lines
        if counted != nonblank:
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
            where = "marker under a marker" if _MARKER_UNDER_MARKER.search(text) else "elsewhere"
            return f"lines {'over' if counted > nonblank else 'under'}-counted ({where})"
        try:
            validate_comments(thread.comments)
        except ValueError as error:
            return f"schema: {str(error).split(':')[0]}"
        report = check_thread(thread, data.decode("utf-8"))
        check_rows(report)
    except CommentscopeError:
        return None
    except Exception as error:  # the finding itself: where a bug surfaced
        frame = next(
            (f for f in reversed(traceback.extract_tb(error.__traceback__)) if "commentscope" in f.filename),
            traceback.extract_tb(error.__traceback__)[-1],
        )
        return f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
    return None


def shrink(data: bytes, key: str) -> bytes:
    """Delete lines, then characters, while the same finding remains."""
    for unit in (b"\n", None):
        pieces = data.split(b"\n") if unit else [data[i : i + 1] for i in range(len(data))]
        joiner = b"\n" if unit else b""
        i = 0
        while i < len(pieces):
            trial = pieces[:i] + pieces[i + 1 :]
            if signature(joiner.join(trial)) == key:
                pieces = trial
            else:
                i += 1
        data = joiner.join(pieces)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli-every", type=int, default=50, help="also run the CLI on every n-th input")
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    args = parser.parse_args()

    rng = random.Random(args.seed)
    runner = CliRunner()
    found: dict[str, tuple[int, bytes]] = {}
    runs = cli_runs = 0
    deadline = time.monotonic() + args.minutes * 60
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.txt"
        while time.monotonic() < deadline:
            data = random_page(rng)
            runs += 1
            key = signature(data)
            if args.cli_every and runs % args.cli_every == 0:
                cli_runs += 1
                page.write_bytes(data)
                try:
                    assert_cli_survives(runner, str(page))
                except AssertionError as error:
                    key = key or f"cli: {str(error)[:80]}"
            if key:
                count, first = found.get(key, (0, data))
                found[key] = (count + 1, first)

    print(f"{runs} mutated pages parsed, {cli_runs} of them through the CLI, seed {args.seed}")
    if not found:
        print("nothing found")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for number, (key, (count, first)) in enumerate(sorted(found.items()), start=1):
        small = shrink(first, key) if not key.startswith("cli") else first
        target = args.out / f"finding-{number}.txt"
        target.write_bytes(small)
        print(f"{key}: {count} inputs; shrunk reproducer {target}: {small!r}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
