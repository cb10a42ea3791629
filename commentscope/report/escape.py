"""Making user-written text safe in the report: HTML text, attributes, SVG and inline JSON.

Names, titles, comment texts and file names come from pages anyone can write, so every
one of them goes through here on its way into the page. Control characters (which HTML
forbids and a terminal would obey) become U+FFFD. Bidi overrides are kept as written but
isolated, so they cannot turn the text around them: by ``bdi`` and ``unicode-bidi:
isolate`` in markup, and by ``isolate`` in plain text (tooltips, the document title).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What could end or confuse an inline <script> block, and the two line separators
# that JavaScript before ES2019 read as line ends inside strings.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def text(value: Any) -> str:
    """Escaped for HTML and SVG text and for double-quoted attributes alike (quotes included)."""
    return html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def isolate(value: object) -> str:
    """User text set apart inside a plain-text string (first-strong isolate ... pop isolate)."""
    return f"\u2068{value}\u2069"


def script_json(value: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever the strings hold."""
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda match: _SCRIPT_UNSAFE[match.group()], encoded)


def safe_url(value: str | None) -> str | None:
    """The address, if it is a web address a link may point to; None for javascript:, data: and the rest."""
    if value and re.match(r"https?://[^\s]+$", value.strip(), re.IGNORECASE):
        return value.strip()
    return None
