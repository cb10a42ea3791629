"""Reader for the scraped text page (see FORMAT.md in the project's shared notes and the README).

The parser works on marker lines, not on every character: one regex pass finds every
``N. `` and ``• `` line, the date rule keeps those that open a comment, and the text
between two kept markers is the first one's body. Indentation of the kept markers
gives the nesting; the indentation step is read from the page, never assumed.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from commentscope.errors import ParseError
from commentscope.ingest.dates import looks_like_date, parse_dates
from commentscope.model import COMMENT_SCHEMA, Article, LineKind, Problem, Thread

_MARKER = re.compile(r"^([ \t]*)(?:(\d{1,9})\.|•)(?:[^\S\n]+([^\n]*))?$", re.MULTILINE)
# Patterns that start with "\n" rather than "^" let re jump from newline to newline instead of
# trying every character: about five times faster on a large page. Used after a "\n" only.
_MARKER_AFTER_NEWLINE = re.compile(r"\n([ \t]*+)(?:(\d{1,9})\.|•)(?:[^\S\n]+([^\n]*))?$", re.MULTILINE)
_NONBLANK_AFTER_NEWLINE = re.compile(r"\n(?=[^\S\n]*+\S)")
_SPACE_BEFORE_NEWLINE = re.compile(r"\n(?<=[^\S\n]\n)")
_NEXT_LINE = re.compile(r"\n(?:[^\S\n]*\n)*([ \t]*)([^\n]*)")
_HEADER = re.compile(
    r"^(\d[\d,]*|one|no)[^\S\n]+(?:comments?|responses?|thoughts?|replies|reactions?)"
    r"(?:[^\S\n]+(?:for|on|to)[^\S\n]+[“\"«‘'][^\n]*|(?:[^\S\n]+(?:so far|yet))?[.:]?)[^\S\n]*$",
    re.MULTILINE | re.IGNORECASE,
)
_NONBLANK = re.compile(r"^[^\S\n]*\S", re.MULTILINE)
# Starts only where a run of spaces starts: from inside deep indentation it would rescan the run (quadratic).
_TRAILING_SPACE = re.compile(r"(?<![^\S\n])[^\S\n]++$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n\n\n+")
_SAYS = re.compile(r"\s+says:?$", re.IGNORECASE)
_SAYS_INLINE = re.compile(r"^(.*?)(?<!\s)\s+says:\s*(.+)$", re.IGNORECASE)
# A line that is itself a marker can never be the author or date line of the marker above it.
_STARTS_LIKE_MARKER = re.compile(r"(?:\d{1,9}\.|•)(?:[^\S\n]|$)")
_SPACES = re.compile(r"\s+")

LINK_LINES = frozenset({"Reply", "Log in to Reply", "Log in to reply"})
FOOTER_LINES = frozenset(
    {
        "Comments are closed.",
        "Comments are closed",
        "Leave a Reply",
        "Leave a Comment",
        "You must be logged in to post a comment.",
    }
)


@dataclass
class _Marker:
    start: int  # offset of the marker line
    body_start: int  # offset just past the comment's header lines
    indent: int
    number: int | None
    author: str | None
    date_text: str
    date_line_indent: int | None  # indent of a date/author line below the marker; None if inline
    header_lines: tuple[LineKind, ...]
    line: int = 0


def indent_width(prefix: str) -> int:
    """Columns of leading white space; a tab counts as one nesting step of the format (2)."""
    return len(prefix) + prefix.count("\t")


def clean_name(name: str) -> str:
    """Authors are matched across comments, so one spelling: single plain spaces, no 'says:'."""
    return _SAYS.sub("", _SPACES.sub(" ", name).strip())


def parse_page(text: str, source: str, *, lenient: bool = False) -> Thread:
    """Parse the text of one page. ``lenient`` keeps unreadable dates as NaT instead of raising."""
    with _garbage_collection_paused():
        return _parse_page(text, source, lenient)


@contextlib.contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """The parser makes a few objects per comment and no reference cycles, so the cyclic collector
    would only rescan them again and again: pausing it saves 8-20% of the time on large pages."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_page(text: str, source: str, lenient: bool) -> Thread:
    text = _normalise_newlines(text)
    markers = _find_markers(text)
    counts: Counter[str] = Counter()
    problems: list[Problem] = []

    header = _find_header(text, markers)
    section_start = header.start() if header else (markers[0].start if markers else len(text))
    if header:
        markers = [m for m in markers if m.start > header.start()]
    _number_lines(text, markers)

    article = _parse_article(text[:section_start], source, counts)
    if header:
        counts[LineKind.HEADER] += 1
        article.declared_comments = _declared_count(header.group(1))

    first_comment = markers[0].start if markers else len(text)
    tail_start = header.end() if header else section_start
    _place_loose_lines(text, tail_start, first_comment, not markers, counts, problems)

    comments = _build_comments(text, markers, counts, problems)
    frame = _comments_frame(comments, markers, source, lenient, problems)

    if article.declared_comments is not None and article.declared_comments != len(frame):
        problems.append(
            Problem(
                "count_mismatch",
                f"page declares {article.declared_comments} comments, parsed {len(frame)}",
                _line_of(text, header.start()) if header else None,
            )
        )
    return Thread(
        article=article,
        comments=frame,
        problems=problems,
        line_counts=counts,
        nonblank_lines=_count_nonblank(text),
    )


