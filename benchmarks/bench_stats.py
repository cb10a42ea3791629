"""Time ``commentscope stats`` end to end against a pandas baseline, and check it scales linearly.

Usage: python benchmarks/bench_stats.py [--repeats 3] [--sizes 10000 50000 100000 200000] [--chain 10000] [--star 50000]

Every measurement is a fresh subprocess, so times include start-up and imports, as a
user sees them. The baseline is what a pandas user would do with the same comments
already saved as CSV: ``pandas.read_csv`` plus one groupby. Runs of the two alternate,
so a busy machine slows both alike, and the ratio reported is the median of the per-pair
ratios; pages are measured in rounds, each page in turn, so a slow spell hits every size.
Peak memory is each subprocess's own ``ru_maxrss`` from ``os.wait4`` (the rusage of that
one child, not the maximum over all children). Pages are written by ``generate.py`` under
``benchmarks/out/`` and reused.

Time per comment is net of start-up: each run is followed by a run on a 10-comment page,
and the figure is the median of the differences. That difference is small for a small
page next to start-up's own noise (tens of milliseconds), so pages under 100 MB get up
to ten times the runs.

commentscope's bytecode is compiled first, as ``pip install`` does: a checkout run with
PYTHONDONTWRITEBYTECODE set (as on some machines) would otherwise compile every module
on every run, about 30 ms that no installed copy pays.
"""

from __future__ import annotations

import argparse
import compileall
import math
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from generate import write

import commentscope

OUT = Path(__file__).resolve().parent / "out"
MB = 1_000_000
TARGET_RATIO = 2.0
TARGET_MEMORY = 4.0
TARGET_SPREAD = 0.25
STARTUP_COMMENTS = 10
BASELINE = "import sys, pandas; frame = pandas.read_csv(sys.argv[1]); frame.groupby('author').size()"
COMMAND = [sys.executable, "-m", "commentscope", "stats", "-f", "json"]
DESCRIBED = "commentscope stats FILE -f json"


@dataclass
class Run:
    seconds: float
    peak_bytes: int


def measure(argv: list[str]) -> Run:
    """Wall time and peak resident memory of one subprocess (its own, via wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{errors}")
    return Run(seconds, usage.ru_maxrss * 1024)  # Linux reports KiB


def compile_package() -> None:
    """Write commentscope's bytecode caches, as installing it does."""
    compileall.compile_dir(Path(commentscope.__file__).parent, quiet=1)


def page(total: int, shape: str, seed: int) -> Path:
    path = OUT / f"{shape}-{total}-seed{seed}.txt"
    if not path.exists():
        write(total, path.with_suffix(".partial"), seed, shape).rename(path)
    return path


def csv_copy(path: Path) -> Path:
    """The same comments as CSV, written once by commentscope itself, for the baseline."""
    target = path.with_suffix(".csv")
    if not target.exists():
        subprocess.run(
            [sys.executable, "-m", "commentscope", "comments", str(path), "-f", "csv", "-o", str(target)],
            check=True,
            stderr=subprocess.DEVNULL,
        )
    return target


@dataclass
class Result:
    """Runs of one page, each paired with a run on the 10-comment page just after it, so that the
    time net of start-up is a median of differences taken close together."""

    label: str
    comments: int
    path: Path
    startup_path: Path
    table: Path | None  # the same comments as CSV, for the baseline
    stats: list[Run] = field(default_factory=list)
    startup: list[Run] = field(default_factory=list)
    baseline: list[Run] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def runs_per_round(self) -> int:
        """A page under 100 MB is run more times (up to 10x): its time net of start-up is small next
        to start-up's own noise."""
        return min(10, max(1, round(100 * MB / self.size)))

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.stats)

    @property
    def net_seconds(self) -> float:
        return statistics.median(s.seconds - u.seconds for s, u in zip(self.stats, self.startup, strict=True))

    @property
    def per_comment(self) -> float:
        """Microseconds per comment, net of start-up."""
        return self.net_seconds / self.comments * 1e6

    @property
    def net_speed(self) -> float:
        """MB per second, net of start-up."""
        return self.size / MB / self.net_seconds

    @property
    def peak(self) -> int:
        return max(run.peak_bytes for run in self.stats)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return statistics.median(s.seconds / b.seconds for s, b in zip(self.stats, self.baseline, strict=True))


