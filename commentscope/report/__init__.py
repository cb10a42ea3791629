"""The HTML report: one self-contained page with the stats and static SVG charts of one page or many.

Everything is inline (style, script, data) and a Content-Security-Policy allows only that
style and that script, by hash: the file opens from ``file://``, offline, and asks for
nothing. The figures come from ``commentscope.analysis``; this module only lays them out.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from commentscope import __version__
from commentscope.analysis import STATS_GROUPS, commenter_table, corpus_totals, thread_stats, timeline
from commentscope.analysis.distributions import delay_histogram, depth_distribution, period_for_span
from commentscope.analysis.layout import network_view, tree_layout
from commentscope.model import Thread
from commentscope.report import charts
from commentscope.report.escape import isolate, safe_url, script_json, text
from commentscope.writers.escaping import plain
from commentscope.writers.files import open_output, standard_output
from commentscope.writers.text import records

#: Most comments the reply tree of one page draws; past it, whole subthreads are left out, smallest first.
TREE_BUDGET = 2000
#: Comments all the pages' trees draw together in a report of many pages, shared out evenly...
CORPUS_TREE_BUDGET = 20_000
#: ...unless that leaves a page fewer than this: then the pages' sections show no tree.
PAGE_TREE_MIN = 20
NETWORK_PEOPLE = 30
TOP_COMMENTERS = 15
#: Columns of the table of pages, with whether they are numbers.
PAGE_COLUMNS: list[tuple[str, bool]] = [
    ("source", False),
    ("title", False),
    ("comments", True),
    ("commenters", True),
    ("max_depth", True),
    ("h_index", True),
    ("structural_virality", True),
    ("span_hours", True),
    ("first_comment", False),
]


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def content_security_policy() -> str:
    """Nothing from anywhere, except this page's own style and script, named by their hashes."""
    return (
        f"default-src 'none'; style-src '{_sha256(_asset('report.css'))}'; "
        f"script-src '{_sha256(_asset('report.js'))}'; base-uri 'none'; form-action 'none'"
    )


def report_html(
    threads: list[Thread],
    comments: pd.DataFrame,
    *,
    corpus: bool,
    summaries: Sequence[dict[str, Any] | None] | None = None,
) -> str:
    """The whole report. ``comments`` is the one page's frame, or for a corpus all pages' with ``source``;
    ``summaries`` the pages' stats where they were computed already."""
    stats = [
        _summary(thread, summary) for thread, summary in zip(threads, summaries or [None] * len(threads), strict=True)
    ]
    if corpus:
        title = f"{len(threads):,} pages"
        body = _corpus_sections(threads, comments, stats)
    else:
        thread = threads[0]
        title = thread.article.title or thread.source
        body = _page_sections(thread, comments, stats[0], TREE_BUDGET, "t", alone=True)
    return "".join(_document(title, body))


def _document(title: str, body: Iterator[str]) -> Iterator[str]:
    yield '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    yield f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">'
    yield '<meta name="referrer" content="no-referrer">'
    yield f"<title>{text(isolate(title))} · commentscope report</title>"
    yield f"<style>{_asset('report.css')}</style></head><body>"
    yield '<div id="tip" role="tooltip" hidden></div>'
    yield from body
    yield f"<footer>Made by commentscope {text(__version__)}. Hover or focus a shape for details; "
    yield "click a comment in the reply tree to fold its replies.</footer>"
    yield f"<script>{_asset('report.js')}</script></body></html>\n"


def _summary(thread: Thread, summary: dict[str, Any] | None) -> dict[str, Any]:
    """The page's stats as its worker computed them, else computed here."""
    return summary if summary is not None else thread_stats(thread.comments, thread.article)


def _summary_groups(summary: dict[str, Any]) -> Iterator[str]:
    """The stats, grouped as the ``stats`` table groups them."""
    yield '<div class="groups">'
    for group, keys in STATS_GROUPS.items():
        yield f"<section><h3>{text(group)}</h3><table>"
        for key in keys:
            value = plain(summary.get(key))
            shown = "" if value is None else f"{value:,}" if isinstance(value, int | float) else str(value)
            if key in ("first_comment", "last_comment"):
                shown = charts.when(summary.get(key))
            numeric = ' class="n"' if isinstance(value, int | float) else ""
            yield f"<tr><th>{text(key.replace('_', ' '))}</th><td{numeric}><bdi>{text(shown)}</bdi></td></tr>"
        yield "</table></section>"
    yield "</div>"


