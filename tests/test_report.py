"""The HTML report: its parts, what it refuses to let through, and the command that writes it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_pages import HOSTILE_NAMES, HOSTILE_TITLE, line_separator_thread, svg, write_hostile
from typer.testing import CliRunner

import commentscope
from commentscope.cli import app
from commentscope.report import content_security_policy, report_html
from commentscope.report.escape import safe_url, script_json


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def single(path: Path) -> str:
    thread = commentscope.load(path)
    return report_html([thread], thread.comments, corpus=False)


class Markup(HTMLParser):
    """Every start tag with its attributes, and the text of each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def markup(document: str) -> Markup:
    parser = Markup()
    parser.feed(document)
    return parser


def count(chart: str, css: str) -> int:
    return len(re.findall(rf'<(?:rect|path|circle) class="{css}[" ]', chart))


def test_one_page_has_every_section_with_one_shape_per_datum(samples):
    document = single(samples / "deep.txt")
    for heading in ("Summary", "Reply tree", "Comments over time", "Who answers whom", "Top commenters", "Depth"):
        assert f">{heading}</h2>" in document
    assert count(svg(document, "timeline"), "bar") == 21  # 12:00 to 08:00 the next day, hourly
    assert count(svg(document, "tree"), "node") == 10
    assert count(svg(document, "network"), "edge") == 5  # named pairs plus the two with anonymous comments
    assert count(svg(document, "network"), "person") == 5
    assert count(svg(document, "network"), "edge mutual") == 2  # Priya and Tom answered each other
    assert count(svg(document, "commenters"), "bar") == 8  # two bars for each of four named people
    assert count(svg(document, "depths"), "bar") == 6
    assert count(svg(document, "delays"), "bar") == 6  # 20 min to 1 day, in 1-2-5 steps
    assert "structural virality" in document and "3.3818" in document
    assert "All 10 comments drawn" in document


def test_the_tree_titles_give_author_time_and_first_words(samples):
    tree = svg(single(samples / "deep.txt"), "tree")
    # user text is set apart by bidi isolates (U+2068 ... U+2069) inside the plain-text title
    assert (
        "<title>\u2068Gus Okafor\u2069 · 2021-03-03 18:02 · \u2068Who pays? The article does not say.\u2069</title>"
        in tree
    )
    assert '<rect class="node d0 anon"' in tree  # comment 5 has no name
    assert tree.count('data-p="-1"') == 3


def test_nothing_is_fetched_and_the_policy_names_the_inline_code(samples):
    document = single(samples / "deep.txt")
    page = markup(document)
    policy = next(attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy == content_security_policy()
    assert policy.startswith("default-src 'none';")
    style = re.search(r"<style>(.*?)</style>", document, re.DOTALL).group(1)
    code = page.scripts[-1]

    def digest(source: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()

    assert f"style-src '{digest(style)}'" in policy and f"script-src '{digest(code)}'" in policy
    for _tag, attrs in page.tags:
        assert "src" not in attrs
        assert attrs.get("href", "#").startswith("#")
    assert "<a " not in document  # no article address in the sample: no link out at all
    assert "url(" not in style and "@import" not in style
    assert re.findall(r"url\((.*?)\)", document) == ["#arrow"] * 5
    assert "http" not in document.replace("http-equiv", "")


def test_hostile_names_stay_text_everywhere(tmp_path):
    path = write_hostile(tmp_path)
    document = single(path)
    page = markup(document)
    allowed = {
        "html", "head", "meta", "title", "style", "body", "div", "h1", "h2", "h3", "p", "bdi", "section",
        "table", "tr", "th", "td", "svg", "rect", "text", "line", "path", "circle", "defs", "marker", "figure",
        "span", "i", "footer", "script",
    }  # fmt: skip
    assert {tag for tag, _ in page.tags} <= allowed
    for _tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not any((value or "").lower().startswith("javascript:") for value in attrs.values())
    assert len(page.scripts) == 2 and page.scripts[0].startswith("{")  # the data block, then ours
    data = json.loads(page.scripts[0])
    assert data["title"] == HOSTILE_TITLE and data["byline"] == HOSTILE_NAMES[1]
    assert data["source"] == str(path)
    shown = "".join(page.text)
    for name in HOSTILE_NAMES:
        assert not re.search("[<>\"']", name) or name not in document  # escaped wherever it appears...
        assert f"\u2068{name}\u2069 · 2022-05" in shown  # ...and read back as written, in the tree's titles
    assert document.count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # the tree, the network and the bars


def test_inline_json_survives_script_ends_and_line_separators():
    thread, name = line_separator_thread()
    document = report_html([thread], thread.comments, corpus=False)
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', document, re.DOTALL)
    assert "\u2028" not in block.group(1) and "\u2029" not in block.group(1) and "<" not in block.group(1)
    assert json.loads(block.group(1))["top_commenter"] == name
    assert script_json(["</script><!--\u2028&"]) == '["\\u003c/script\\u003e\\u003c!--\\u2028\\u0026"]'


def test_the_article_link_is_made_only_for_a_web_address():
    thread, _ = line_separator_thread()
    thread.article.url = "javascript:alert(1)"
    assert "<a " not in report_html([thread], thread.comments, corpus=False)
    thread.article.url = 'https://example.org/?a="b"&c'
    document = report_html([thread], thread.comments, corpus=False)
    assert '<a href="https://example.org/?a=&quot;b&quot;&amp;c" rel="noopener noreferrer">' in document


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//example.org", False),
        (None, False),
    ],
)
def test_only_web_addresses_become_links(url, kept):
    assert (safe_url(url) is not None) is kept


