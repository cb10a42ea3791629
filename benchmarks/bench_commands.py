"""Time every command in every text format end to end against a pandas baseline measured in the same run.

Usage: python benchmarks/bench_commands.py [--comments 200000] [--repeats 1] [--commands ...] [--formats ...]

The baseline is what a pandas user would do with the same comments already saved as CSV: read
them with ``pandas.read_csv`` and write them out again in the same format, ``to_csv`` for CSV,
TSV and the table, ``to_json(orient="records", lines=True)`` for JSON and JSON Lines. Each
command's runs alternate with baseline runs of its format, so a busy machine slows both alike;
the ratio is the median of the per-pair ratios. Every run is a fresh subprocess writing to a
file (``-o``), so times include start-up and imports. Peak memory is each subprocess's own
``ru_maxrss`` (``os.wait4``), given as a multiple of the page's size. Pages come from
``generate.py`` under ``benchmarks/out/`` and are reused; ``bench_stats.py`` has the stats figures.

Targets (issue 14): every command within 2.5x its baseline, ``tree`` as a table within 5x,
``tree -f json`` within 4x, ``comments -f csv`` and ``-f jsonl`` within 1.5x of the pandas writer
alone; peak memory within 4x the file.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench_stats import OUT, compile_package, csv_copy, measure, page

COMMANDS = [
    "comments",
    "stats",
    "tree",
    "commenters",
    "timeline",
    "network",
    "threads",
    "hypergraph",
    "check",
    "export",
]
FORMATS = ["table", "json", "jsonl", "csv", "tsv"]
TARGET_MEMORY = 4.0
BASELINE = {
    "csv": "frame.to_csv(sys.argv[2], index=False)",
    "tsv": "frame.to_csv(sys.argv[2], index=False, sep='\\t')",
    "table": "frame.to_csv(sys.argv[2], index=False)",
    "json": "frame.to_json(sys.argv[2], orient='records', lines=True, date_format='iso')",
    "jsonl": "frame.to_json(sys.argv[2], orient='records', lines=True, date_format='iso')",
}


def target(command: str, fmt: str) -> float:
    if command == "tree" and fmt == "table":
        return 5.0
    if command == "tree" and fmt == "json":
        return 4.0
    return 2.5


def baseline_argv(table: Path, fmt: str, out: Path) -> list[str]:
    code = f"import sys, pandas; frame = pandas.read_csv(sys.argv[1]); {BASELINE[fmt]}"
    return [sys.executable, "-c", code, str(table), str(out)]


def command_argv(command: str, fmt: str, path: Path, out: Path) -> list[str]:
    where = ["-o", str(out / "export")] if command == "export" else ["-o", str(out / f"out.{fmt}")]
    extra = ["--force", "-q"] if command == "export" else []
    return [sys.executable, "-m", "commentscope", command, str(path), "-f", fmt, *where, *extra]


def writer_ratios(path: Path, repeats: int) -> None:
    """The writers alone, in this process: ``comments``' frame through commentscope's CSV and JSON Lines
    writers and through pandas' ``to_csv`` / ``to_json`` of the same frame, alternating, to /dev/null."""
    import time

    from commentscope.readers import load
    from commentscope.writers import WriteOptions, writer_named

    frame = load(str(path)).comments
    pairs = {
        "csv": lambda out: frame.to_csv(out, index=False),
        "jsonl": lambda out: frame.to_json(out, orient="records", lines=True, date_format="iso"),
    }
    print(f"{'writer alone':<24} {'seconds':>8} {'pandas':>9} {'ratio':>6} {'target':>7}")
    for name, pandas_writer in pairs.items():
        ratios, ours, theirs = [], [], []
        writer = writer_named(name)
        for _ in range(repeats):
            times = []
            ours_writer = functools.partial(writer.write, frame, options=WriteOptions())
            for write in (lambda out, ours_writer=ours_writer: ours_writer(destination=out), pandas_writer):
                with open(os.devnull, "w", encoding="utf-8") as out:
                    start = time.perf_counter()
                    write(out)
                    times.append(time.perf_counter() - start)
            ours.append(times[0])
            theirs.append(times[1])
            ratios.append(times[0] / times[1])
        ratio = statistics.median(ratios)
        seconds, baseline = statistics.median(ours), statistics.median(theirs)
        print(f"{'-f ' + name:<24} {seconds:>8.2f} {baseline:>9.2f} {ratio:>6.2f} {1.5:>7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--commands", nargs="+", default=COMMANDS)
    parser.add_argument("--formats", nargs="+", default=FORMATS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writers-only", action="store_true", help="only the writers alone, in this process")
    args = parser.parse_args()
    compile_package()
    OUT.mkdir(exist_ok=True)
    path = page(args.comments, "tree", args.seed)
    table = csv_copy(path)
    size = path.stat().st_size
    if args.writers_only:
        writer_ratios(path, max(args.repeats, 2))
        return
    print(
        f"{args.comments:,} comments, {size / 1e6:.0f} MB; {args.repeats} run(s) of each, alternating with its baseline"
    )
    print(f"{'command':<24} {'seconds':>8} {'baseline':>9} {'ratio':>6} {'target':>7} {'memory':>7}  ok")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        for command in args.commands:
            for fmt in args.formats:
                if command == "export" and fmt == "table":
                    continue
                runs, bases = [], []
                for _ in range(args.repeats):
                    bases.append(measure(baseline_argv(table, fmt, out / "baseline")))
                    runs.append(measure(command_argv(command, fmt, path, out)))
                ratio = statistics.median(r.seconds / b.seconds for r, b in zip(runs, bases, strict=True))
                memory = max(r.peak_bytes for r in runs) / size
                goal = target(command, fmt)
                ok = "yes" if ratio <= goal and memory <= TARGET_MEMORY else "NO"
                seconds = statistics.median(r.seconds for r in runs)
                base = statistics.median(b.seconds for b in bases)
                label = f"{command} -f {fmt}"
                print(f"{label:<24} {seconds:>8.2f} {base:>9.2f} {ratio:>6.2f} {goal:>7.1f} {memory:>6.1f}x  {ok}")
                sys.stdout.flush()
    # Last: a child forked from this process once it holds the frame would count the frame in its peak.
    writer_ratios(path, max(args.repeats, 2))


if __name__ == "__main__":
    main()
