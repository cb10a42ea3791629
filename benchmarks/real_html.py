"""The HTML reader on the real pages in ../shared/real: each page's tree against its
``*.expected.json`` (authors, parents, depth, ids, the start of each text, times to the minute).
A table for checking by hand, not a test; it skips when ../shared/real is absent.

    python benchmarks/real_html.py [--real PATH]

Times: the truth keeps each date as the page shows it. A page whose times came from
``time[datetime]`` is UTC in the frame (``thread.timezone``), so there the comparison accepts one
offset for the whole page, a whole number of quarter hours, and prints it.
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

from commentscope.readers import load_threads

#: What the real pages' README says about their dates: flawlessfood's are day first, wpcom's show no year.
DATE_FACTS = {"flawlessfood-olive": {"dayfirst": True}, "wpcom-diverse": {"default": datetime(2019, 1, 1)}}


def _truth_time(name: str, text: str | None) -> pd.Timestamp | None:
    if text is None:
        return None
    text = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text.replace(" at ", " "))
    return pd.Timestamp(dateutil_parser.parse(text, **DATE_FACTS.get(name, {})))


def score(page: Path, truth: list[dict]) -> dict[str, object]:
    """How many comments have the true author, parent, depth, id, text start and time."""
    name = page.stem
    thread = load_threads(page, lenient=True)[0]
    comments = thread.comments
    position = {cid: index for index, cid in enumerate(comments["id"])}
    right = dict.fromkeys(("authors", "parents", "depths", "ids", "texts"), 0)
    offsets = set()
    for true, row in zip(truth, comments.itertuples(), strict=False):
        author = None if pd.isna(row.author) else row.author
        parent = None if pd.isna(row.parent_id) else position[row.parent_id]
        right["authors"] += author == true["author"]
        right["parents"] += parent == true["parent_index"]
        right["depths"] += row.depth == true["depth"]
        right["ids"] += true["html_id"].rsplit("-", 1)[-1] == row.id
        right["texts"] += " ".join(row.text.split()).startswith(" ".join(true["text_start"].split()))
        when = _truth_time(name, true["date"])
        if when is not None and not pd.isna(row.timestamp):
            offsets.add(when.floor("min") - row.timestamp.floor("min"))
        elif when is not None or not pd.isna(row.timestamp):
            offsets.add("missing")
    whole = all(isinstance(o, pd.Timedelta) and o % pd.Timedelta(minutes=15) == pd.Timedelta(0) for o in offsets)
    times_right = len(offsets) <= 1 and whole and (thread.timezone == "UTC" or offsets <= {pd.Timedelta(0)})
    offset = next(iter(offsets)) if len(offsets) == 1 else None
    return {
        "page": name,
        "true": len(truth),
        "found": len(comments),
        **right,
        "times": "right" if times_right else f"wrong {sorted(map(str, offsets))[:3]}",
        "zone": thread.timezone or "naive",
        "page offset": "" if offset in (None, pd.Timedelta(0)) else str(offset),
        "problems": ", ".join(sorted({p.kind for p in thread.problems})) or "-",
    }


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--real", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "real")
    real = arguments.parse_args().real
    if not real.is_dir():
        print(f"skipped: no real pages at {real}")
        return 0
    rows = [
        score(page, json.loads((real / f"{page.stem}.expected.json").read_text(encoding="utf-8")))
        for page in sorted(real.glob("*.html"))
    ]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
    exact = table[
        (table["found"] == table["true"])
        & table[["authors", "parents", "depths", "ids", "texts"]].eq(table["true"], axis=0).all(axis=1)
        & (table["times"] == "right")
    ]
    print(f"\n{len(exact)} of {len(table)} pages exact")
    return 0 if len(exact) == len(table) else 1


if __name__ == "__main__":
    sys.exit(main())