def _count_nonblank(text: str) -> int:
    return len(_NONBLANK_AFTER_NEWLINE.findall(text)) + (1 if _NONBLANK.match(text) else 0)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _normalise_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _find_markers(text: str) -> list[_Marker]:
    """Every marker line that the date rule confirms, in page order."""
    found = []
    first = _MARKER.match(text)
    for match in itertools.chain([first] if first else [], _MARKER_AFTER_NEWLINE.finditer(text)):
        marker = _confirm(text, match)
        if marker is not None:
            found.append(marker)
    return found


_INLINE_DATE = (LineKind.MARKER,)
_DATE_BELOW = (LineKind.MARKER, LineKind.DATE)
_AUTHOR_AND_DATE_BELOW = (LineKind.MARKER, LineKind.AUTHOR, LineKind.DATE)


@functools.lru_cache(maxsize=1 << 16)
def _after_marker(rest: str) -> tuple[bool, str | None, str | None]:
    """The text after a marker: (holds the date, author, that date). Cached, since names repeat."""
    if rest and looks_like_date(rest):
        return True, None, rest
    inline = _SAYS_INLINE.match(rest)
    if inline and looks_like_date(inline.group(2)):
        return True, clean_name(inline.group(1)), inline.group(2).strip()
    return False, clean_name(rest) if rest else None, None


def _confirm(text: str, match: re.Match[str]) -> _Marker | None:
    """The date rule: a marker opens a comment only when a date follows it."""
    start, end = match.start(1), match.end()
    indent = indent_width(match.group(1))
    number = int(match.group(2)) if match.group(2) else None
    rest = (match.group(3) or "").strip()
    dated, author, date_text = _after_marker(rest)
    if dated:
        return _Marker(start, end, indent, number, author, date_text, None, _INLINE_DATE)
    below = _NEXT_LINE.match(text, end)
    if below is None:
        return None
    below_indent = indent_width(below.group(1))
    if below_indent <= indent:
        return None
    below_text = below.group(2).strip()
    if _STARTS_LIKE_MARKER.match(below_text):
        return None
    if looks_like_date(below_text):
        return _Marker(start, below.end(), indent, number, author, below_text, below_indent, _DATE_BELOW)
    if rest or not below_text:
        return None
    date_line = _NEXT_LINE.match(text, below.end())
    if (
        date_line is None
        or indent_width(date_line.group(1)) <= indent
        or _STARTS_LIKE_MARKER.match(date_line.group(2).strip())
        or not looks_like_date(date_line.group(2))
    ):
        return None
    return _Marker(
        start,
        date_line.end(),
        indent,
        number,
        clean_name(below_text),
        date_line.group(2).strip(),
        below_indent,
        _AUTHOR_AND_DATE_BELOW,
    )


def _find_header(text: str, markers: list[_Marker]) -> re.Match[str] | None:
    """The first 'N comments for ...' line, if it comes before the first comment."""
    match = _HEADER.search(text)
    if match is None or (markers and match.start() > markers[0].start):
        return None
    return match


