"""Time ``commentscope report`` against ``commentscope stats`` on the same page, and the page in a browser.

Usage: python benchmarks/bench_report.py [--repeats 3] [--sizes 50000 200000] [--chain 3000] [--star 50000]

Targets (issue 20): the report of a 200,000-comment thread is under 20 MB, writing it takes at
most 2x what ``stats`` takes on the same page, and it is interactive within 5 s in headless
Chromium. Every run is a fresh subprocess, as a user runs it; runs of the two commands
alternate, and the ratio reported is the median of the per-pair ratios, so a busy machine
slows both alike. "Interactive" is the time from asking headless Chromium (Debian's
``chromium``, through Playwright) to open the file to the moment the page's script has set
``data-ready``: parsed, laid out and listening. Pages are written by ``generate.py`` under
``benchmarks/out/`` and reused.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench_stats import MB, OUT, compile_package, measure, page

TARGET_RATIO = 2.0
TARGET_MB = 20
TARGET_INTERACTIVE = 5.0
STATS = [sys.executable, "-m", "commentscope", "stats", "-f", "json"]
REPORT = [sys.executable, "-m", "commentscope", "report"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def interactive_seconds(report: Path, repeats: int) -> float | None:
    """Median seconds until the report's script is ready, in a new tab each time; None without a browser."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(repeats):
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            start = time.perf_counter()
            tab.goto(report.resolve().as_uri())
            tab.wait_for_selector("html[data-ready='1']", state="attached", timeout=60_000)
            times.append(time.perf_counter() - start)
            tab.close()
        browser.close()
    return statistics.median(times)


def bench(label: str, path: Path, comments: int, repeats: int) -> dict[str, object]:
    out = OUT / f"{path.stem}.html"
    stats, report, ratios = [], [], []
    for _ in range(repeats):
        stats.append(measure([*STATS, str(path)]))
        report.append(measure([*REPORT, str(path), "-o", str(out)]))
        ratios.append(report[-1].seconds / stats[-1].seconds)
    return {
        "label": label,
        "comments": comments,
        "page_mb": path.stat().st_size / MB,
        "stats": statistics.median(run.seconds for run in stats),
        "report": statistics.median(run.seconds for run in report),
        "ratio": statistics.median(ratios),
        "report_mb": out.stat().st_size / MB,
        "peak_mb": max(run.peak_bytes for run in report) / MB,
        "interactive": interactive_seconds(out, repeats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[50_000, 200_000])
    parser.add_argument("--chain", type=int, default=3_000, help="a reply chain this deep (0: none)")
    parser.add_argument("--star", type=int, default=50_000, help="one comment with this many replies (0: none)")
    args = parser.parse_args()
    compile_package()
    cases = [(f"{n:,} comments", "tree", n) for n in args.sizes]
    cases += [(f"chain {args.chain:,} deep", "chain", args.chain)] if args.chain else []
    cases += [(f"star of {args.star:,}", "star", args.star)] if args.star else []
    print("| page | stats | report | ratio | report size | report peak memory | interactive |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    failed = []
    for label, shape, total in cases:
        result = bench(label, page(total, shape, 1), total, args.repeats)
        shown = result["interactive"]
        interactive = "no browser" if shown is None else f"{shown:.2f} s"
        print(
            f"| {label}, {result['page_mb']:.0f} MB | {result['stats']:.2f} s | {result['report']:.2f} s "
            f"| {result['ratio']:.2f}x | {result['report_mb']:.2f} MB | {result['peak_mb']:.0f} MB | {interactive} |",
            flush=True,
        )
        if result["ratio"] > TARGET_RATIO or result["report_mb"] > TARGET_MB:
            failed.append(label)
        if shown is not None and shown > TARGET_INTERACTIVE:
            failed.append(label)
    if failed:
        raise SystemExit(f"over target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
