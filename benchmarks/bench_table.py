"""Time the ``comments`` table against the same comments as JSON, on one comment with many replies.

Usage: python benchmarks/bench_table.py [--comments 100000] [--repeats 3] [--widths 80 200]

Every measurement is a fresh subprocess (``commentscope comments FILE`` with ``COLUMNS`` set,
stdout to /dev/null), so times include start-up, parsing and the records every format is made
from, as a user sees them. The table and the JSON alternate, so a busy machine slows both
alike; the ratio reported is the median of the per-pair ratios and its spread is the lowest
and the highest pair. Peak memory is each subprocess's own ``ru_maxrss`` from ``os.wait4``.
The page (a star: one comment and its direct replies) is written by ``generate.py`` under
``benchmarks/out/`` and reused.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from bench_stats import compile_package, page

TARGET_RATIO = 3.0  # the table within a few times the JSON's time


def measure(argv: list[str], columns: int) -> tuple[float, int]:
    """Wall time and peak resident memory (bytes) of one subprocess."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "COLUMNS": str(columns)}
    )
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(argv)} failed")
    return time.perf_counter() - start, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--widths", type=int, nargs="+", default=[80, 200])
    options = parser.parse_args()
    compile_package()
    path = page(options.comments, "star", 1)
    command = [sys.executable, "-m", "commentscope", "comments", str(path)]
    # Each width's table runs, each beside the JSON run just before it.
    pairs: dict[int, list[tuple[tuple[float, int], tuple[float, int]]]] = {width: [] for width in options.widths}
    for _ in range(options.repeats):
        for width in options.widths:
            pairs[width].append((measure([*command, "-f", "json"], width), measure(command, width)))
    json_runs = [plain for runs in pairs.values() for plain, _ in runs]
    print(f"star 1 + {options.comments - 1:,}, {options.repeats} runs each, {path.stat().st_size / 1e6:.1f} MB")
    print("| output | median s | peak RSS MB | ratio to JSON (median, lowest-highest) |")
    print("|---|---:|---:|---:|")
    json_seconds = statistics.median(seconds for seconds, _ in json_runs)
    print(f"| `-f json` | {json_seconds:.2f} | {max(peak for _, peak in json_runs) / 1e6:.0f} | 1 |")
    for width, runs in pairs.items():
        ratios = [table[0] / plain[0] for plain, table in runs]
        seconds = statistics.median(table[0] for _, table in runs)
        peak = max(table[1] for _, table in runs)
        ratio = statistics.median(ratios)
        print(
            f"| table, {width} columns | {seconds:.2f} | {peak / 1e6:.0f} "
            f"| {ratio:.2f} ({min(ratios):.2f}-{max(ratios):.2f}) {'met' if ratio <= TARGET_RATIO else 'NOT met'} |"
        )


if __name__ == "__main__":
    main()