def _number_lines(text: str, markers: list[_Marker]) -> None:
    line, offset = 1, 0
    for marker in markers:
        line += text.count("\n", offset, marker.start)
        offset = marker.start
        marker.line = line


def _declared_count(word: str) -> int:
    word = word.lower().replace(",", "")
    return {"one": 1, "no": 0}[word] if word in ("one", "no") else int(word)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _parse_article(region: str, source: str, counts: Counter[str]) -> Article:
    """Title, standfirst, byline and body from the unindented text above the comments."""
    paragraphs = _paragraphs(region.split("\n"))
    while paragraphs and all(line in FOOTER_LINES for line in paragraphs[-1]):
        counts[LineKind.FOOTER] += len(paragraphs.pop())
    counts[LineKind.ARTICLE] += sum(len(p) for p in paragraphs)
    article = Article(source=source)
    if not paragraphs:
        return article
    article.title = paragraphs[0][0]
    rest = [paragraphs[0][1:], *paragraphs[1:]] if len(paragraphs[0]) > 1 else paragraphs[1:]
    byline_at = next((i for i, p in enumerate(rest[:3]) if p and p[0].startswith("By ") and len(p[0]) < 120), None)
    if byline_at is not None:
        if byline_at:
            article.standfirst = "\n\n".join("\n".join(p) for p in rest[:byline_at])
        byline_paragraph = rest[byline_at]
        article.byline = byline_paragraph[0][3:].strip()
        rest = ([byline_paragraph[1:]] if len(byline_paragraph) > 1 else []) + rest[byline_at + 1 :]
    article.body = "\n\n".join("\n".join(p) for p in rest if p)
    return article


def _place_loose_lines(
    text: str, start: int, end: int, no_comments: bool, counts: Counter[str], problems: list[Problem]
) -> None:
    """Lines between the header and the first comment: a footer on a page without comments, else unplaced."""
    line_no = _line_of(text, start)
    for offset, line in enumerate(text[start:end].split("\n")):
        stripped = line.strip()
        if not stripped:
            continue
        if no_comments and stripped in FOOTER_LINES:
            counts[LineKind.FOOTER] += 1
        else:
            _unplaced(problems, counts, line_no + offset, stripped)


def _unplaced(problems: list[Problem], counts: Counter[str], line: int, stripped: str) -> None:
    counts[LineKind.UNPLACED] += 1
    problems.append(Problem("unplaced", f"line not part of any comment: {stripped[:60]!r}", line))


@dataclass
class _Comment:
    depth: int
    parent: int | None
    text: str


def _nesting_step(text: str, markers: list[_Marker]) -> int:
    """Columns per nesting level: the offset of author/date lines, else the smallest gap between
    levels, else (one level, all anonymous) how far the first body sits right of its marker."""
    offsets = Counter(m.date_line_indent - m.indent for m in markers if m.date_line_indent is not None)
    if offsets:
        return offsets.most_common(1)[0][0]
    levels = sorted({m.indent for m in markers})
    gaps = [b - a for a, b in itertools.pairwise(levels)]
    if gaps:
        return min(gaps)
    body = _NEXT_LINE.match(text, markers[0].body_start)
    offset = indent_width(body.group(1)) - markers[0].indent if body and body.group(2).strip() else 0
    return offset if offset > 0 else 2


def _build_comments(text: str, markers: list[_Marker], counts: Counter[str], problems: list[Problem]) -> list[_Comment]:
    if not markers:
        return []
    step = _nesting_step(text, markers)
    base = min(m.indent for m in markers)
    comments: list[_Comment] = []
    stack: list[tuple[int, int]] = []  # (level, comment index) of the open ancestors
    stray = _stray_line(base)
    for index, marker in enumerate(markers):
        for kind in marker.header_lines:
            counts[kind] += 1
        level = round((marker.indent - base) / step)
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            parent_level, parent = stack[-1]
            depth = comments[parent].depth + 1
            if level > parent_level + 1:
                problems.append(
                    Problem("indent_jump", "reply is indented more than one level below its parent", marker.line)
                )
        else:
            parent, depth = None, 0
            if level > 0:
                problems.append(
                    Problem("orphan_reply", "reply with no comment above it to answer; kept as top level", marker.line)
                )
        stack.append((level, index))
        end = markers[index + 1].start if index + 1 < len(markers) else len(text)
        body_indent = marker.date_line_indent if marker.date_line_indent is not None else marker.indent + step
        is_last = index + 1 == len(markers)
        body = _body_text(text, marker, end, body_indent, base, is_last, stray, counts, problems)
        comments.append(_Comment(depth, parent, body))
    return comments


