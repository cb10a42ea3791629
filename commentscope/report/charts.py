"""Static SVG charts, written in Python: each function takes an analysis result and returns markup.

No chart library: the five chart kinds are a few rectangles, lines and labels each, and
writing them here keeps the report one small file that draws without JavaScript. The
page's script only adds the tooltip and folding. Colours are CSS classes, so the page's
light and dark styles both apply. Every shape that stands for data has a ``<title>``
(the text a tooltip shows) and every user-written string goes through ``escape.text``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from commentscope.analysis.layout import NetworkView, TreeLayout
from commentscope.report.escape import isolate, text
from commentscope.writers.table import ANONYMOUS_LABEL

WIDTH = 1000
SMALL_WIDTH = 560  # charts drawn side by side
DEPTH_COLOURS = 8  # CSS classes d0..d7, cycled for deeper levels
TREE_HEIGHT = 720  # the tree's height when its comments fit; taller threads scroll
TREE_ROW_MIN, TREE_ROW_MAX = 3.0, 22.0
TREE_COLUMN_MAX = 180.0  # a shallow thread's columns stay narrow enough to read as a tree


def _num(value: float) -> str:
    """Coordinates with at most two decimals, so a big chart stays small."""
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _svg(kind: str, height: float, body: Iterable[str], label: str, width: float = WIDTH, role: str = "img") -> str:
    """``role="group"`` for a chart whose shapes take the focus (an ``img`` hides its parts from assistive tools)."""
    return (
        f'<svg class="chart {kind}" viewBox="0 0 {_num(width)} {_num(height)}" role="{role}" '
        f'aria-label="{text(label)}" preserveAspectRatio="xMinYMin meet">' + "".join(body) + "</svg>"
    )


def _rect(css: str, x: float, y: float, width: float, height: float, title: str, extra: str = "") -> str:
    return (
        f'<rect class="{css}" x="{_num(x)}" y="{_num(y)}" width="{_num(max(width, 0.5))}" '
        f'height="{_num(max(height, 0.5))}"{extra}><title>{text(title)}</title></rect>'
    )


def _label(x: float, y: float, value: str, css: str = "axis", anchor: str = "start") -> str:
    return f'<text class="{css}" x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}">{text(value)}</text>'


def when(value: object) -> str:
    """A timestamp as the tables show it; an empty string when unknown."""
    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _value_axis(left: float, top: float, height: float, maximum: float, right: float = WIDTH) -> list[str]:
    """Grid lines and labels at 0, half and the top of a vertical count axis."""
    parts = []
    for share in (0, 0.5, 1):
        y = top + height * (1 - share)
        parts.append(f'<line class="grid" x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}"/>')
        parts.append(_label(left - 6, y + 4, f"{maximum * share:,.0f}", anchor="end"))
    return parts


def bars(
    kind: str,
    labels: list[str],
    values: list[int],
    titles: list[str],
    label: str,
    *,
    ticks: int = 6,
    height: float = 260,
    width: float = WIDTH,
) -> str:
    """A vertical bar chart, one ``rect.bar`` per value, with about ``ticks`` labels under it."""
    left, top, bottom, right = 64, 12, 36, 48
    plot = height - top - bottom
    maximum = _nice_top(max(values, default=0))
    step = (width - left - right) / max(len(values), 1)
    parts = _value_axis(left, top, plot, maximum, width - right)
    gap = step * 0.15 if step > 4 else 0
    for index, (value, title) in enumerate(zip(values, titles, strict=True)):
        bar_height = plot * value / maximum
        parts.append(
            _rect("bar", left + index * step + gap / 2, top + plot - bar_height, step - gap, bar_height, title)
        )
    every = max(1, math.ceil(len(labels) / ticks))
    for index in range(0, len(labels), every):
        parts.append(_label(left + (index + 0.5) * step, height - 14, labels[index], anchor="middle"))
    return _svg(kind, height, parts, label, width)


def timeline_chart(table: pd.DataFrame, period: str) -> str:
    """Comments per period: one bar per period of the timeline, quiet periods as empty slots."""
    fmt = "%Y-%m-%d %H:%M" if period == "hour" else "%Y-%m-%d"
    labels = [pd.Timestamp(value).strftime(fmt) for value in table["period"]]
    counts = table["comments"].tolist()
    titles = [
        f"{name} ({period}): {count:,} comments, {replies:,} replies"
        for name, count, replies in zip(labels, counts, table["replies"].tolist(), strict=True)
    ]
    return bars("timeline", labels, counts, titles, f"Comments per {period}", ticks=5)


def depth_chart(table: pd.DataFrame) -> str:
    """Comments per depth, top level first."""
    depths, counts = table["depth"].tolist(), table["comments"].tolist()
    titles = [f"depth {depth}: {count:,} comments" for depth, count in zip(depths, counts, strict=True)]
    return bars(
        "depths", [str(depth) for depth in depths], counts, titles, "Comments per depth", ticks=10, width=SMALL_WIDTH
    )


_DELAY_TICKS = [(1, "1 min"), (10, "10 min"), (60, "1 h"), (600, "10 h"), (1440, "1 day"), (10080, "1 week")]


def _duration(minutes: float) -> str:
    if minutes < 60:
        return f"{minutes:g} min"
    if minutes < 1440:
        return f"{minutes / 60:g} h"
    return f"{minutes / 1440:g} days"


def delay_chart(table: pd.DataFrame) -> str:
    """Replies per delay bin on a log axis of minutes: a bin's width is its span in log time."""
    height, left, top, bottom, right = 260, 64, 12, 36, 36
    width = SMALL_WIDTH
    plot = height - top - bottom
    lowers = table["lower_minutes"].tolist()
    uppers = [None if pd.isna(value) else value for value in table["upper_minutes"]]
    counts = table["replies"].tolist()
    # The first bin starts at 0 and the last is open: on a log axis each is drawn one step wide.
    spans = [
        (low if low > 0 else high / 2, high if high is not None else low * 2)
        for low, high in zip(lowers, uppers, strict=True)
    ]
    start = math.log10(min((low for low, _ in spans), default=1))
    end = math.log10(max((high for _, high in spans), default=10))
    scale = (width - left - right) / max(end - start, 1e-9)
    maximum = _nice_top(max(counts, default=0))
    parts = _value_axis(left, top, plot, maximum, width - right)
    for (low, high), lower, upper, count in zip(spans, lowers, uppers, counts, strict=True):
        x0, x1 = left + (math.log10(low) - start) * scale, left + (math.log10(high) - start) * scale
        bar_height = plot * count / maximum
        within = f"{_duration(lower)} or more" if upper is None else f"{_duration(lower)} to {_duration(upper)}"
        parts.append(_rect("bar", x0 + 1, top + plot - bar_height, x1 - x0 - 2, bar_height, f"{within}: {count:,}"))
    for minutes, name in _DELAY_TICKS:
        if start <= math.log10(minutes) <= end:
            x = left + (math.log10(minutes) - start) * scale
            parts.append(f'<line class="tick" x1="{_num(x)}" y1="{top + plot}" x2="{_num(x)}" y2="{top + plot + 5}"/>')
            parts.append(_label(x, height - 14, name, anchor="middle"))
    return _svg("delays", height, parts, "Replies by delay after the comment answered (log scale)", width)


