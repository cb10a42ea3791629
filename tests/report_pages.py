"""Pages the report tests share: one written to attack the report, and how to find the parts of a report."""

from __future__ import annotations

import re
from pathlib import Path

# Every user-written field tries to break out of where it lands: HTML text, attributes,
# SVG <title>, the inline JSON, links. A script that ran would open a dialog.
HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(2)</script>',
    "javascript:alert(3)",
    "\u202eevil\u202c Reader",
    "</script><script>alert(4)</script>",
    "' onmouseover='alert(5)",
]
HOSTILE_TITLE = "</title><script>alert(6)</script> & <b>bold</b>"
HOSTILE_BODY = "</script><script>alert(7)</script>\u2028line\u2029para <svg onload=alert(8)>"
HOSTILE_FILE = '"><img src=x onerror=alert(9)>.txt'


def hostile_page() -> str:
    """A text page whose every name, title and text is an attack; replies nest so every chart has some."""
    lines = [HOSTILE_TITLE, "", f"By {HOSTILE_NAMES[1]}", "", "An article.", "", f"6 comments for “{HOSTILE_TITLE}", ""]
    for index, name in enumerate(HOSTILE_NAMES):
        depth = index % 3
        pad = "  " * (depth + 1)
        marker = f"{len(HOSTILE_NAMES) - index}." if depth == 0 else "•"
        lines += [
            f"{pad}{marker} {name}",
            f"{pad}  May {index + 1}, 2022 at 1{index}:05",
            "",
            f"{pad}  {HOSTILE_BODY}",
            "",
        ]
    lines.append("Comments are closed.")
    return "\n".join(lines) + "\n"


def write_hostile(folder: Path) -> Path:
    path = folder / HOSTILE_FILE
    path.write_text(hostile_page(), encoding="utf-8")
    return path


def svg(document: str, kind: str) -> str:
    """The first ``<svg class="chart KIND">`` element of a report."""
    match = re.search(rf'<svg class="chart {kind}".*?</svg>', document, re.DOTALL)
    assert match, f"no {kind} chart"
    return match.group()


def line_separator_thread():
    """A thread built in memory (a text page cannot hold U+2028 in a name: it ends the line there)."""
    import pandas as pd

    from commentscope.model import COMMENT_SCHEMA, Article, Thread

    name = "</script>\u2028<script>alert(10)</script>\u2029"
    frame = pd.DataFrame(
        {
            "id": ["1", "1.1"],
            "parent_id": [None, "1"],
            "depth": [0, 1],
            "position": [0, 1],
            "number": [1, None],
            "author": [name, "B"],
            "timestamp": pd.to_datetime(["2020-01-01 10:00", "2020-01-01 10:30"]),
            "text": ["a\u2028b", "c"],
            "words": [1, 1],
            "line": [1, 5],
            "kind": ["comment", "comment"],
            "path": ["1", "1.1"],
            "author_id": [None, None],
            "score": [None, None],
        }
    ).astype({column: dtype for column, (dtype, _) in COMMENT_SCHEMA.items()})
    return Thread(Article(source="memory", title=name), frame), name
