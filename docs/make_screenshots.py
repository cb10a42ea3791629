"""Make the README's screenshots of the HTML report: ``python docs/make_screenshots.py``.

Writes ``docs/report-light.png`` (the top of a report) and ``docs/report-dark.png`` (its reply
tree with a comment hovered, in the dark style), both 1280x800, from a 400-comment thread made
by ``benchmarks/generate.py``, so they show what the current code draws. Needs Playwright and
Debian's ``chromium`` (the browser tests' setup).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import write  # noqa: E402

import commentscope  # noqa: E402
from commentscope.report import report_html  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
COMMENTS, SEED = 400, 7


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium: apt-get update && apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as scratch:
        page = write(COMMENTS, Path(scratch) / "thread.txt", SEED)
        thread = commentscope.load(page)
        thread.article.source = "thread.txt"
        report = Path(scratch) / "report.html"
        report.write_text(report_html([thread], thread.comments, corpus=False), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                tab = browser.new_page(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
                tab.goto(report.as_uri())
                tab.wait_for_selector("html[data-ready='1']", state="attached")
                if scheme == "dark":
                    tab.locator(".tree-section").scroll_into_view_if_needed()
                    tab.evaluate("document.querySelector('.tree-section').scrollIntoView()")
                    tab.hover("#tn3")
                out = ROOT / "docs" / f"report-{scheme}.png"
                tab.screenshot(path=str(out))
                print(f"wrote {out.relative_to(ROOT)}")
                tab.close()
            browser.close()


if __name__ == "__main__":
    main()