def _body_text(
    text: str,
    marker: _Marker,
    end: int,
    body_indent: int,
    base: int,
    is_last: bool,
    stray: re.Pattern[str],
    counts: Counter[str],
    problems: list[Problem],
) -> str:
    """The comment's text, dedented by its body indent; odd lines counted, never lost.

    The tests on the region search the page between its bounds rather than a copy of it.
    """
    start = marker.body_start
    if (
        not is_last
        and text.startswith("\n", start, end)
        and text.endswith("\n", start, end)
        and text.find("\t", start, end) < 0
    ):
        if not _unusual_line(base, body_indent).search(text, start, end):
            return _plain_body(text, start, end, body_indent, counts)
        # From start + 1: the lookbehind must not see the line above the region.
        if not stray.search(text, start, end):
            if _SPACE_BEFORE_NEWLINE.search(text, start + 1, end) or (
                body_indent > 1 and _short_indent(body_indent).search(text, start, end)
            ):
                return _fast_body(text[start:end], body_indent, counts)
            return _plain_body(text, start, end, body_indent, counts)
    region = text[start:end]
    first_line = marker.line + text.count("\n", marker.start, marker.body_start)
    lines: list[str] = []
    in_footer = False
    for offset, line in enumerate(region.split("\n")):
        stripped = line.strip()
        if not stripped:
            lines.append("")
            continue
        width = indent_width(line[: len(line) - len(line.lstrip())])
        outdented = width < base or (base == 0 and stripped in FOOTER_LINES)
        if is_last and (in_footer or outdented):
            in_footer = True
            counts[LineKind.FOOTER] += 1
        elif stripped in LINK_LINES:
            counts[LineKind.LINK] += 1
        elif outdented:
            _unplaced(problems, counts, first_line + offset, stripped)
        else:
            counts[LineKind.BODY] += 1
            lines.append(_dedent(line, body_indent).rstrip())
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def _fast_body(region: str, body_indent: int, counts: Counter[str]) -> str:
    """The common case, in C: no tabs or stray lines, so dedent and fold blank runs with regexes.

    ``region`` starts and ends with a newline, so "after a newline" is "at a line start";
    each regex pass is skipped when a plain substring test shows it would change nothing.
    """
    body = _TRAILING_SPACE.sub("", region) if _SPACE_BEFORE_NEWLINE.search(region) else region
    if body_indent > 1 and _short_indent(body_indent).search(body):
        body = _dedenter(body_indent).sub("", body)
    elif body_indent:
        body = body.replace("\n" + " " * body_indent, "\n")
    if "\n\n\n" in body:
        body = _BLANK_RUNS.sub("\n\n", body)
    body = body.strip("\n")
    if body:
        counts[LineKind.BODY] += body.count("\n") + 1 - body.count("\n\n")
    return body


def _plain_body(text: str, start: int, end: int, body_indent: int, counts: Counter[str]) -> str:
    """The commonest case of ``_fast_body``, with one copy of the text instead of three.

    The region starts and ends with a newline and has no tab, no white space before a newline
    and no line indented less than ``body_indent``, so its blank lines are empty: cutting the
    newlines at its ends and the indent of its first line before the copy is what the dedent
    and the final strip would do.
    """
    first = start
    while first < end and text[first] == "\n":
        first += 1
    if first == end:
        return ""
    last = end
    while text[last - 1] == "\n":
        last -= 1
    if body_indent > 0:
        indent = " " * body_indent
        if text.startswith(indent, first, last):
            first += body_indent
        body = text[first:last].replace("\n" + indent, "\n")
    else:
        body = text[first:last]
    if "\n\n\n" in body:
        body = _BLANK_RUNS.sub("\n\n", body)
    counts[LineKind.BODY] += body.count("\n") + 1 - body.count("\n\n")
    return body


