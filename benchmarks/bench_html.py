"""Time ``commentscope stats`` on a saved WordPress page against the parser alone, and check that
time per comment is linear.

Usage: python benchmarks/bench_html.py [--repeats 3] [--sizes 5000 10000 20000 50000]

Pages come from ``generate_html.py`` (the core HTML5 comment walker) under ``benchmarks/out/``.
Every measurement is a fresh subprocess, as a user runs it; the runs of stats and of the baseline
alternate, so a busy machine slows both alike, and the figures are medians. The baseline parses
the same file with the same parser (lexbor, through selectolax) and selects every comment's
author and time nodes, the least any reader of the page must do. Peak memory is each
subprocess's own ``ru_maxrss``. Time per comment is net of start-up: the median of each run
less a run on a 10-comment page just after it. Each round's own ratio is printed too: the
machine's speed drifts between rounds, and stats and the baseline of one round drift together.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench_stats import MB, compile_package
from generate_html import write

OUT = Path(__file__).resolve().parent / "out"
TARGET_RATIO = 2.0
TARGET_MEMORY = 6.0
STARTUP_COMMENTS = 10
BASELINE = (
    "import sys\n"
    "from selectolax.lexbor import LexborHTMLParser\n"
    "tree = LexborHTMLParser(open(sys.argv[1], 'rb').read())\n"
    "for item in tree.css('li.comment'):\n"
    "    item.css_first('.comment-author .fn'), item.css_first('.comment-metadata time')\n"
)
COMMAND = [sys.executable, "-m", "commentscope", "stats", "-f", "json"]
#: Resident memory at each step of a bare parse of the whole page: what a reader holding the
#: page's one tree cannot go below.
FLOOR = """
import sys
import pandas, pyarrow
from selectolax.lexbor import LexborHTMLParser
def rss(step):
    print(step, next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmRSS")), sep="\t")
rss("pandas, pyarrow and selectolax imported")
data = open(sys.argv[1], "rb").read()
rss("the page's bytes read")
tree = LexborHTMLParser(data)
rss("the page parsed whole")
"""


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system: steadier than wall time on a busy machine
    peak_bytes: int


def measure(argv: list[str]) -> Run:
    """Wall and CPU time and peak resident memory of one subprocess (its own, via wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(argv)} failed")
    return Run(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def page(total: int) -> Path:
    path = OUT / f"wordpress-{total}.html"
    if not path.exists():
        write(total, path.with_suffix(".partial")).rename(path)
    return path


def floor(path: Path) -> None:
    """VmRSS after each step of parsing the page alone, against the file's size."""
    size = path.stat().st_size
    lines = subprocess.run([sys.executable, "-c", FLOOR, str(path)], check=True, capture_output=True, text=True)
    print(f"| {path.name}: {size / MB:.1f} MB | RSS MB | / file |\n|---|---:|---:|")
    for line in lines.stdout.splitlines():
        name, kilobytes = line.split("\t")
        print(f"| {name} | {int(kilobytes) * 1024 / MB:.0f} | {int(kilobytes) * 1024 / size:.1f}× |")


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--repeats", type=int, default=3)
    arguments.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000, 50_000])
    arguments.add_argument("--floor", action="store_true", help="resident memory of a bare parse")
    args = arguments.parse_args()
    compile_package()
    if args.floor:
        floor(page(max(args.sizes)))
        return
    small = page(STARTUP_COMMENTS)
    print(
        "| comments | MB | stats s (CPU) | baseline s (CPU) | ratio (CPU) | net µs/comment (CPU) | peak MB | / file |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    per_comment = {}
    rounds: dict[int, list[float]] = {}
    for total in args.sizes:
        path = page(total)
        stats: list[Run] = []
        baseline: list[Run] = []
        net: list[tuple[float, float]] = []
        for _ in range(args.repeats):
            stats.append(measure([*COMMAND, str(path)]))
            startup = measure([*COMMAND, str(small)])
            net.append((stats[-1].seconds - startup.seconds, stats[-1].cpu_seconds - startup.cpu_seconds))
            baseline.append(measure([sys.executable, "-c", BASELINE, str(path)]))
        size = path.stat().st_size
        rounds[total] = [run.seconds / base.seconds for run, base in zip(stats, baseline, strict=True)]

        def median(runs: list[Run], cpu: bool) -> float:
            return statistics.median(run.cpu_seconds if cpu else run.seconds for run in runs)

        wall, cpu = median(stats, False), median(stats, True)
        base_wall, base_cpu = median(baseline, False), median(baseline, True)
        net_wall = statistics.median(n for n, _ in net) / total * 1e6
        per_comment[total] = statistics.median(c for _, c in net) / total * 1e6
        peak = max(run.peak_bytes for run in stats)
        print(
            f"| {total:,} | {size / MB:.1f} | {wall:.2f} ({cpu:.2f}) | {base_wall:.2f} ({base_cpu:.2f}) "
            f"| {wall / base_wall:.2f}× ({cpu / base_cpu:.2f}×) | {net_wall:.0f} ({per_comment[total]:.0f}) "
            f"| {peak / MB:.0f} | {peak / size:.1f}× |"
        )
    for total, ratios in rounds.items():  # each round's own ratio: steadier when the machine's speed drifts
        shown = ", ".join(f"{ratio:.2f}" for ratio in ratios)
        print(f"\nstats / baseline in each round at {total:,}: {shown} (median {statistics.median(ratios):.2f}×)")
    low, high = min(per_comment.values()), max(per_comment.values())
    print(f"\nCPU time per comment spread {high / low - 1:.0%} over {len(per_comment)} sizes")
    print(f"targets: ratio <= {TARGET_RATIO}×, peak <= {TARGET_MEMORY}× the file")


if __name__ == "__main__":
    main()
