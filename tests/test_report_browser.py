"""The report in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

Skipped, with the reason, when either is missing. The page is opened from ``file://`` as a
user would open it; every request the browser makes and every console message is recorded.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_pages import HOSTILE_NAMES, write_hostile

import commentscope
from commentscope.report import report_html

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("no chromium: apt-get update && apt-get install -y chromium", allow_module_level=True)

#: Flags for a quiet, offline, throwaway browser (Playwright adds --headless and a fresh profile).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Opened:
    """A report open in a tab, with what the tab asked for and said."""

    def __init__(self, browser, path: Path, *, width: int = 1280, scheme: str = "light") -> None:
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("dialog", self._dialog)
        start = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-ready='1']", state="attached", timeout=10_000)
        self.seconds = time.perf_counter() - start

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def close(self) -> None:
        self.page.close()


def write(tmp_path: Path, *sources: Path, name: str = "report.html") -> Path:
    threads = [commentscope.load(source) for source in sources]
    if len(threads) == 1:
        document = report_html(threads, threads[0].comments, corpus=False)
    else:
        from commentscope.readers.corpus import corpus_comments

        document = report_html(threads, corpus_comments(threads), corpus=True)
    out = tmp_path / name
    out.write_text(document, encoding="utf-8")
    return out


@pytest.fixture
def deep(browser, samples, tmp_path) -> Iterator[Opened]:
    opened = Opened(browser, write(tmp_path, samples / "deep.txt"))
    yield opened
    opened.close()


def test_no_console_message_and_no_request_but_the_file(deep):
    assert deep.requests == [deep.url]
    assert deep.console == []  # a blocked script or style would be a CSP error here


def test_each_chart_has_one_element_per_datum(deep):
    assert deep.count("svg.timeline rect.bar") == 21  # periods (hours)
    assert deep.count("svg.tree rect.node") == 10  # comments drawn
    assert deep.count("svg.network path.edge") == 5  # pairs
    assert deep.count("svg.network circle.person.anon") == 1
    assert deep.count("svg.commenters rect.bar") == 8
    assert deep.count("svg.depths rect.bar") == 6
    assert deep.count("svg.delays rect.bar") == 6


def test_hovering_or_focusing_a_comment_shows_its_author(deep):
    tip = deep.page.locator("#tip")
    assert tip.is_hidden()
    # Scrolling hides the tip, so scroll first and let the scroll events pass (two frames), then hover.
    deep.page.evaluate(
        "new Promise(done => { document.getElementById('tn7').scrollIntoView({block: 'center'});"
        " requestAnimationFrame(() => requestAnimationFrame(done)); })"
    )
    deep.page.hover("#tn7")
    tip.wait_for(state="visible", timeout=10_000)
    assert tip.text_content().startswith("\u2068Gus Okafor\u2069 · 2021-03-03 18:02 · \u2068Who pays?")
    deep.page.focus("#tn8")
    assert tip.text_content().startswith("\u2068Jana Whitfield\u2069")


def test_a_click_folds_a_subthread_and_another_unfolds_it(deep):
    deep.page.click("#tn1")  # Tom Baker's reply, with four comments under it
    assert deep.count("svg.tree rect.node.hidden") == 4
    deep.page.click("#tn0")  # folding the comment above hides the rest of its subthread too
    assert deep.count("svg.tree rect.node.hidden") == 6
    deep.page.click("#tn0")
    assert deep.count("svg.tree rect.node.hidden") == 4  # its folded reply stays folded
    deep.page.focus("#tn1")
    deep.page.keyboard.press("Enter")
    assert deep.count("svg.tree rect.node.hidden") == 0


def test_the_table_of_pages_sorts(browser, samples, tmp_path):
    opened = Opened(browser, write(tmp_path, samples / "small.txt", samples / "deep.txt", samples / "awkward.txt"))
    try:
        assert opened.console == [] and opened.requests == [opened.url]

        def column(index: int) -> list[str]:
            return opened.page.locator(f"table.pages tbody tr td:nth-child({index})").all_text_contents()

        assert column(3) == ["4", "10", "4"]
        opened.page.click("table.pages th:nth-child(3) button")
        assert column(3) == ["4", "4", "10"]
        opened.page.click("table.pages th:nth-child(3) button")
        assert column(3) == ["10", "4", "4"]
        opened.page.click("table.pages tbody tr:first-child a")
        assert opened.page.evaluate("location.hash") == "#p1-top"
    finally:
        opened.close()


def test_hostile_names_raise_no_dialog_and_run_no_script(browser, tmp_path):
    opened = Opened(browser, write(tmp_path, write_hostile(tmp_path)))
    try:
        for node in opened.page.locator("svg.tree rect.node").all():
            node.hover()
        opened.page.locator("svg.network circle.person").first.hover()
        assert opened.dialogs == []
        assert opened.console == []  # an injected inline script would at least be a CSP error
        assert opened.requests == [opened.url]  # no <img src=x> fetched
        assert opened.count("img") == 0 and opened.count("script") == 2
        titles = opened.page.locator("svg.tree rect.node > title").all_text_contents()
        assert [title.split(" · ")[0] for title in titles] == [f"\u2068{name}\u2069" for name in HOSTILE_NAMES]
    finally:
        opened.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_at_1280_by_800(browser, samples, tmp_path, scheme):
    opened = Opened(browser, write(tmp_path, samples / "deep.txt"), scheme=scheme)
    try:
        shot = tmp_path / f"{scheme}.png"
        opened.page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        background = opened.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(20, 23, 29)")
    finally:
        opened.close()


@pytest.mark.parametrize("names", [["deep.txt"], ["small.txt", "deep.txt"]])
def test_readable_at_390_pixels_without_sideways_scrolling(browser, samples, tmp_path, names):
    opened = Opened(browser, write(tmp_path, *(samples / name for name in names)), width=390)
    try:
        assert opened.page.evaluate("document.documentElement.scrollWidth") <= 390
        # the timeline keeps its labels readable (at least 10 px) and scrolls in its figure instead
        assert opened.page.locator("svg.timeline").bounding_box()["width"] >= 760
    finally:
        opened.close()


def test_without_javascript_the_charts_are_all_there(browser, samples, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(write(tmp_path, samples / "deep.txt").resolve().as_uri())
        assert page.locator("html[data-ready]").count() == 0  # the page's own script did not run
        assert page.locator("svg.tree rect.node").count() == 10
        assert page.locator("svg.timeline rect.bar").count() == 21
        assert page.locator("svg.tree rect.node").first.bounding_box()["height"] > 0
    finally:
        context.close()


def test_a_big_thread_is_interactive_quickly(browser, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import write as generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from commentscope.report import TREE_BUDGET

    opened = Opened(browser, write(tmp_path, generate(20_000, tmp_path / "big.txt")))
    try:
        assert opened.seconds < 5
        assert opened.count("svg.tree rect.node") <= TREE_BUDGET
        assert opened.console == []
    finally:
        opened.close()
