"""Time ``commentscope stats`` on a Pushshift-style dump, plain and .zst, against Arrow's own JSON reader.

    python benchmarks/bench_dump.py [--comments 1000000] [--threads 2000] [--repeats 3]

Every run is a fresh subprocess, alternating in rounds: the baseline (``pyarrow.json.read_json``
of the same file, then a group-by of ``link_id``), the reader alone (``load_threads``), and
``stats`` on the plain and the zstd file. Wall and CPU time (user and system, which a shared
machine inflates less) are medians over the rounds, with the plain ``stats`` against the baseline
of the same round too; peak memory is each child's ``ru_maxrss`` (``os.wait4``). The dump is
generated once into ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = (
    "import sys, pyarrow.json as pj; t = pj.read_json(sys.argv[1]); "
    "print(t.group_by('link_id').aggregate([('id', 'count')]).num_rows)"
)
READER = "import sys; from commentscope.readers import load_threads; print(len(load_threads(sys.argv[1])))"


def run(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system) and peak RSS (MB) of one child."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    dump = HERE / "out" / f"RC_{args.comments}_{args.threads}.ndjson"
    packed = Path(f"{dump}.zst")
    if not packed.exists():
        subprocess.run(
            [sys.executable, HERE / "generate_dump.py", str(args.comments), str(args.threads), dump, "--zst"],
            check=True,
        )
    stats = [sys.executable, "-m", "commentscope", "stats", "-f", "json", "-o", os.devnull, "-q"]
    commands = {
        "baseline: pyarrow.json.read_json + group_by(link_id)": [sys.executable, "-c", BASELINE, str(dump)],
        "reader alone: load_threads(plain)": [sys.executable, "-c", READER, str(dump)],
        "stats, plain": [*stats, str(dump)],
        "stats, .zst": [*stats, str(packed)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeats):
        for name, command in commands.items():
            seconds, cpu, peak = run(command)
            times[name].append(seconds)
            cpus[name].append(cpu)
            peaks[name].append(peak)
    size = dump.stat().st_size / 1e6
    baseline = "baseline: pyarrow.json.read_json + group_by(link_id)"
    base, base_cpu = statistics.median(times[baseline]), statistics.median(cpus[baseline])
    print(
        f"{args.comments:,} comments over {args.threads:,} threads: {size:.0f} MB plain, "
        f"{packed.stat().st_size / 1e6:.0f} MB .zst; median of {args.repeats} rounds\n"
    )
    print("| run | seconds | × baseline | CPU s | × baseline CPU | peak RSS MB | RSS / plain size |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in commands:
        seconds, cpu = statistics.median(times[name]), statistics.median(cpus[name])
        peak = max(peaks[name])
        print(
            f"| {name} | {seconds:.2f} | {seconds / base:.2f} | {cpu:.2f} | {cpu / base_cpu:.2f} | {peak:.0f} "
            f"| {peak / size:.2f} |"
        )
    ratios = [stats / base for stats, base in zip(times["stats, plain"], times[baseline], strict=True)]
    print(f"\nstats, plain / baseline in each round: {', '.join(f'{ratio:.2f}' for ratio in ratios)}")
    zst = statistics.median(times["stats, .zst"]) / statistics.median(times["stats, plain"])
    print(f"\n.zst / plain: {zst:.2f}×")


if __name__ == "__main__":
    main()
