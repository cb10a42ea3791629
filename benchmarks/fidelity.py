"""How well the reader reads real pages as converters render them: a table, not a test.

For every page NAME in ../shared/real (see its README) and every rendering NAME.CONVERTER.txt, plus
an "html" column reading NAME.html through the registry's auto-detection, prints the comments
found against the true tree in NAME.expected.json, how many have the right parent, author and
time (comments compared in page order), and what ``check`` says. Skips, with a message, when
../shared/real is absent.

    python benchmarks/fidelity.py [--real PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
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


def _true_times(name: str, truth: list[dict]) -> list[pd.Timestamp | None]:
    facts = DATE_FACTS.get(name, {})
    times: list[pd.Timestamp | None] = []
    for comment in truth:
        text = comment["date"]
        if text is None:
            times.append(None)
            continue
        text = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text.replace(" at ", " "))
        times.append(pd.Timestamp(dateutil_parser.parse(text, **facts)))
    return times


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
    times = _true_times(name, truth)
    pairs = list(zip(range(len(comments)), truth, times, strict=False))
    right_parents = sum(parents[i] == t["parent_index"] for i, t, _ in pairs)
    right_authors = sum(
        (None if pd.isna(a) else a) == t["author"] for (_, t, _), a in zip(pairs, comments["author"], strict=False)
    )
    right_times = sum(
        (pd.isna(ts) and when is None) or (when is not None and ts == when)
        for (_, _, when), ts in zip(pairs, comments["timestamp"], strict=False)
    )
    kinds = sorted({row["kind"] for row in check_rows(report)} - {"summary"})
    verdict = "clean" if report["clean"] else "flags " + ",".join(kinds)
    return {
        "found": len(comments),
        "parents": right_parents,
        "authors": right_authors,
        "times": right_times,
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
