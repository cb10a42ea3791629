"""The text page's comment rule, written plainly, line by line: the executable spec of the fast engine.

``reference_markers`` is the rule of docs/format.md ("a marker opens a comment only when a date
follows it") as one loop over a page's lines, with no arrays. The fast engine in
``readers/textpage.py`` finds the same comments with column operations over all lines at once;
the tests below hold the two to identical results, and to identical Threads, on every sample,
on generated pages and on pages mutated at random. To change the rule, change it here first,
then make the engine agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentscope.model import Article
from commentscope.page_generator import write_page
from commentscope.readers import layout, textpage
from commentscope.readers.dates import SPACE_CHARS, looks_like_date
from commentscope.readers.textpage import (
    _MARKER_PARTS,
    _STARTS_LIKE_MARKER,
    Layout,
    _clean_names,
    _find_markers,
    _Lines,
    _normalised,
    _split_author_date,
    indent_width,
)

SAMPLES = Path(__file__).parents[2] / "samples"
#: What may follow an ASCII bullet for it to be a marker: white space, or the line's end.
_AFTER_ASCII_BULLET = (" ", "\t", "\n", "\xa0", "\x85")


@dataclass(frozen=True)
class Marker:
    """A line that opens a comment, and what the rule read from it."""

    line: int  # 0-based
    width: int
    number: int | None
    author: str | None
    date_text: str
    layout: Layout
    body_first_line: int
    kind: str = "comment"


def reference_markers(page: str) -> list[Marker]:
    """Every line that opens a comment, by the rule, one line at a time.

    1. A marker line is, after its indent, a number with "." or ")" or a bullet (no-break spaces
       around it allowed), then white space and the rest of the line, or nothing.
    2. It opens a comment when a date follows it:
       - INLINE: the rest of the marker line is a date ("• March 3, 2021"), or an author and a
         date ("Jane says: March 3, 2021 at 9:15 pm", either order, with the joining words);
       - DATE_BELOW: else, the next non-blank line sits right of the marker and is a date (the
         marker line's rest, if any, is the author);
       - AUTHOR_AND_DATE_BELOW: else, when the marker is alone on its line, the next non-blank line
         (the author, at any indent: lynx) and the one after it (right of the marker) are the
         author and a date.
       - DATE_BELOW too: the next line, right of the marker, holds an author and a date, and
         the marker line holds that name (an avatar's alt text) or only an avatar's placeholder.
       A line that itself starts like a marker is never the author or date line of another,
       unless it is a date only with its number ("24. Januar um 13:05": a day, not a marker).
       Header lines are read without the links after them and an avatar's placeholder before
       them (``_header_text``); an author and a date split off the marker line stay so unless the
       date is a word without a digit over a date line below ("nyss Ada": all name).
    3. A marker line whose rest starts "Pingback:" or "Trackback:" opens a comment of that kind
       whether or not a date follows (its date is then empty); its author is the title after it.
    """
    lines = page.split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip(SPACE_CHARS)]
    following = {here: [*nonblank[k + 1 : k + 3], None, None][:2] for k, here in enumerate(nonblank)}
    found = []
    for index in nonblank:
        line = lines[index]
        content = line.lstrip(" \t")
        if not _may_start_a_marker(content):
            continue
        parts = re.match(_MARKER_PARTS, content + "\n")
        if parts is None:
            continue
        width = _width(line)
        rest = (parts.group("rest") or "").strip(SPACE_CHARS)
        below, below2 = following[index]
        marker = _opened(lines, index, width, rest, below, below2)
        ping = re.match(layout.PINGBACK, rest)
        if marker is None and ping:
            marker = _header_text(rest), "", Layout.INLINE, index
        if marker is not None:
            author, date_text, kind, date_line = marker
            if ping and author is not None:
                author = re.sub(layout.PINGBACK, "", author)
            number = parts.group("number")
            found.append(
                Marker(
                    line=index,
                    width=width,
                    number=int(number) if number else None,
                    author=author,
                    date_text=date_text,
                    layout=kind,
                    body_first_line=(index if kind is Layout.INLINE else date_line) + 1,
                    kind=ping.group("kind").lower() if ping else "comment",
                )
            )
    return found


def _opened(
    lines: list[str], index: int, width: int, rest: str, below: int | None, below2: int | None
) -> tuple[str | None, str, Layout, int] | None:
    pictured = bool(rest) and not _header_text(rest)  # nothing but an avatar's placeholder
    rest = _header_text(rest)
    if rest and looks_like_date(rest):
        return None, rest, Layout.INLINE, index
    below_ok = not (below is None or (rest and _width(lines[below]) <= width) or _starts_like_marker(lines[below]))
    below_text = _header_text(lines[below].strip(SPACE_CHARS)) if below_ok and below is not None else ""
    date_below = below_ok and below is not None and _width(lines[below]) > width and looks_like_date(below_text)
    if rest:
        said = _split_author_date(rest) if re.search(textpage.DATE_SHAPE, rest) else None
        # ... unless the date split off is a word without a digit ("nyss Ada") over a date line
        if said and not (date_below and not any(char.isdigit() for char in said[1])):
            return said[0], said[1], Layout.INLINE, index
    # The line below may be the date; with nothing after the marker it may be the author, at any indent.
    if not below_ok or below is None:
        return None
    if date_below:
        return rest or None, below_text, Layout.DATE_BELOW, below
    # ... or the author and the date, right of a marker holding the same name or only a placeholder
    said = _split_author_date(below_text) if re.search(textpage.DATE_SHAPE, below_text) else None
    author_and_date_below = None
    if said and _width(lines[below]) > width and ((rest and rest == said[0]) or pictured):
        author_and_date_below = said[0], said[1], Layout.DATE_BELOW, below
    if rest or below2 is None or _width(lines[below2]) <= width or _starts_like_marker(lines[below2]):
        return author_and_date_below
    below2_text = _header_text(lines[below2].strip(SPACE_CHARS))
    if looks_like_date(below2_text):
        return below_text, below2_text, Layout.AUTHOR_AND_DATE_BELOW, below2
    return author_and_date_below


def _header_text(text: str) -> str:
    """A header line without the links after it (a bare link word only after a date or a
    pingback's title; after a sign or in brackets always) and without an avatar's placeholder
    before it (unless the name holds bracketed markup, the brackets are a Markdown link's, or only
    'says:' would be left)."""
    linked = re.search(layout.HEADER_LINKS_AFTER, text)
    if not (linked or text.startswith("[")):
        return text
    if linked:
        unlinked = re.sub(layout.HEADER_LINKS_AFTER, "", text)
        signed = re.search(layout.SIGNED_LINKS_AFTER, text) or re.match(layout.PINGBACK, text)
        if signed or looks_like_date(unlinked):
            text = unlinked
    if re.search(layout.BRACKETED_MARKUP, text) or re.match(r"\[[^\]]*\]\(", text):
        return text
    plain = re.sub(layout.AVATAR_PREFIX, "", text)
    return text if re.fullmatch(rf"(?i)(?:{layout.SAYS_WORDS}) ?:?", plain) else plain


def _may_start_a_marker(content: str) -> bool:
    """A digit or a no-break space, an ASCII bullet before white space, or a wider bullet."""
    if not content:
        return False
    first = content[0]
    if first.isascii():
        if first in "0123456789":
            return True
        return first in layout.BULLETS and content[1:2] in (*_AFTER_ASCII_BULLET, "")
    return first.encode()[0] == 0xC2 or first in layout.BULLETS


def _starts_like_marker(line: str) -> bool:
    text = line.strip(SPACE_CHARS)
    if re.match(_STARTS_LIKE_MARKER, text) is None:
        return False
    rest = re.sub(_STARTS_LIKE_MARKER, "", text).strip(SPACE_CHARS)
    return not (looks_like_date(text) and not looks_like_date(rest))


def _width(line: str) -> int:
    return indent_width(line[: len(line) - len(line.lstrip())])


def fast_markers(page: str) -> list[Marker]:
    """The fast engine's markers, in the same form."""
    data = _normalised(page.encode("utf-8", "surrogatepass"))
    found, _ = _find_markers(_Lines(data))
    return [
        Marker(
            line=int(found.line[i]),
            width=int(found.width[i]),
            number=found.number[i].as_py(),
            author=found.author[i].as_py(),
            date_text=found.date_text[i].as_py(),
            layout=Layout(int(found.kind[i])),
            body_first_line=int(found.body_first_line[i]),
            kind=found.comment_kind[i].as_py(),
        )
        for i in range(len(found))
    ]


def _cleaned(markers: list[Marker]) -> list[Marker]:
    """Author names as the engine keeps them (one spelling: no avatar text, no 'says:')."""
    import pyarrow as pa

    names = _clean_names(pa.array([m.author for m in markers], pa.large_string())).to_pylist()
    return [Marker(**{**vars(m), "author": name}) for m, name in zip(markers, names, strict=True)]


def _agree(page: str) -> None:
    text = _normalised(page.encode("utf-8", "surrogatepass")).decode()
    assert fast_markers(page) == _cleaned(reference_markers(text))


def _pages() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*.txt"))


@pytest.mark.parametrize("path", _pages(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_the_engine_follows_the_rule_on_every_sample(path: Path) -> None:
    page = path.read_text(encoding="utf-8", errors="replace")
    if textpage.markdown.looks_like_markdown(page.encode()):
        page = textpage.markdown.normalise(page)
    _agree(page)


@pytest.mark.parametrize("path", _pages()[:12], ids=lambda p: str(p.relative_to(SAMPLES)))
def test_the_rule_gives_identical_threads(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference's markers, fed to the rest of the reader, make the very Thread the engine makes."""
    data = path.read_bytes()
    fast = textpage.parse_page(data, str(path), lenient=True)
    engine = textpage._find_markers

    def by_the_rule(lines: _Lines) -> tuple[textpage._Markers, object]:
        _, rejected = engine(lines)
        return _as_engine_markers(_cleaned(reference_markers(bytes(lines.data).decode())), lines), rejected

    monkeypatch.setattr(textpage, "_find_markers", by_the_rule)
    slow = textpage.parse_page(data, str(path), lenient=True)
    pd.testing.assert_frame_equal(fast.comments, slow.comments)
    assert (fast.problems, fast.diagnostics) == (slow.problems, slow.diagnostics)


def _as_engine_markers(markers: list[Marker], lines: _Lines) -> textpage._Markers:
    import numpy as np
    import pyarrow as pa

    def column(name: str) -> np.ndarray:
        return np.array([getattr(m, name) for m in markers], dtype=np.int64)

    date_lines = column("body_first_line") - 1
    return textpage._Markers(
        line=column("line"),
        width=column("width").astype(np.int32),
        number=pa.array([m.number for m in markers], pa.int64()),
        author=pa.array([m.author for m in markers], pa.large_string()),
        date_text=pa.array([m.date_text for m in markers], pa.large_string()),
        date_line_width=np.where(column("layout") == Layout.INLINE, -1, lines.width[date_lines]),
        body_first_line=column("body_first_line"),
        kind=column("layout"),
        comment_kind=pa.array([m.kind for m in markers], pa.large_string()),
    )


def fast_markers_from(found: textpage._Markers) -> list[Marker]:
    return [
        Marker(
            int(found.line[i]),
            int(found.width[i]),
            found.number[i].as_py(),
            found.author[i].as_py(),
            found.date_text[i].as_py(),
            Layout(int(found.kind[i])),
            int(found.body_first_line[i]),
            found.comment_kind[i].as_py(),
        )
        for i in range(len(found))
    ]


_NAMES = st.one_of(st.none(), st.sampled_from(["Ann", "Bo Lind", "Avatar Kim", "Jo says:", "[IMG] Ray"]))
_TEXTS = st.sampled_from(
    ["Fine.", "Two\n\nparagraphs", "- a list line\n- another", "1. not a comment", "March 3", "* Pingback: Linked"]
)


@st.composite
def generated_pages(draw: st.DrawFn) -> str:
    count = draw(st.integers(min_value=1, max_value=8))
    depths = [0]
    for _ in range(count - 1):
        depths.append(draw(st.integers(min_value=0, max_value=depths[-1] + 1)))
    frame = pd.DataFrame(
        {
            "depth": depths,
            "number": [i + 1 if d == 0 else None for i, d in enumerate(depths)],
            "author": [draw(_NAMES) for _ in depths],
            "timestamp": pd.date_range("2021-03-03 09:15", periods=count, freq="37min"),
            "text": [draw(_TEXTS) for _ in depths],
        }
    )
    return write_page(Article(source="gen", title="T"), frame, step=draw(st.sampled_from([2, 3, 4])))


_MUTATIONS = st.sampled_from(["drop", "repeat", "indent", "outdent", "bullet", "nbsp", "join", "blank"])


@st.composite
def mutated_pages(draw: st.DrawFn) -> str:
    lines = draw(generated_pages()).split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        mutation = draw(_MUTATIONS)
        line = lines[at]
        if mutation == "drop":
            del lines[at]
        elif mutation == "repeat":
            lines.insert(at, line)
        elif mutation == "indent":
            lines[at] = "  " + line
        elif mutation == "outdent":
            lines[at] = line[2:] if line.startswith("  ") else line
        elif mutation == "bullet":
            lines[at] = re.sub(
                r"^(\s*)(?:[0-9]+\.|•)", lambda m: m.group(1) + draw(st.sampled_from(["*", "o", "◦", "3)", "#"])), line
            )
        elif mutation == "nbsp":
            lines[at] = line.replace(" ", "\xa0", 1)
        elif mutation == "join" and at + 1 < len(lines):
            lines[at : at + 2] = [lines[at] + " " + lines[at + 1].strip()]
        elif mutation == "blank":
            lines.insert(at, "")
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_pages())
def test_the_engine_follows_the_rule_on_generated_pages(page: str) -> None:
    _agree(page)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_pages())
def test_the_engine_follows_the_rule_on_mutated_pages(page: str) -> None:
    _agree(page)