def test_a_big_tree_is_cut_to_the_budget_and_says_so(tmp_path):
    from commentscope.report import TREE_BUDGET

    lines = ["A thread", "", f"{TREE_BUDGET + 500} comments for “A thread", ""]
    for number in range(TREE_BUDGET + 500, 0, -1):
        lines += [f"  {number}. Person {number % 7}", "    May 2, 2022 at 10:00", "", "    Hello.", ""]
    path = tmp_path / "wide.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    tree = svg(single(path), "tree")
    assert count(tree, "node") == TREE_BUDGET
    assert "500 more subthreads, 500 comments, not drawn" in tree


def test_cli_writes_the_report_to_a_file_or_standard_output(samples, tmp_path):
    out = tmp_path / "report.html"
    result = invoke("report", str(samples / "deep.txt"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and written == single(samples / "deep.txt")
    piped = invoke("report", str(samples / "small.txt"))
    assert piped.exit_code == 0 and piped.stdout.startswith("<!DOCTYPE html>")


def test_cli_refuses_a_format(samples):
    result = invoke("report", str(samples / "deep.txt"), "-f", "json")
    assert result.exit_code == 2
    assert result.stderr == "Error: report writes HTML; --format does not apply\n"


def test_several_pages_get_a_sortable_table_and_a_section_each(samples, tmp_path):
    out = tmp_path / "report.html"
    pages = ["small.txt", "deep.txt", "comments_only.txt"]
    result = invoke("report", *(str(samples / name) for name in pages), "-o", str(out))
    assert result.exit_code == 0, result.output
    document = out.read_text(encoding="utf-8")
    table = re.search(r'<table class="pages">.*?</table>', document, re.DOTALL).group()
    assert table.count("<button") == 9 and table.count("<tr>") == 4  # the header and a row per page
    for index in range(3):
        assert f'href="#p{index}-top"' in table and f'id="p{index}-top"' in document
    assert ">All pages together</h2>" in document
    assert count(svg(document, "commenters"), "bar") > 0
    assert document.count('<svg class="chart tree"') == 3
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', document).group(1))
    assert [row["source"] for row in data] == [*(str(samples / name) for name in pages), "(all pages)"]


def test_export_adds_the_report_and_refuses_to_overwrite_it(samples, tmp_path):
    out = tmp_path / "out"
    result = invoke("export", str(samples / "deep.txt"), "--out", str(out), "--with-report")
    assert result.exit_code == 0, result.output
    assert (out / "report.html").read_text(encoding="utf-8") == single(samples / "deep.txt")
    assert f"wrote {out / 'report.html'}" in result.stderr
    (out / "stats.csv").unlink()
    again = invoke("export", str(samples / "deep.txt"), "--out", str(out), "--with-report")
    assert again.exit_code == 5
    assert "report.html: would overwrite it (use --force)" in again.stderr
    assert not (out / "stats.csv").exists()  # refused before anything was written
    forced = invoke("export", str(samples / "deep.txt"), "--out", str(out), "--with-report", "--force")
    assert forced.exit_code == 0 and (out / "stats.csv").exists()


def test_many_pages_share_out_the_tree_budget(samples, tmp_path, monkeypatch):
    import commentscope.report as report

    pages = [str(samples / name) for name in ("small.txt", "deep.txt", "comments_only.txt")]
    monkeypatch.setattr(report, "CORPUS_TREE_BUDGET", 3 * report.PAGE_TREE_MIN)
    result = invoke("report", *pages)
    assert result.stdout.count('<svg class="chart tree"') == 3
    monkeypatch.setattr(report, "CORPUS_TREE_BUDGET", 3 * report.PAGE_TREE_MIN - 1)
    result = invoke("report", *pages)
    assert '<svg class="chart tree"' not in result.stdout
    assert result.stdout.count("Too many pages to draw each reply tree") == 3


def test_report_has_help():
    result = invoke("report", "--help")
    assert result.exit_code == 0 and "self-contained HTML page" in result.stdout
