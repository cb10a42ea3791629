"""Long fuzz run of every registered reader on its mutated samples (on demand; not collected by pytest).

    python tests/fuzz/run_fuzz.py --inputs 1000000 [--jobs 2] [--seed 0] [--cli-every 500] [--out fuzz-findings]

The inputs are shared out over the readers in turn and over ``--jobs`` processes, each with its
own seeded generator (see ``harness.py`` for the mutations and what counts as a finding). The
first input of each finding is written to ``--out``. Exit status 1 when anything was found.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import cli_finding, finding, inputs, samples_by_reader


def _run(job: tuple[int, int, int, int]) -> tuple[int, dict[str, tuple[int, str, bytes]]]:
    """One process's share: (inputs read, finding -> (count, reader, first input))."""
    seed, worker, count, cli_every = job
    from typer.testing import CliRunner

    samples = {name: paths for name, paths in samples_by_reader().items() if paths}
    readers = sorted(samples)
    runner = CliRunner()
    found: dict[str, tuple[int, str, bytes]] = {}
    done = 0
    for index, reader in enumerate(readers):
        share = count // len(readers) + (index < count % len(readers))
        rng = random.Random(f"{seed} {worker} {reader}")
        for number, (data, name) in enumerate(inputs(reader, samples[reader], rng, share)):
            key = finding(reader, data, name)
            if key is None and cli_every and number % cli_every == 0:
                key = cli_finding(runner, reader, data)
            if key is not None:
                seen, _, first = found.get(f"{reader}: {key}", (0, reader, data))
                found[f"{reader}: {key}"] = (seen + 1, reader, first)
            done += 1
    return done, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli-every", type=int, default=500, help="also run the CLI on every n-th input")
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    args = parser.parse_args()

    started = time.monotonic()
    shares = [args.inputs // args.jobs + (worker < args.inputs % args.jobs) for worker in range(args.jobs)]
    jobs = [(args.seed, worker, share, args.cli_every) for worker, share in enumerate(shares)]
    total = 0
    found: dict[str, tuple[int, str, bytes]] = {}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for done, findings in pool.map(_run, jobs):
            total += done
            for key, (count, reader, first) in findings.items():
                seen = found.get(key, (0, reader, first))
                found[key] = (seen[0] + count, reader, seen[2])
    readers = ", ".join(name for name, paths in sorted(samples_by_reader().items()) if paths)
    print(f"{total} mutated inputs over {readers} in {time.monotonic() - started:.0f} s, seed {args.seed}")
    if not found:
        print("nothing found")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for number, (key, (count, _, first)) in enumerate(sorted(found.items()), start=1):
        target = args.out / f"finding-{number}.bin"
        target.write_bytes(first)
        print(f"{key}: {count} inputs; first one in {target}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