def commenters_chart(table: pd.DataFrame) -> str:
    """Two bars per named commenter: comments written and replies received."""
    rows = table[~table["anonymous"]]
    row_height, left = 26, 220
    height = max(len(rows), 1) * row_height + 30
    maximum = _nice_top(max([*rows["comments"].tolist(), *rows["replies_received"].tolist(), 0]))
    scale = (WIDTH - left - 70) / maximum
    parts = [
        '<rect class="key comments" x="220" y="4" width="12" height="12"/>',
        _label(238, 15, "comments"),
        '<rect class="key received" x="340" y="4" width="12" height="12"/>',
        _label(358, 15, "replies received"),
    ]
    for index, (name, comments, received) in enumerate(
        zip(rows["author"], rows["comments"].tolist(), rows["replies_received"].tolist(), strict=True)
    ):
        y = 26 + index * row_height
        shown = name if len(name) <= 30 else name[:29] + "…"
        parts.append(_label(left - 8, y + 15, shown, css="name", anchor="end"))
        who = isolate(name)
        parts.append(_rect("bar comments", left, y + 2, comments * scale, 10, f"{who}: {comments:,} comments"))
        parts.append(_rect("bar received", left, y + 12, received * scale, 10, f"{who}: {received:,} replies received"))
        parts.append(_label(left + max(comments, received) * scale + 6, y + 17, f"{comments:,} / {received:,}"))
    return _svg("commenters", height, parts, "Top commenters: comments and replies received")


