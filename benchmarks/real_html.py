"""The HTML reader on the real pages in ../shared/real: each page's tree against its
``*.expected.json`` (authors, parents, depth, ids, the start of each text, times to the minute).
A table for checking by hand, not a test; it skips when ../shared/real is absent.

    python benchmarks/real_html.py [--real PATH]

Times are judged by ``fidelity.right_times``, the rule the fidelity table uses too: to the minute,
against the clock the page shows, with one offset for the whole page (a whole number of quarter
hours, printed) where the thread's times are UTC.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
from fidelity import right_times, true_times

from commentscope.readers import load_threads
from commentscope.readers.ids import spelled_id


def score(page: Path, truth: list[dict]) -> dict[str, object]:
    """How many comments have the true author, parent, depth, id, text start and time."""
    name = page.stem
    thread = load_threads(page, lenient=True)[0]
    comments = thread.comments
    position = {cid: index for index, cid in enumerate(comments["id"])}
    right = dict.fromkeys(("authors", "parents", "depths", "ids", "texts"), 0)
    for true, row in zip(truth, comments.itertuples(), strict=False):
        author = None if pd.isna(row.author) else row.author
        parent = None if pd.isna(row.parent_id) else position[row.parent_id]
        right["authors"] += author == true["author"]
        right["parents"] += parent == true["parent_index"]
        right["depths"] += row.depth == true["depth"]
        right["ids"] += spelled_id(true["html_id"].rsplit("-", 1)[-1]) == row.id
        right["texts"] += " ".join(row.text.split()).startswith(" ".join(true["text_start"].split()))
    times, offset = right_times(true_times(name, truth), comments["timestamp"], thread.timezone)
    return {
        "page": name,
        "true": len(truth),
        "found": len(comments),
        **right,
        "times": times,
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
        & table[["authors", "parents", "depths", "ids", "texts", "times"]].eq(table["true"], axis=0).all(axis=1)
    ]
    print(f"\n{len(exact)} of {len(table)} pages exact")
    return 0 if len(exact) == len(table) else 1


if __name__ == "__main__":
    sys.exit(main())
