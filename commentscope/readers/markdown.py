"""html2text's Markdown, brought to the layout the text reader reads, line for line.

html2text indents a comment's marker (`  1. ![](avatar.png) **[Name](https://…)** says:`) but
writes its date (a link, often wrapped over lines) and its body at column 0. This module, run
only on pages that look like such Markdown, takes link, image and emphasis syntax off marker lines
(an image alone on one becomes the `[image]` placeholder a text browser prints for an avatar)
and off links that stand alone on their lines as dates or leftovers (`[Reply](…)`), and indents
each comment's lines under its marker's text, up to the next comment or the end of the section.
Every line stays where it was, so line numbers still point into the page as saved. Comment texts
keep their words and their links, except an autolink (`<https://…>`), whose URL is its text, and
lose the backslashes html2text escapes signs with (`1\\.`, `\\*`).
"""

from __future__ import annotations

import re

from commentscope.readers import layout
from commentscope.readers.dates import looks_like_date

_MARKER_LINE = re.compile(r"^( *)(\d{1,9}[.)]|[*+-])( +)(.*)$")
_MARKDOWN_ON_MARKER = re.compile(rb"(?m)^ *(?:\d{1,9}\.|[*+-]) +(?:!\[|\*\*|\[)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_IMAGE_ALT = re.compile(r"!\[([^\]]+)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ESCAPE = re.compile(r"\\([-\\`*_{}\[\]()#+.!|])")
# A link that is its line's whole content, its text and URL possibly wrapped over lines.
_LINE_LINK = re.compile(r"(?m)^[ \t]*\[([^\[\]]{0,200})\]\(([^()\s]*(?:\n[^()\s]*)*)\)[ \t]*$")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HEADING = re.compile(r"(?m)^#{1,6} +")
_HEADER_LINKS = re.compile(layout.HEADER_LINKS_AFTER)
_PINGBACK = re.compile(layout.PINGBACK)
_LEFTOVERS = frozenset({"Reply", "Log in to Reply", "Like", "Edit"})
#: Markdown links a page's head needs before the page is read as html2text's.
_FEWEST_LINKS = 3
_HEAD = 1 << 16


def looks_like_markdown(data: bytes) -> bool:
    """Whether a page is html2text's Markdown: links or images near its top (its navigation, as html2text
    writes a whole page), and a list line opening with an image, a link or bold text. Only the
    head is read unless it has links, so a large page without them costs nothing."""
    if data[:_HEAD].count(b"](") < _FEWEST_LINKS:
        return False
    return _MARKDOWN_ON_MARKER.search(data) is not None


def normalise(text: str) -> str:
    """The page with its comments laid out as the text reader reads them, line for line."""
    text = _LINE_LINK.sub(_line_link, text)
    headings = {number for number, line in enumerate(text.split("\n")) if _HEADING.match(line)}
    text = _HEADING.sub("", _AUTOLINK.sub(r"\1", text))
    lines = text.split("\n")
    indent: str | None = None  # what the lines of the comment being read are indented by
    for number, line in enumerate(lines):
        marker = _MARKER_LINE.match(line)
        if marker and (_IMAGE.search(line) or _LINK.search(line) or "**" in line):
            # an image alone stays as the placeholder a text browser prints for it: an avatar
            rest = _plain(marker.group(4)) or ("[image]" if _IMAGE.search(marker.group(4)) else "")
            line = lines[number] = f"{marker.group(1)}{marker.group(2)}{marker.group(3)}{rest}"
        header = _header_below(_plain(marker.group(4)), lines, number) if marker else None
        if header is not None:
            indent = " " * (len(marker.group(1)) + len(marker.group(2)) + len(marker.group(3)))
            for below in header:  # its author and date lines, as plain as the marker's
                lines[below] = _plain(lines[below])
            alt = _IMAGE_ALT.search(marker.group(4))
            if len(header) == 1 and not _plain(marker.group(4)) and alt and lines[header[0]].startswith(alt[1] + " "):
                # an avatar whose alt text is the name over "Name on DATE": the name on the marker line
                lines[number] = f"{marker.group(1)}{marker.group(2)}{marker.group(3)}{alt[1]}"
        elif indent is not None and line.strip():
            # a heading is the page's next section: html2text writes none inside a comment
            if number in headings or line.strip().rstrip(":*. ") in layout.SECTION_END_LINES:
                indent = None
            elif line.startswith("    ") or "`" in line:  # code: html2text escapes nothing there
                lines[number] = indent + line
            else:  # without html2text's escapes: "1\\. one" is "1. one" as the commenter wrote it
                lines[number] = indent + _ESCAPE.sub(r"\1", line)
    return "\n".join(lines)


def _plain(text: str) -> str:
    """A header line's text without image, link and emphasis syntax, and without the backslashes
    html2text escapes signs with (``\\-``)."""
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub(r"\2", _LINK.sub(r"\1", _IMAGE.sub("", text)))).strip()


def _line_link(match: re.Match[str]) -> str:
    """A link alone on its line: its text when it is a date or a leftover (the line breaks it held
    kept as blank lines), else the link as it was."""
    words = " ".join(match.group(1).split())
    if looks_like_date(words) or words in _LEFTOVERS:
        return words + "\n" * match.group(0).count("\n")
    return match.group(0)


def _header_below(rest: str, lines: list[str], number: int) -> list[int] | None:
    """Whether a marker line opens a comment, and if so its header's lines below it (none, its
    date line, or its author's line and date line). It does when it is a pingback's or holds a
    date, or when its next non-blank line is a date; when the marker stands alone (its avatar
    taken off), also when that line ends with a date (after the author) or the one after it is."""
    if _PINGBACK.match(rest) or _ends_with_date(rest):
        return []
    below = [at for at in range(number + 1, min(number + 6, len(lines))) if lines[at].strip()][:2]
    texts = [_HEADER_LINKS.sub("", _plain(lines[at])) for at in below]
    if texts and (looks_like_date(texts[0]) or (not rest and _ends_with_date(texts[0]))):
        return below[:1]
    if not rest and len(texts) > 1 and looks_like_date(texts[1]):
        return below
    return None


def _ends_with_date(rest: str) -> bool:
    """Whether a line is a date, or ends with one (after an author's name); a date holds a digit."""
    if not any(char.isdigit() for char in rest):
        return False
    words = rest.split()
    return any(looks_like_date(" ".join(words[cut:])) for cut in range(max(0, len(words) - 8), len(words)))