@functools.cache
def _dedenter(width: int) -> re.Pattern[str]:
    return re.compile(rf"^ {{0,{width}}}", re.MULTILINE)


@functools.cache
def _short_indent(width: int) -> re.Pattern[str]:
    """A line indented by 1 to width-1 spaces, which a plain replace would not dedent."""
    return re.compile(rf"\n {{1,{width - 1}}}(?! )")


@functools.cache
def _stray_line(base: int) -> re.Pattern[str]:
    """After a newline: a 'Reply' link line, or a line left of the top-level markers (not body text)."""
    return re.compile(rf"\n(?:{_stray_line_rest(base)})", re.MULTILINE)


def _stray_line_rest(base: int) -> str:
    link = r"[^\S\n]*(?:Reply|Log in to Reply|Log in to reply)[^\S\n]*$"
    outdented = rf"| {{0,{base - 1}}}\S" if base else ""
    return link + outdented


@functools.cache
def _unusual_line(base: int, body_indent: int) -> re.Pattern[str]:
    """After a newline, what the stray-line, space-before-newline or short-indent tests look for:
    one pass finds whether a region needs any of them."""
    short = rf"| {{1,{body_indent - 1}}}(?! )" if body_indent > 1 else ""
    return re.compile(rf"\n(?:{_stray_line_rest(base)}|(?<=[^\S\n]\n){short})", re.MULTILINE)


def _dedent(line: str, width: int) -> str:
    """Drop up to ``width`` columns of leading spaces/tabs, keeping any deeper indentation."""
    taken = cut = 0
    for char in line:
        if char not in " \t" or taken >= width:
            break
        taken += 2 if char == "\t" else 1
        cut += 1
    return line[cut:]


def _comments_frame(
    comments: list[_Comment], markers: list[_Marker], source: str, lenient: bool, problems: list[Problem]
) -> pd.DataFrame:
    timestamps = parse_dates([m.date_text for m in markers])
    unreadable = timestamps.isna().to_numpy().nonzero()[0]
    for index in unreadable:
        marker = markers[index]
        if not lenient:
            raise ParseError(f"cannot read the date {marker.date_text!r}", source=source, line=marker.line)
        problems.append(Problem("unreadable_date", f"cannot read the date {marker.date_text!r}", marker.line))

    ids = _comment_ids(comments, markers, problems)
    texts = [c.text for c in comments]
    columns = {
        "id": ids,
        "parent_id": [None if c.parent is None else ids[c.parent] for c in comments],
        "depth": [c.depth for c in comments],
        "position": list(range(len(comments))),
        "number": [m.number if c.parent is None else None for c, m in zip(comments, markers, strict=True)],
        "author": [m.author for m in markers],
        "timestamp": timestamps.to_numpy(),
        "text": texts,
        "words": [len(t.split()) for t in texts],
        "line": [m.line for m in markers],
    }
    return pd.DataFrame({name: pd.Series(columns[name], dtype=dtype) for name, (dtype, _) in COMMENT_SCHEMA.items()})


def _comment_ids(comments: list[_Comment], markers: list[_Marker], problems: list[Problem]) -> list[str]:
    """Path ids: the site's number at top level (position when numbers are missing or repeat), then parent.k."""
    top_numbers = [m.number for c, m in zip(comments, markers, strict=True) if c.parent is None]
    seen: Counter[int | None] = Counter(top_numbers)
    for number, times in seen.items():
        if number is not None and times > 1:
            problems.append(Problem("duplicate_number", f"top-level number {number} appears {times} times"))
    use_numbers = None not in seen and all(times == 1 for times in seen.values())
    ids: list[str] = []
    replies_so_far = [0] * len(comments)  # by parent index: a list is cheaper than a Counter
    for position, (comment, marker) in enumerate(zip(comments, markers, strict=True)):
        parent = comment.parent
        if parent is None:
            ids.append(str(marker.number) if use_numbers else str(position))
        else:
            replies = replies_so_far[parent] + 1
            replies_so_far[parent] = replies
            ids.append(f"{ids[parent]}.{replies}")
    return ids
