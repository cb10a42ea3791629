"""Time ``write_database`` (every table, keys, indexes, full-text index) against ``DataFrame.to_sql`` of
the comments table alone, on the same comments, in the same process.

Usage: python benchmarks/bench_sqlite.py [--comments 200000] [--repeats 3]

The page is written by ``generate.py`` under ``benchmarks/out/`` (reused) and parsed once; the
reports are built once, as ``export`` builds them. Then the two writes alternate, each into a fresh
file, so a busy machine slows both alike; the figures are the medians of the per-pair ratios, with
their spread, for wall-clock time and for the process's CPU time (steadier where other work shares the
cores; both are single-threaded). The target: at most 2.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import commentscope
    from commentscope.analysis import commenter_table, page_stats, reply_network, timeline
    from commentscope.analysis.thread_table import thread_table
    from commentscope.writers.sqlite import write_database

    page = HERE / "out" / f"page_{args.comments}.txt"
    if not page.exists():
        page.parent.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.comments), str(page)], check=True)
    thread = commentscope.load(str(page))
    comments = thread.comments
    reports = {
        "stats": page_stats(thread),
        "comments": comments,
        "commenters": commenter_table(comments),
        "timeline": timeline(comments, "D"),
        "network": reply_network(comments),
    }
    threads = thread_table([thread])

    def ours(target: Path) -> None:
        write_database(reports, threads, target)

    def baseline(target: Path) -> None:
        with closing(sqlite3.connect(target)) as db:
            comments.to_sql("comments", db, index=False)
            db.commit()

    clocks = {"wall": time.perf_counter, "cpu": time.process_time}
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.repeats):
            for name, write in (("to_sql", baseline), ("write_database", ours)):
                target = Path(folder) / f"{name}{run}.db"
                start = {clock: read() for clock, read in clocks.items()}
                write(target)
                for clock, read in clocks.items():
                    times.setdefault((name, clock), []).append(read() - start[clock])
    print(f"{len(comments)} comments, {args.repeats} pairs")
    for clock in clocks:
        theirs, mine = times[("to_sql", clock)], times[("write_database", clock)]
        ratios = [m / t for m, t in zip(mine, theirs, strict=True)]
        print(
            f"{clock}: to_sql (comments only) {statistics.median(theirs):.2f} s, "
            f"write_database (every table) {statistics.median(mine):.2f} s, "
            f"ratio median {statistics.median(ratios):.2f} (range {min(ratios):.2f}-{max(ratios):.2f}; target <= 2)"
        )


if __name__ == "__main__":
    main()