def _heading(thread: Thread, level: str, anchor: str) -> Iterator[str]:
    article = thread.article
    yield f'<{level} id="{anchor}"><bdi>{text(article.title or thread.source)}</bdi></{level}>'
    meta = [f"<bdi>{text(thread.source)}</bdi>"]
    if article.byline:
        meta.append(f"by <bdi>{text(article.byline)}</bdi>")
    url = safe_url(article.url)
    if url:
        meta.append(f'<a href="{text(url)}" rel="noopener noreferrer"><bdi>{text(url)}</bdi></a>')
    yield f'<p class="meta">{" · ".join(meta)}</p>'


def _page_sections(
    thread: Thread, comments: pd.DataFrame, summary: dict[str, Any], budget: int, prefix: str, *, alone: bool
) -> Iterator[str]:
    """One page: heading, summary and tree; alone in its report, all the charts of its comments too.

    ``prefix`` keeps the page's element ids apart from the other pages' in the same report.
    """
    level = "h2" if alone else "h3"
    yield from _heading(thread, "h1" if alone else "h2", f"{prefix}-top")
    yield "<section><h2>Summary</h2>" if alone else "<section>"
    yield from _summary_groups(summary)
    yield "</section>"
    yield from _tree_section(comments, budget, prefix, level)
    if alone:
        yield from _shared_charts(comments, level)
        yield _data_block(summary)


def _tree_section(comments: pd.DataFrame, budget: int, prefix: str, level: str) -> Iterator[str]:
    yield f'<section class="tree-section"><{level}>Reply tree</{level}>'
    layout = tree_layout(comments, budget) if budget >= PAGE_TREE_MIN else None
    if layout is None:
        yield '<p class="note">Too many pages to draw each reply tree: a report of one page draws its tree.</p>'
    elif not len(layout.nodes):
        yield '<p class="note">No comments.</p>'
    else:
        drawn = f"All {layout.comments:,} comments drawn"
        if layout.truncated:
            drawn = f"The first {len(layout.nodes):,} of {layout.comments:,} comments of the largest subthread drawn"
        elif layout.comments_left_out:
            drawn = (
                f"The {layout.subthreads_shown:,} largest of {layout.subthreads:,} subthreads drawn in full "
                f"({len(layout.nodes):,} of {layout.comments:,} comments); the rest summed up at the bottom"
            )
        yield f'<p class="note">{drawn}. Depth runs left to right; each comment is as tall as its replies. '
        yield "Click or press Enter on a comment to fold its replies.</p>"
        legend = "".join(f'<span><i class="d{depth}"></i>depth {depth}</span>' for depth in range(charts.DEPTH_COLOURS))
        yield f'<div class="legend">{legend}<span>pale: anonymous</span></div>'
        yield f'<div class="treebox">{charts.tree_chart(layout, comments, prefix + "n")}</div>'
    yield "</section>"