def prepare(label: str, total: int, shape: str, seed: int, baseline: bool) -> Result:
    path = page(total, shape, seed)
    return Result(label, total, path, page(STARTUP_COMMENTS, "tree", seed), csv_copy(path) if baseline else None)


def run_rounds(results: list[Result], repeats: int) -> None:
    """Each round runs every page in turn, so that a slow spell of the machine slows every size
    alike rather than whichever page was being measured."""
    for round_number in range(1, repeats + 1):
        for result in results:
            for _ in range(result.runs_per_round):
                result.stats.append(measure([*COMMAND, str(result.path)]))
                result.startup.append(measure([*COMMAND, str(result.startup_path)]))
                if result.table is not None:
                    result.baseline.append(measure([sys.executable, "-c", BASELINE, str(result.table)]))
        print(f"  round {round_number} of {repeats} done", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000, 200_000])
    parser.add_argument("--chain", type=int, default=10_000, help="depth of the reply chain")
    parser.add_argument("--star", type=int, default=50_000, help="comments in the star (one comment + replies)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    compile_package()
    print(f"measuring {DESCRIBED}, at least {args.repeats} runs each", file=sys.stderr)
    trees = [prepare(f"thread {n:,}", n, "tree", args.seed, True) for n in args.sizes]
    shapes = [
        prepare(f"chain {args.chain:,} deep", args.chain, "chain", args.seed, False),
        prepare(f"star 1 + {args.star - 1:,}", args.star, "star", args.seed, False),
    ]
    run_rounds([*trees, *shapes], args.repeats)
    report(args.repeats, trees, shapes)


def report(repeats: int, trees: list[Result], shapes: list[Result]) -> None:
    startup = statistics.median(run.seconds for r in [*trees, *shapes] for run in r.startup)
    print(
        f"Command: `{DESCRIBED}`; medians of {repeats} runs per page, more for pages under 100 MB;"
        f" start-up ({STARTUP_COMMENTS}-comment page, run after each) {startup:.2f} s.\n"
    )
    print(
        "| page | comments | MB | runs | stats s | baseline s | ratio | comments/s | MB/s | peak RSS MB | RSS / file |"
        " µs/comment net of start-up |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in [*trees, *shapes]:
        baseline = f"{statistics.median(b.seconds for b in r.baseline):.2f}" if r.baseline else "–"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "–"
        print(
            f"| {r.label} | {r.comments:,} | {r.size / MB:.1f} | {len(r.stats)} | {r.seconds:.2f} | {baseline} |"
            f" {ratio} | {r.comments / r.seconds:,.0f} | {r.size / MB / r.seconds:.1f} | {r.peak / MB:.0f} |"
            f" {r.peak / r.size:.1f} | {r.per_comment:.1f} |"
        )

    largest = max(trees, key=lambda r: r.comments)
    tree_costs = [r.per_comment for r in trees]
    spread = max(tree_costs) / min(tree_costs) - 1
    checks = [
        (
            f"stats at {largest.comments:,} ≤ {TARGET_RATIO}x baseline",
            f"{largest.ratio:.2f}x",
            largest.ratio <= TARGET_RATIO,
        ),
        (
            f"peak RSS at {largest.comments:,} ≤ {TARGET_MEMORY}x file",
            f"{largest.peak / largest.size:.1f}x",
            largest.peak / largest.size <= TARGET_MEMORY,
        ),
        (
            f"µs/comment across {', '.join(f'{r.comments:,}' for r in trees)} within {TARGET_SPREAD:.0%}",
            f"{spread:.0%}",
            spread <= TARGET_SPREAD,
        ),
    ]
    # Each shape against the thread with as many comments; and, as a chain's file grows with the
    # square of its depth (each line is indented 2(d+1) columns), against the largest thread per MB.
    for r in shapes:
        like = min(trees, key=lambda tree: abs(math.log(tree.comments / r.comments)))
        checks += [
            (
                f"{r.label} ≤ thread {like.comments:,} µs/comment",
                f"{r.per_comment:.1f} vs {like.per_comment:.1f}",
                r.per_comment <= like.per_comment,
            ),
            (
                f"{r.label} ≥ thread {largest.comments:,} MB/s net of start-up",
                f"{r.net_speed:.1f} vs {largest.net_speed:.1f}",
                r.net_speed >= largest.net_speed,
            ),
        ]
    print("\n| target | measured | met |\n|---|---:|:---:|")
    for name, value, met in checks:
        print(f"| {name} | {value} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()
