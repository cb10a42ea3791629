"""Time ``commentscope stats`` over a folder of thousands of small pages, on one core and on all of them.

Usage: python benchmarks/bench_corpus.py [--pages 5000] [--comments 40] [--repeats 3] [--jobs N] [--seed 1]

The corpus is written once by ``generate.py``'s own functions (page ``i`` uses seed
``seed * 1_000_000 + i``) under ``benchmarks/out/corpus/`` and reused. Every run is a
fresh subprocess, ``commentscope stats DIR -f json -o /dev/null --quiet -j J`` with and
without ``--no-text``; the four variants take turns within each repeat (order reversed
on alternate repeats), so a busy machine slows them alike, and each figure is a median.
Peak RSS is ``ru_maxrss`` from ``os.wait4``: Linux reports the larger of the child's own
peak and that of any process it reaped, so with workers it is the biggest single process,
not their sum. The tree column adds up the proportional set size (PSS, shared pages split
between the processes sharing them) of the command and its workers, sampled every
0.1 s, so it is the memory the run really occupied. ``commenters`` is then run once, to
show it copes with the corpus too. commentscope's bytecode is compiled first, as in
``bench_stats.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_stats import compile_package
from generate import write

OUT = Path(__file__).resolve().parent / "out" / "corpus"
MB = 1_000_000
SAMPLE_SECONDS = 0.1


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    tree_bytes: int


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # gone between listing and reading
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc's children lists (iteratively)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    pending.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def measure(argv: list[str]) -> Run:
    """Wall time, the child's ru_maxrss (via wait4) and the sampled peak PSS of its whole process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not done.wait(SAMPLE_SECONDS):
            tree_peak = max(tree_peak, sum(_pss(pid) for pid in _tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{errors}")
    return Run(seconds, usage.ru_maxrss * 1024, tree_peak)  # Linux reports KiB


def corpus(pages: int, comments: int, seed: int) -> Path:
    """The folder of generated pages, written once (into a scratch folder renamed when complete)."""
    folder = OUT / f"{pages}x{comments}-seed{seed}"
    if folder.exists():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    for index in range(pages):
        write(comments, partial / f"page-{index:05d}.txt", seed * 1_000_000 + index)
    partial.rename(folder)
    return folder


@dataclass
class Variant:
    jobs: int
    no_text: bool
    runs: list[Run] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"-j {self.jobs}" + (" --no-text" if self.no_text else "")

    def argv(self, folder: Path) -> list[str]:
        command = [sys.executable, "-m", "commentscope", "stats", str(folder), "-f", "json", "-o", os.devnull]
        return [*command, "--quiet", "-j", str(self.jobs), *(["--no-text"] if self.no_text else [])]

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak(self) -> int:
        return max(run.peak_bytes for run in self.runs)

    @property
    def tree(self) -> int:
        return max(run.tree_bytes for run in self.runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=40, help="comments per page")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel runs")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    compile_package()
    started = time.perf_counter()
    folder = corpus(args.pages, args.comments, args.seed)
    size = sum(path.stat().st_size for path in folder.iterdir())
    print(f"corpus {folder} ({size / MB:.0f} MB) ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    variants = [Variant(jobs, no_text) for no_text in (False, True) for jobs in (1, args.jobs)]
    for repeat in range(args.repeats):
        for variant in variants if repeat % 2 == 0 else reversed(variants):
            variant.runs.append(measure(variant.argv(folder)))
            print(f"  {variant.label}: {variant.runs[-1].seconds:.1f} s", file=sys.stderr)

    commenters = measure(
        [sys.executable, "-m", "commentscope", "commenters", str(folder), "-f", "csv", "-o", os.devnull, "--quiet"]
    )
    report(args, size, variants, commenters)


def report(args: argparse.Namespace, size: int, variants: list[Variant], commenters: Run) -> None:
    print(
        f"`commentscope stats DIR -f json -o /dev/null --quiet -j J [--no-text]` over {args.pages:,} pages of"
        f" {args.comments} comments ({size / MB:.0f} MB); median of {args.repeats} runs, {os.cpu_count()} cores.\n"
    )
    print("| run | seconds | pages/s | speed-up | peak RSS MB (one process) | peak PSS MB (all processes) |")
    print("|---|---:|---:|---:|---:|---:|")
    for variant in variants:
        serial = next(v for v in variants if v.jobs == 1 and v.no_text == variant.no_text)
        print(
            f"| {variant.label} | {variant.seconds:.1f} | {args.pages / variant.seconds:,.0f} |"
            f" {serial.seconds / variant.seconds:.2f}x | {variant.peak / MB:.0f} | {variant.tree / MB:.0f} |"
        )
    print(
        f"\n`commentscope commenters DIR -f csv -o /dev/null --quiet` (all cores, one run): {commenters.seconds:.1f} s,"
        f" {args.pages / commenters.seconds:,.0f} pages/s, peak RSS {commenters.peak_bytes / MB:.0f} MB,"
        f" peak PSS {commenters.tree_bytes / MB:.0f} MB."
    )


if __name__ == "__main__":
    main()
