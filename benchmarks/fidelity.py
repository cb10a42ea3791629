"""How well the reader reads real pages as converters render them: a table, not a test.

For every page NAME in ../shared/real (see its README) and every rendering NAME.CONVERTER.txt, plus
an "html" column reading NAME.html through the registry's auto-detection, prints the comments
found against the true tree in NAME.expected.json, how many have the right parent, author and
time (comments compared in page order; times by ``right_times``, the rule ``real_html.py`` uses
too), and what ``check`` says. Skips, with a message, when ../shared/real is absent.

    python benchmarks/fidelity.py [--real PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pandas as pd
from dateutil import parser as dateutil_parser

from commentscope.analysis.check import check_rows, check_thread
from commentscope.errors import CommentscopeError
from commentscope.readers import load_with_text

CONVERTERS = ("lynx", "w3m", "links", "elinks", "inscriptis", "html2text", "trafilatura", "html")
#: What the real pages' README says about how their dates read (the truth keeps the text as shown).
DATE_FACTS = {"flawlessfood-olive": {"dayfirst": True}, "wpcom-diverse": {"default": datetime(2019, 1, 1)}}
QUARTER_HOUR = pd.Timedelta(minutes=15)


def true_times(name: str, truth: list[dict]) -> list[pd.Timestamp | None]:
    """Each true comment's time, read from the date text the page shows, to the minute."""
    facts = DATE_FACTS.get(name, {})
    times: list[pd.Timestamp | None] = []
    for comment in truth:
        text = comment["date"]
        if text is None:
            times.append(None)
            continue
        text = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text.replace(" at ", " "))
        times.append(pd.Timestamp(dateutil_parser.parse(text, **facts)).floor("min"))
    return times


def right_times(truth: list[pd.Timestamp | None], read: pd.Series, zone: str | None) -> tuple[int, pd.Timedelta | None]:
    """How many comments, in page order, have the true time, and the page's offset: the rule both
    scripts judge by. The truth is the clock the page shows. A thread whose times are UTC
    (``zone == "UTC"``, from ``time[datetime]``) may differ from it by one offset for the whole
    page, a whole number of quarter hours (the most common difference); any other must match it.
    Times count to the minute; a comment with no true time is right when none was read."""
    pairs = list(zip(truth, read, strict=False))
    offset = pd.Timedelta(0)
    if zone == "UTC":
        differences = Counter(
            when - stamp.floor("min") for when, stamp in pairs if when is not None and not pd.isna(stamp)
        )
        whole = [(count, d) for d, count in differences.items() if d % QUARTER_HOUR == pd.Timedelta(0)]
        offset = max(whole)[1] if whole else None
    right = sum(
        (
            pd.isna(stamp)
            if when is None
            else (offset is not None and not pd.isna(stamp) and when - stamp.floor("min") == offset)
        )
        for when, stamp in pairs
    )
    return right, offset


def _score(path: Path, name: str, truth: list[dict]) -> dict[str, object]:
    try:
        threads, text = load_with_text(path, lenient=True, encoding_errors="replace")
    except CommentscopeError as error:
        return {"found": "-", "parents": "-", "authors": "-", "times": "-", "check": f"error: {error.message[:40]}"}
    thread = threads[0]
    report = check_thread(thread, text)
    comments = thread.comments
    position = {cid: i for i, cid in enumerate(comments["id"])}
    parents = [None if pd.isna(p) else position[p] for p in comments["parent_id"]]
    pairs = list(zip(range(len(comments)), truth, strict=False))
    right_parents = sum(parents[i] == t["parent_index"] for i, t in pairs)
    right_authors = sum(
        (None if pd.isna(a) else a) == t["author"] for (_, t), a in zip(pairs, comments["author"], strict=False)
    )
    kinds = sorted({row["kind"] for row in check_rows(report)} - {"summary"})
    verdict = "clean" if report["clean"] else "flags " + ",".join(kinds)
    return {
        "found": len(comments),
        "parents": right_parents,
        "authors": right_authors,
        "times": right_times(true_times(name, truth), comments["timestamp"], thread.timezone)[0],
        "check": verdict,
    }


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--real", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "real")
    real = arguments.parse_args().real
    if not real.is_dir():
        print(f"skipped: no real pages at {real} (see benchmarks/fidelity.py)")
        return 0
    rows = []
    for expected in sorted(real.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        truth = json.loads(expected.read_text(encoding="utf-8"))
        for converter in CONVERTERS:
            path = real / (f"{name}.html" if converter == "html" else f"{name}.{converter}.txt")
            if path.exists():
                rows.append({"page": name, "converter": converter, "true": len(truth), **_score(path, name, truth)})
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_colwidth", 60, "display.max_rows", 200):
        print(table.to_string(index=False))
    text = table[table["converter"] != "html"]
    exact = text[
        (text["found"] == text["true"])
        & (text["parents"] == text["true"])
        & (text["authors"] == text["true"])
        & (text["times"] == text["true"])
    ]
    print(f"\n{len(exact)} of {len(text)} text renderings exact; {sum(text['check'] == 'clean')} called clean by check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