def _shared_charts(comments: pd.DataFrame, level: str) -> Iterator[str]:
    """Timeline, network, commenters and the two distributions: for one page or the pooled corpus."""
    period = period_for_span(comments["timestamp"])
    table = timeline(comments, period)
    yield f"<section><{level}>Comments over time</{level}>"
    if len(table):
        yield f'<p class="note">Comments per {period}, {len(table):,} periods.</p><figure>'
        yield charts.timeline_chart(table, period) + "</figure>"
    else:
        yield '<p class="note">No dated comments.</p>'
    yield "</section>"
    view = network_view(comments, NETWORK_PEOPLE)
    yield f"<section><{level}>Who answers whom</{level}>"
    if len(view.pairs):
        yield (
            f'<p class="note">The {len(view.people):,} busiest of {view.people_total:,} people and the '
            f"{len(view.pairs):,} of {view.pairs_total:,} pairs between them; an arrow points from the one who "
            "replied to the one answered, thicker for more replies.</p>"
        )
        yield (
            '<div class="legend"><span><i class="mutual"></i>answered each other</span>'
            '<span><i class="edge"></i>one way</span><span>dashed circle: anonymous comments</span></div>'
        )
        yield f"<figure>{charts.network_chart(view)}</figure>"
    else:
        yield '<p class="note">No replies between people.</p>'
    yield "</section>"
    people = commenter_table(comments, top=TOP_COMMENTERS)
    named = int((~people["anonymous"]).sum())
    yield f"<section><{level}>Top commenters</{level}>"
    if named:
        yield f'<p class="note">The {named:,} named commenters with most comments.</p>'
        yield f"<figure>{charts.commenters_chart(people)}</figure>"
    else:
        yield '<p class="note">No named commenters.</p>'
    yield "</section>"
    depths = depth_distribution(comments)
    delays = delay_histogram(comments)
    yield f'<div class="two"><section><{level}>Depth</{level}>'
    if len(depths):
        yield '<p class="note">Comments at each depth (0 = top level).</p>'
        yield f"<figure>{charts.depth_chart(depths)}</figure></section>"
    else:
        yield '<p class="note">No comments.</p></section>'
    yield f"<section><{level}>Reply delay</{level}>"
    if len(delays):
        yield '<p class="note">Time from a comment to each reply to it, on a log scale.</p>'
        yield f"<figure>{charts.delay_chart(delays)}</figure>"
    else:
        yield '<p class="note">No dated replies.</p>'
    yield "</section></div>"


def _corpus_sections(threads: list[Thread], comments: pd.DataFrame, summaries: list[dict[str, Any]]) -> Iterator[str]:
    """The table of pages, the totals and pooled charts, then a section per page."""
    totals = corpus_totals(comments, [thread.article for thread in threads])
    yield f"<h1>{len(threads):,} pages</h1>"
    yield f'<p class="meta">{int(totals["comments"]):,} comments in all.</p>'
    yield '<section><h2>Pages</h2><p class="note">Click a heading to sort; a name leads to its page below.</p>'
    yield '<div class="scroll"><table class="pages"><thead><tr>'
    for name, numeric in PAGE_COLUMNS:
        css = ' class="n"' if numeric else ""
        yield f'<th{css}><button type="button">{text(name.replace("_", " "))}</button></th>'
    yield "</tr></thead><tbody>"
    for index, summary in enumerate(summaries):
        yield "<tr>"
        for name, numeric in PAGE_COLUMNS:
            value = plain(summary.get(name))
            key = "" if value is None else str(value)
            shown = charts.when(summary.get(name)) if name == "first_comment" else key
            if numeric and value is not None:
                shown = f"{value:,}"
            if name == "source":
                shown = f'<a href="#p{index}-top"><bdi>{text(shown)}</bdi></a>'
            else:
                shown = f"<bdi>{text(shown)}</bdi>"
            css = ' class="n"' if numeric else ""
            yield f'<td{css} data-v="{text(key)}">{shown}</td>'
        yield "</tr>"
    yield "</tbody></table></div></section>"
    yield "<section><h2>All pages together</h2>"
    yield from _summary_groups(totals)
    yield "</section>"
    yield from _shared_charts(comments, "h2")
    yield _data_block([*summaries, totals])
    budget = min(TREE_BUDGET, CORPUS_TREE_BUDGET // len(threads))
    for index, thread in enumerate(threads):
        yield '<section class="page"><hr>'
        yield from _page_sections(thread, thread.comments, summaries[index], budget, f"p{index}", alone=False)
        yield "</section>"


def _data_block(stats: dict[str, Any] | list[dict[str, Any]]) -> str:
    """The stats as JSON (as ``stats -f json`` gives them), for whoever wants the figures from the page."""
    rows = records(stats)
    data = script_json(rows[0] if isinstance(stats, dict) else rows)
    return f'<script type="application/json" id="report-data">{data}</script>'


def write_report(document: str, path: Path | None) -> None:
    """Write the page to ``path`` whole or not at all (see ``render.open_output``), or to standard output."""
    with open_output(path) if path is not None else standard_output() as handle:
        handle.write(document)
        handle.flush()