def tree_chart(layout: TreeLayout, comments: pd.DataFrame, prefix: str) -> str:
    """An icicle: a column per depth, each comment as tall as the comments under it, itself included.

    Each node is a focusable ``rect.node`` with its author, time and first words as title,
    and ``data-p`` naming its parent's node so that the script can fold a subthread.
    What the budget left out is one summary bar at the bottom.
    """
    nodes = layout.nodes
    units = max(len(nodes), 1)
    row = min(TREE_ROW_MAX, max(TREE_ROW_MIN, TREE_HEIGHT / units))
    levels = int(nodes["depth"].max()) + 1 if len(nodes) else 1
    column = min(WIDTH / levels, TREE_COLUMN_MAX)
    left_out = layout.comments_left_out
    height = units * row + (40 if left_out else 0)
    picked = comments[["author", "timestamp", "text"]].take(nodes["row"].to_numpy())
    authors = picked["author"].tolist()
    times = [when(value) for value in picked["timestamp"]]
    texts = picked["text"].tolist()
    parts = []
    for index, (parent, depth, size, y) in enumerate(
        zip(nodes["parent"].tolist(), nodes["depth"].tolist(), nodes["size"].tolist(), nodes["y"].tolist(), strict=True)
    ):
        anonymous = authors[index] is None or pd.isna(authors[index])
        name = ANONYMOUS_LABEL if anonymous else str(authors[index])
        words = " ".join(str(texts[index] or "").split()[:12])
        title = f"{isolate(name)} · {times[index]}" + (f" · {isolate(words)}" if words else "")
        replies = size - 1
        css = f"node d{depth % DEPTH_COLOURS}" + (" anon" if anonymous else "")
        extra = f' id="{prefix}{index}" data-p="{parent}" data-n="{replies}" tabindex="0"'
        x, top, tall = depth * column, y * row, size * row
        parts.append(_rect(css, x + 0.5, top + 0.5, column - 1, tall - 1, title, extra))
        if tall >= 14 and column >= 48:
            fit = int((column - 8) / 7.5)
            label = name if len(name) <= fit else name[: max(fit - 1, 1)] + "…"
            parts.append(_label(x + 4, top + min(tall, 22) - 7, label, css="nodelabel"))
    if left_out:
        others = layout.subthreads - layout.subthreads_shown
        summary = (
            f"{left_out:,} more comments not drawn"
            if layout.truncated
            else f"{others:,} more subthreads, {left_out:,} comments, not drawn"
        )
        parts.append(_rect("rest", 0.5, units * row + 8, max(column * levels, 520) - 1, 28, summary))
        parts.append(_label(12, units * row + 27, summary, css="restlabel"))
    label = "Reply tree as an icicle: depth left to right, size top to bottom"
    return _svg("tree", height, parts, label, role="group")


def network_chart(view: NetworkView) -> str:
    """People on a circle, busiest first from the top; an arrow per pair, thicker for more replies.

    A pair who answered each other gets two curves bowed apart (class ``mutual``); a self-reply
    is a small loop; the anonymous node is drawn dashed.
    """
    size, centre, radius = 600, 300, 230
    people = view.people
    count = len(people)
    place: dict[object, tuple[float, float, float]] = {}
    for index, name in enumerate(people["name"].tolist()):
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        place[name] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle), angle)
    heaviest = max(view.pairs["replies"].max() if len(view.pairs) else 1, 1)
    parts = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="11" markerHeight="11" '
        'markerUnits="userSpaceOnUse" '
        'orient="auto-start-reverse"><path class="arrowhead" d="M0,0L10,5L0,10z"/></marker></defs>'
    ]

    def label_of(name: object) -> str:
        return ANONYMOUS_LABEL if name is None else str(name)

    def title_of(name: object) -> str:
        return ANONYMOUS_LABEL if name is None else isolate(name)

    for source, target, replies, mutual in zip(
        view.pairs["source"], view.pairs["target"], view.pairs["replies"].tolist(), view.pairs["mutual"], strict=True
    ):
        width = 1 + 5 * math.sqrt(replies / heaviest)
        title = f"{title_of(source)} → {title_of(target)}: {replies:,} replies"
        css = "edge mutual" if mutual else "edge"
        x0, y0, angle = place[source]
        if source == target:
            dx, dy = 26 * math.cos(angle), 26 * math.sin(angle)
            d = f"M{_num(x0)},{_num(y0)}c{_num(dx - dy)},{_num(dy + dx)} {_num(dx + dy)},{_num(dy - dx)} 0,0"
            css += " self"
        else:
            x1, y1, _ = place[target]
            length = math.hypot(x1 - x0, y1 - y0) or 1
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            x0s, y0s, x1s, y1s = x0 + ux * 12, y0 + uy * 12, x1 - ux * 14, y1 - uy * 14
            bow = 0.12 * length if mutual else 0.05 * length  # both directions bow to their own right
            mx, my = (x0s + x1s) / 2 - uy * bow, (y0s + y1s) / 2 + ux * bow
            d = f"M{_num(x0s)},{_num(y0s)}Q{_num(mx)},{_num(my)} {_num(x1s)},{_num(y1s)}"
        parts.append(
            f'<path class="{css}" d="{d}" stroke-width="{_num(width)}" marker-end="url(#arrow)">'
            f"<title>{text(title)}</title></path>"
        )
    for name, made, received in zip(
        people["name"].tolist(), people["replies_made"].tolist(), people["replies_received"].tolist(), strict=True
    ):
        x, y, angle = place[name]
        css = "person anon" if name is None else "person"
        title = f"{title_of(name)}: {made:,} replies made, {received:,} received"
        parts.append(
            f'<circle class="{css}" cx="{_num(x)}" cy="{_num(y)}" r="10" tabindex="0">'
            f"<title>{text(title)}</title></circle>"
        )
        shown = label_of(name)
        shown = shown if len(shown) <= 24 else shown[:23] + "…"
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        lx, ly = x + 18 * math.cos(angle), y + 18 * math.sin(angle) + 4
        parts.append(_label(lx, ly, shown, css="name anon" if name is None else "name", anchor=anchor))
    body = "".join(parts)
    return (
        f'<svg class="chart network" viewBox="-150 0 {size + 300} {size}" role="group" '
        f'aria-label="Who answers whom">{body}</svg>'
    )
