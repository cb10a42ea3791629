"""How well the text reader reads the project's own HTML pages as converters render them: a table,
not a test.

Every page of ``samples/html/`` and a few generated WordPress pages (``generate_html.py``) are
rendered by each converter installed here (the commands of ../shared/real/README.md: lynx, w3m,
links, elinks, inscriptis, html2text), and each rendering is read as text. The HTML reader's tree
of the page is the truth: the comments found, how many have the right parent, author, time and
words of text
(the rule of ``fidelity.py``: one whole-quarter-hour offset for the page is allowed, since the
markup's times are UTC), and what ``check`` says. A reading that is wrong where ``check`` calls
it clean is the worst case, and is counted at the end. Converters that are not installed are
skipped, with a message.

    python benchmarks/rendered_samples.py [--generated 3] [--pages PAGE.html ...]

``--pages`` reads other HTML pages instead of ``samples/html/`` (pages of your own: a theme's
markup to try).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from fidelity import right_times
from generate_html import write

from commentscope.analysis.check import check_rows, check_thread
from commentscope.errors import CommentscopeError
from commentscope.readers import load_with_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "html"
CONVERTERS = {
    "lynx": ["lynx", "-dump", "-nolist", "-assume_charset=utf-8", "-display_charset=utf-8", "-width=80"],
    "w3m": ["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", "-cols", "80"],
    "links": ["links", "-dump", "-codepage", "utf-8", "-width", "80"],
    "elinks": ["elinks", "-dump", "-dump-charset", "utf-8", "-dump-width", "80", "-no-references", "-no-numbering"],
    "inscriptis": ["inscript", "-e", "utf-8"],
    "html2text": ["html2text"],
}
#: Arguments a converter takes after the file's name.
AFTER_FILE = {"html2text": ["utf-8"]}


def render(converter: str, page: Path) -> str | None:
    """The converter's text of the page, or None when it is not installed or fails."""
    command = CONVERTERS[converter]
    program = shutil.which(command[0]) or shutil.which(command[0], path=str(Path(sys.executable).parent))
    if program is None:
        return None
    done = subprocess.run(
        [program, *command[1:], str(page), *AFTER_FILE.get(converter, [])], capture_output=True, timeout=120
    )
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def score(truth: pd.DataFrame, truth_zone: str | None, rendering: Path) -> dict[str, object]:
    try:
        threads, text = load_with_text(rendering, lenient=True, encoding_errors="replace")
    except CommentscopeError as error:
        failed = dict.fromkeys(("found", "parents", "authors", "times", "texts"), "-")
        return failed | {"check": f"error: {error.message[:40]}"}
    thread = threads[0]
    report = check_thread(thread, text)
    comments = thread.comments
    pairs = min(len(comments), len(truth))
    right_parents = sum(a == b for a, b in zip(_parent_rows(comments), _parent_rows(truth), strict=False))
    right_authors = sum(
        (None if pd.isna(a) else a) == (None if pd.isna(b) else b)
        for a, b in zip(comments["author"][:pairs], truth["author"][:pairs], strict=True)
    )
    right_texts = sum(
        _words(a) == _words(b) for a, b in zip(comments["text"][:pairs], truth["text"][:pairs], strict=True)
    )
    true_times = [None if pd.isna(t) else pd.Timestamp(t).floor("min") for t in comments["timestamp"]]
    # the page's clock is the reference: the markup's UTC times may differ from it by one offset
    times = right_times(true_times, truth["timestamp"], "UTC" if truth_zone == "UTC" else None)[0]
    kinds = sorted({row["kind"] for row in check_rows(report)} - {"summary"})
    return {
        "found": len(comments),
        "parents": right_parents,
        "authors": right_authors,
        "times": times,
        "texts": right_texts,
        "check": "clean" if report["clean"] else "flags " + ",".join(kinds),
    }


def _words(text: str) -> list[str]:
    """A text's words: converters wrap and space lines each their own way."""
    return text.split()


def _parent_rows(comments: pd.DataFrame) -> list[int | None]:
    position = {cid: i for i, cid in enumerate(comments["id"])}
    return [None if pd.isna(p) else position.get(p, -1) for p in comments["parent_id"]]


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--generated", type=int, default=3, help="generated WordPress pages (seeds 1..N)")
    arguments.add_argument("--pages", type=Path, nargs="+", help="HTML pages to read instead of samples/html")
    options = arguments.parse_args()
    generated = options.generated
    missing = [name for name in CONVERTERS if render(name, SAMPLES / "generic.html") is None]
    if missing:
        print(f"not installed (skipped): {', '.join(missing)}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        pages = options.pages or sorted(SAMPLES.glob("*.html"))
        for seed in range(1, generated + 1):
            page = Path(folder) / f"generated-{seed}.html"
            write(25 + 10 * seed, page, seed=seed)
            pages.append(page)
        for page in pages:
            truth_thread = load_with_text(page)[0][0]
            truth = truth_thread.comments
            for converter in CONVERTERS:
                if converter in missing:
                    continue
                rendering = Path(folder) / f"{page.stem}.{converter}.txt"
                rendering.write_text(render(converter, page) or "", encoding="utf-8")
                row = {"page": page.stem, "converter": converter, "true": len(truth)}
                rows.append(row | score(truth, truth_thread.timezone, rendering))
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_colwidth", 70, "display.max_rows", 500):
        print(table.to_string(index=False))
    exact = (
        (table["found"] == table["true"])
        & (table["parents"] == table["true"])
        & (table["authors"] == table["true"])
        & (table["times"] == table["true"])
        & (table["texts"] == table["true"])
    )
    clean = table["check"] == "clean"
    print(
        f"\n{int(exact.sum())} of {len(table)} renderings exact; {int(clean.sum())} called clean by check; "
        f"{int((clean & ~exact).sum())} called clean but not exact"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
