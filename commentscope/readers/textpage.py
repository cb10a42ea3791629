"""Reader for the saved text page: the format is described in docs/format.md, and its comment rule is
written out line by line in tests/readers/test_rules.py (the executable spec this engine is tested against).

The page is never turned into one Python string or a list of lines. Its UTF-8 bytes are
viewed as an Arrow array of lines without a copy, and every rule is a column operation
over all lines at once (Arrow's string kernels, numpy): which lines are blank, how far
each is indented, which are marker lines. The date rule keeps the markers that open a
comment, the text between two kept markers is the first one's body, and the indentation
of the kept markers gives the nesting; the indentation step is read from the page, never
assumed. Python loops run only over the odd lines (tabs in an indent, white space other than
spaces at either end, stray lines) and over the text above the first comment. A large page is
worked in parts, two threads at a time, and a mapped page is handed back as it is consumed.
"""

from __future__ import annotations

import mmap
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commentscope.errors import ParseError
from commentscope.model import COMMENT_SCHEMA, Article, Diagnostics, Problem, Thread
from commentscope.parallel import in_parallel
from commentscope.readers import layout, markdown
from commentscope.readers.dates import (
    DATE_SHAPE,
    SPACE,
    SPACE_CHARS,
    are_relative,
    dates_like,
    looks_like_date,
    looks_like_year,
    moment_phrases,
    parse_dates,
    read_page_dates,
)
from commentscope.readers.records import Tree, build_tree
from commentscope.readers.registry import OwnedBytes, Page, ReadOptions

_INLINE_SPACE = f"[{SPACE_CHARS.replace(chr(10), '')}]"
_NOT_A_NAME = pa.array(sorted(layout.NOT_A_NAME), pa.large_string())
_MARKER = rf"(?:(?P<number>[0-9]{{1,9}})[.)]|[{layout.BULLETS}])"
_MARKER_PARTS = rf"^{_INLINE_SPACE}*{_MARKER}(?:{_INLINE_SPACE}+(?P<rest>.*))?\n?$"
# A line that is itself a marker can never be the author or date line of the marker above it.
_STARTS_LIKE_MARKER = rf"^(?:[0-9]{{1,9}}[.)]|[{layout.BULLETS}])(?:{SPACE}|$)"
_UNCLEAN_NAME = (
    rf"(?i)[{SPACE_CHARS.replace(' ', '')}]|  | (?:{layout.SAYS_WORDS}) ?:?$|[\[\]*]"
    "|^(?:avatar|gravatar|user|profile|photo)"
)
# The lines a header's title wraps onto, up to a blank line.
_WRAPPED = re.compile(r"(?:\n[^\S\n]*\S[^\n]*)*")
_HEADER = re.compile(
    rf"^[^\S\n]*(?:#{{1,6}}[^\S\n]+)?(?:(?:{layout.HEADER_LEADS})[^\S\n]+)?(\d{{1,3}}(?:[,.]\d{{3}})+|\d+|one|no)[^\S\n]+(?:{layout.HEADER_WORDS})"
    r"(?:[^\S\n]+(?:for|on|to|zu|sur|à|en|a|para|su|op|em|do)[^\S\n]+[“\"«‘'„][^\n]*"
    r"|(?:[^\S\n]+(?:so far|yet))?[.:]?)[^\S\n]*$",
    re.MULTILINE | re.IGNORECASE,
)

# "Reply" as WordPress's translations print it, too, Blogger's "Reply" and "Delete" (the latter
# in every saved page, hidden only by the blog's style), and the notice above a comment held for
# moderation (the page's own furniture, as the HTML reader counts it).
LINK_LINES = frozenset(
    {
        "Your comment is awaiting moderation.",
        "Dein Kommentar muss noch freigegeben werden.",
        "Votre commentaire est en attente de modération.",
        "Tu comentario está pendiente de moderación.",
        "Reply",
        "ReplyDelete",
        "Reply Delete",
        "Delete",
        "Log in to Reply",
        "Log in to reply",
        "Antworten",
        "Répondre",
        "Responder",
        "Rispondi",
        "Beantwoorden",
        "Odpowiedz",
        "Svara",
    }
)
FOOTER_LINES = frozenset(
    {
        "Comments are closed.",
        "Comments are closed",
        "Leave a Reply",
        "Leave a Comment",
        "You must be logged in to post a comment.",
    }
)
# Lines longer than this (after their indent) cannot be a link or a footer line.
_LONGEST_STOCK_LINE = max(len(line.encode()) for line in LINK_LINES | FOOTER_LINES)
# Smaller arrays are worked in one thread: splitting would cost more than it saves.
_BYTES_PER_THREAD = 1 << 19
# Comments' texts are gathered in parts of about this much page, so scratch arrays stay small.
_BYTES_PER_PART = 4 << 20
_NEWLINE_CHUNK = 1 << 23
# Word counts read the texts in slices of at most this much: each slice's masks are this size.
_COUNTING_SLICE = 1 << 20
_BYTE_ONES = np.uint64(0x0101010101010101)
_TOP_BYTE = np.uint64(56)
_LOW_BYTES = np.array([(1 << 8 * count) - 1 for count in range(8)], dtype=np.uint64)
_CANDIDATES_PER_THREAD = 2_000
_SECTION_END_FIRST = np.isin(np.arange(256), sorted({line.encode()[0] for line in layout.SECTION_END_LINES}))
_SECTION_END_PAIRS = np.array(sorted({int.from_bytes(line.encode()[:2]) for line in layout.SECTION_END_LINES}))
_SECTION_END_LENGTHS = np.isin(
    np.arange(layout.LONGEST_SECTION_END + 5),
    sorted({len(line.encode()) + extra for line in layout.SECTION_END_LINES for extra in range(1, 5)}),
)
# Dated list lines above a comments header looked at (a post's meta: date, author, category).
_MOST_LEADING_FURNITURE = 20
_BOM = "\ufeff".encode()
_MARKER_LEAD = np.isin(np.arange(256), sorted(layout.MARKER_LEADS))
_ASCII_BULLET = np.isin(np.arange(256), sorted(layout.ASCII_BULLETS))
_WIDE_BULLETS = np.array(sorted(int.from_bytes(bullet) for bullet in layout.WIDE_BULLETS), dtype=np.int64)
_AFTER_ASCII_BULLET = np.isin(np.arange(256), [0x20, 0x09, 0x0A, 0xC2])
_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # what dtype="str" means in pandas 3


# White space as UTF-8 byte sequences packed into integers, by length: whether one starts or ends
# at an offset is then a few array lookups, where decoding the line would cost a Python string.
# Starting a line's text, spaces and tabs are the indent itself; ending it, they are trailing space.
_SPACE_CODES = {
    reverse: {
        size: np.array(
            sorted(
                int.from_bytes(char.encode())
                for char in SPACE_CHARS
                if len(char.encode()) == size and char != "\n" and (reverse or char not in " \t")
            ),
            dtype=np.int64,
        )
        for size in (1, 2, 3)
    }
    for reverse in (False, True)
}
# Which bytes can begin (or, reversed, end) one of those encodings: a 256-entry lookup table.
_SPACE_BYTES = {
    reverse: np.isin(
        np.arange(256),
        [code.to_bytes(size)[-1 if reverse else 0] for size, codes in by_size.items() for code in codes.tolist()],
    )
    for reverse, by_size in _SPACE_CODES.items()
}


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """Sorted byte values as runs of consecutive ones: (first, how many)."""
    pieces = np.split(values, np.flatnonzero(np.diff(values) != 1) + 1) if len(values) else []
    return [(int(piece[0]), len(piece)) for piece in pieces]


#: The same lead bytes above the control characters (which the masks count as odd already) as runs,
#: for the word counts' masks, which test every byte of a page: a subtraction and a comparison per
#: run cost a tenth of a table lookup per byte.
_SPACE_LEAD_RUNS = _runs(np.flatnonzero(_SPACE_BYTES[False] & (np.arange(256) >= 32)))


class LineKind(StrEnum):
    """What each non-blank line of a page was read as: the text reader's ``Thread.diagnostics``
    counts lines by these, and they add up to the page's non-blank lines."""

    ARTICLE = "article"
    HEADER = "comments_header"
    MARKER = "marker"
    AUTHOR = "author"
    DATE = "date"
    BODY = "body"
    LINK = "link"  # "Reply" / "Log in to Reply" and like buttons' leftovers, moderation notices: counted, not text
    FOOTER = "footer"
    UNPLACED = "unplaced"


def indent_width(prefix: str) -> int:
    """Columns of leading white space; a tab counts as one nesting step of the format (2)."""
    return len(prefix) + prefix.count("\t")


def parse_page(
    page: str | Page | OwnedBytes,
    source: str,
    *,
    lenient: bool = False,
    day_first: bool | None = None,
    now: datetime | None = None,
) -> Thread:
    """Parse one page (its text, or its UTF-8 bytes). ``lenient`` keeps unreadable dates as NaT instead
    of raising; ``day_first`` reads numeric dates whose fields could be either way (else month first,
    reported as guessed); ``now`` is when the page was saved, for relative dates ("3 days ago"),
    which are kept empty and reported without it."""
    if isinstance(page, str):
        page = page.encode("utf-8", "surrogatepass")
    data = _normalised(page.take() if isinstance(page, OwnedBytes) else page)
    if markdown.looks_like_markdown(data):
        data = markdown.normalise(bytes(data).decode()).encode("utf-8", "surrogatepass")
    return _PageParser(_Lines(data), source, lenient, day_first, now).thread()


def sniff(head: bytes) -> bool:
    """The text page is the fallback reader: it claims nothing by content."""
    return False


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    """The registry's entry: one page, one Thread."""
    return [parse_page(page, source, lenient=options.lenient, day_first=options.day_first, now=options.now)]


def _normalised(data: Page) -> Page:
    """No byte-order mark, and only newlines ending lines, the last line too (a mapped file that
    needs none of it stays mapped)."""
    if data[: len(_BOM)] == _BOM:
        data = data[len(_BOM) :]
    if data.find(b"\r") >= 0:
        data = bytes(data).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if len(data) and data[-1:] != b"\n":
        data = bytes(data) + b"\n"
    return data


class _Lines:
    """The page as Arrow strings, one per line (each keeps its newline), over the page's own bytes."""

    def __init__(self, data: Page) -> None:
        self.data = data
        self.released = 0  # bytes at the start of a mapped page already handed back
        self.view = np.frombuffer(data, dtype=np.uint8)
        self.starts = _line_starts(self.view)  # line i is data[starts[i]:starts[i + 1]]
        self.count = len(self.starts) - 1
        self.array = pa.LargeStringArray.from_buffers(self.count, pa.py_buffer(self.starts), pa.py_buffer(data))
        self.indent = _indents(self.array)
        after_indent = self.starts[:-1] + self.indent
        self.first_byte = self.view[after_indent]  # after the indent; a blank line's is its newline
        self.blank = self.first_byte == 10
        self.width = self.indent.copy()  # columns of all leading white space
        odd = np.zeros(self.count, dtype=bool)
        maybe = np.flatnonzero(_SPACE_BYTES[False][self.first_byte])
        odd[maybe] = _space_starts_at(self.view, after_indent[maybe])
        if data.find(b"\t") >= 0:
            odd |= self.indent > 0
        for index in np.flatnonzero(odd):
            line = self.text(index)
            content = line.lstrip()
            self.blank[index] = not content
            self.width[index] = indent_width(line[: len(line) - len(content)])

    def release_before(self, line: int) -> None:
        """Hand the memory pages of a mapped file before this line back to the system: the lines
        above it will not be read again. (Read again, they would come back from the file.)"""
        if not isinstance(self.data, mmap.mmap) or not hasattr(self.data, "madvise"):
            return
        end = int(self.starts[line]) // mmap.PAGESIZE * mmap.PAGESIZE
        if end > self.released:
            self.data.madvise(mmap.MADV_DONTNEED, self.released, end - self.released)
            self.released = end

    def text(self, index: int) -> str:
        """One line, without its newline."""
        return self.data[self.starts[index] : self.starts[index + 1]].decode().rstrip("\n")

    def contents(self, indices: np.ndarray) -> pa.Array:
        """The lines at these increasing indices past their indent, cut from the page's bytes:
        a deeply indented line costs no more than its text."""
        return _ranges(self.data, self.starts[indices] + self.indent[indices], self.starts[indices + 1])

    def stripped(self, indices: np.ndarray, wanted: np.ndarray | None = None) -> pa.Array:
        """The lines at these increasing indices without white space at either end; null where not wanted."""
        if wanted is None:
            return pc.utf8_trim(self.contents(indices), characters=SPACE_CHARS)
        found = pc.utf8_trim(self.contents(indices[wanted]), characters=SPACE_CHARS)
        return found.take(pa.array(np.cumsum(wanted) - 1, mask=~wanted))


def _line_starts(view: np.ndarray) -> np.ndarray:
    """Offsets of every line start, and the end; found in slices (two at a time), so that no
    page-sized array is made."""
    after_newlines = list(
        in_parallel(
            lambda offset: np.flatnonzero(view[offset : offset + _NEWLINE_CHUNK] == 10) + (offset + 1),
            range(0, len(view), _NEWLINE_CHUNK),
        )
    )
    starts = np.concatenate([np.zeros(1, dtype=np.int64), *after_newlines], dtype=np.int64)
    return starts if starts[-1] == len(view) else np.append(starts, len(view))


def _space_starts_at(view: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Whether a white space character other than space, tab or newline starts at each offset."""
    return _encoded_space(view, offsets, reverse=False)


def _space_ends_at(view: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Whether a white space character (newline aside) ends just before each offset."""
    return _encoded_space(view, offsets, reverse=True)


def _encoded_space(view: np.ndarray, offsets: np.ndarray, reverse: bool) -> np.ndarray:
    """The bytes at (or, reversed, just before) each offset, packed big-endian, looked up among
    the UTF-8 encodings of white space; only offsets whose first byte can begin one are looked at."""
    found = np.zeros(len(offsets), dtype=bool)
    if not len(view):
        return found
    nearest = offsets - 1 if reverse else offsets
    inside = (nearest >= 0) & (nearest < len(view))
    maybe = np.flatnonzero(inside & _SPACE_BYTES[reverse][view[np.clip(nearest, 0, len(view) - 1)]])
    packed = np.zeros(len(maybe), dtype=np.int64)
    for size in (1, 2, 3):
        position = offsets[maybe] - size if reverse else offsets[maybe] + size - 1
        inside = (position >= 0) & (position < len(view))
        byte = np.where(inside, view[np.clip(position, 0, len(view) - 1)].astype(np.int64), -1)
        packed = byte * (1 << 8 * (size - 1)) + packed if reverse else packed * 256 + byte
        codes = _SPACE_CODES[reverse][size]
        at = np.minimum(np.searchsorted(codes, packed), len(codes) - 1)
        found[maybe[inside & (codes[at] == packed)]] = True
    return found


def _indents(lines: pa.Array) -> np.ndarray:
    """Spaces and tabs before each line's first other byte (every line has one: its newline at the
    latest); a large page is cut in two and both halves run at once."""
    parts = [lines] if lines.nbytes < 2 * _BYTES_PER_THREAD else [lines[: len(lines) // 2], lines[len(lines) // 2 :]]
    found = in_parallel(lambda part: np.asarray(pc.find_substring_regex(part, r"[^ \t]")), parts)
    return np.concatenate(list(found)).astype(np.int32)


@dataclass
class _Markers:
    """The confirmed comment markers, one entry per comment, in page order."""

    line: np.ndarray  # 0-based line of the marker
    width: np.ndarray
    number: pa.Array  # int64, null where the marker is a bullet
    author: pa.Array  # large_string, null for an anonymous comment
    date_text: pa.Array
    date_line_width: np.ndarray  # indent of an author/date line below the marker; -1 when the date is inline
    body_first_line: np.ndarray
    kind: np.ndarray  # each comment's ``Layout``, as its integer value
    comment_kind: pa.Array  # large_string: "comment", or "pingback" / "trackback" for a marker line saying so

    def __len__(self) -> int:
        return len(self.line)


class Layout(IntEnum):
    """How a confirmed comment's header sits: the three ways a date may follow a marker (see
    docs/format.md, and ``tests/readers/test_rules.py`` for the rule written line by line)."""

    INLINE = 0  # the date (and any author) on the marker line itself
    DATE_BELOW = 1  # the date on the next line, right of the marker; an author, if any, after the marker
    AUTHOR_AND_DATE_BELOW = 2  # the marker alone; the author on the next line, the date on the one after

    @property
    def line_kinds(self) -> tuple[LineKind, ...]:
        """What the header's lines count as."""
        return (
            (LineKind.MARKER,),
            (LineKind.MARKER, LineKind.DATE),
            (LineKind.MARKER, LineKind.AUTHOR, LineKind.DATE),
        )[self]


class _PageParser:
    def __init__(
        self, lines: _Lines, source: str, lenient: bool, day_first: bool | None = None, now: datetime | None = None
    ) -> None:
        self.lines: _Lines | None = lines  # None once the texts are gathered
        self.source = source
        self.lenient = lenient
        self.day_first = day_first
        self.now = now
        self.front = ""  # the text above the first comment
        self.counts: Counter[str] = Counter()
        self.problems: list[Problem] = []

    def thread(self) -> Thread:
        lines = self.lines
        assert lines is not None
        markers, rejected = _find_markers(lines)
        markers, listed = _without_listed_moments(_after_furniture(lines, markers))
        if listed >= 0:
            self.problems.append(
                Problem(
                    "moment_list_lines",
                    "list lines dated only by a moment ('1. just now') on a page of written dates: read as text",
                    listed + 1,
                )
            )
        self.section_end = _section_end(lines, markers)
        markers = _select(markers, markers.line < self.section_end)
        self._report_rejected(lines, markers, rejected)
        first_comment_line = int(markers.line[0]) if len(markers) else lines.count
        region = lines.data[: lines.starts[first_comment_line]].decode()
        self.front = region
        article, header_line = self._front_matter(region, no_comments=not len(markers))
        if not len(markers):
            self._nothing_read(region, article)
        nonblank_lines = int(lines.count - np.count_nonzero(lines.blank))
        del lines
        comments = self._comments(markers)
        if article.declared_comments is not None and article.declared_comments != len(comments):
            self.problems.append(
                Problem(
                    "count_mismatch",
                    f"page declares {article.declared_comments} comments, parsed {len(comments)}",
                    header_line,
                )
            )
        return Thread(
            article=article,
            comments=comments,
            problems=self.problems,
            diagnostics=Diagnostics(unit="lines", counts=self.counts, total=nonblank_lines),
        )

    def _front_matter(self, region: str, no_comments: bool) -> tuple[Article, int | None]:
        """Article, header (and its line) and loose lines: everything above the first comment, read as plain text."""
        header = _HEADER.search(region)
        section_start = header.start() if header else len(region)
        article = _parse_article(region[:section_start], self.source, self.counts)
        if header:
            self.counts[LineKind.HEADER] += 1
            article.declared_comments = _declared_count(header.group(1))
        tail_start = header.end() if header else section_start
        said = header.group(0) if header else ""
        opened = sum(map(said.count, "“«„")) > sum(map(said.count, "”»")) or said.count('"') % 2 == 1
        if opened:  # a long title wraps onto the lines below
            wrapped = _WRAPPED.match(region, tail_start)
            self.counts[LineKind.HEADER] += wrapped.group(0).count("\n")
            tail_start = wrapped.end()
        first_line = region.count("\n", 0, tail_start) + 1
        link_open = False  # a furniture line's link whose address wraps onto the next line
        for offset, line in enumerate(region[tail_start:].split("\n")):
            stripped = line.strip()
            if not stripped:
                continue
            if (no_comments and stripped in FOOTER_LINES) or layout.is_furniture(stripped) or link_open:
                self.counts[LineKind.FOOTER] += 1
                link_open = (stripped.rfind("](") > stripped.rfind(")")) or (link_open and ")" not in stripped)
            else:
                self._unplaced(first_line + offset, stripped)
        return article, region.count("\n", 0, header.start()) + 1 if header else None

    def _report_rejected(self, lines: _Lines, markers: _Markers, rejected: np.ndarray) -> None:
        """Rejected marker lines within the comment section that look like a comment's."""
        if not len(markers):
            return
        taken = np.concatenate([markers.line, markers.body_first_line - 1, markers.body_first_line - 2])
        inside = (rejected > markers.line[0]) & (rejected < self.section_end) & ~np.isin(rejected, taken)
        for line in np.sort(rejected[inside]):
            text = lines.text(int(line)).strip()
            message = f"a marker line that looks like a comment's did not open one: {text[:60]!r}"
            self.problems.append(Problem("rejected_marker", message, int(line) + 1))

    def _nothing_read(self, page: str, article: Article) -> None:
        """No comment was read: say so, unless the page itself says it has none. A page that shows
        comment signs was not understood; one that shows none may hold comments without names,
        dates or nesting (trafilatura's output), and nothing can be read from it."""
        if article.declared_comments:
            return  # the count mismatch says it
        signs = {
            "'says:' lines": layout.says_lines(page),
            "'Reply' lines": len(layout.REPLY_LINE.findall(page)),
            "date lines": int(np.count_nonzero(dates_like(pc.utf8_trim(pa.array(page.split("\n")), SPACE_CHARS)))),
        }
        shown = ", ".join(f"{count} {what}" for what, count in signs.items() if count)
        if signs["'says:' lines"] or signs["'Reply' lines"] or signs["date lines"] >= 2:
            message = f"no comment was read, but the page shows comment signs ({shown}): its layout was not understood"
            self.problems.append(Problem("comments_not_read", message))
        elif article.declared_comments is None and not layout.NO_COMMENTS.search(page):
            message = (
                "no comment structure found (no comment with a date, no comments header): the page may hold "
                "comment texts without names, dates or nesting, which cannot be read as comments"
            )
            self.problems.append(Problem("no_comment_structure", message))

    def _unplaced(self, line: int, stripped: str) -> None:
        self.counts[LineKind.UNPLACED] += 1
        self.problems.append(Problem("unplaced", f"line not part of any comment: {stripped[:60]!r}", line))

    def _comments(self, markers: _Markers) -> pd.DataFrame:
        if not len(markers):
            nothing = np.zeros(0, dtype=np.int64)
            return _frame(markers, build_tree(nothing), pa.array([], pa.large_string()), nothing, None, self.source)
        for kind, times in zip(*np.unique(markers.kind, return_counts=True), strict=True):
            for line_kind in Layout(kind).line_kinds:
                self.counts[line_kind] += int(times)
        assert self.lines is not None
        markers.width = _aligned_widths(markers)
        step = _nesting_step(self.lines, markers)
        base = int(markers.width.min())
        parents, structure = _nest(markers, step, base)
        tree = build_tree(parents)
        body_indent = np.where(markers.date_line_width >= 0, markers.date_line_width, markers.width + step)
        bodies = _Bodies(self.lines, markers, body_indent, base, self.section_end)
        texts, words, body_counts, body_problems = bodies.texts()
        self.lines = None
        self.counts.update(body_counts)
        self.problems.extend(sorted(structure + body_problems, key=lambda problem: problem.line or 0))
        timestamps = self._timestamps(markers)
        self.problems.extend(_flattened_replies(markers, tree.parent, tree.depth))
        return _frame(markers, tree, texts, words, timestamps, self.source, self.problems)

    def _timestamps(self, markers: _Markers) -> np.ndarray:
        shown = markers.date_text
        undated = np.asarray(pc.equal(shown, ""))  # a pingback that shows no date
        if undated.any():
            shown = shown.filter(pa.array(~undated))
        dates = read_page_dates(shown, day_first=self.day_first, year_of=lambda: self._year(shown), now=self.now)
        relative = dates.relative
        if undated.any():
            relative = np.zeros(len(markers), dtype=bool)
            relative[~undated] = dates.relative
        if relative.any():
            first = int(markers.line[np.flatnonzero(relative)[0]]) + 1
            if dates.approximate:
                message = (
                    f"{dates.approximate} relative comment date(s) ('3 days ago'): approximate, "
                    f"counted back from {dates.now}"
                )
                self.problems.append(Problem("approximate_dates", message, first))
            else:
                message = (
                    f"{dates.relative_unread} relative comment date(s) ('3 days ago') and no reference time "
                    "given: left empty; pass --now to say when the page was saved"
                )
                self.problems.append(Problem("relative_dates_unread", message, first))
        if dates.yearless and dates.year is not None:
            message = f"{dates.yearless} comment dates show no year: read in {dates.year}, from {dates.year_from}"
            self.problems.append(Problem("year_assumed", message))
        if dates.order_conflict:
            message = "numeric dates need the day first in some places and the month first in others"
            self.problems.append(Problem("date_order_conflict", message))
        elif dates.order_guessed:
            message = (
                "numeric dates could be day first or month first (no field over 12): read month first; "
                "pass --dayfirst or --monthfirst to say which"
            )
            self.problems.append(Problem("date_order_guessed", message))
        timestamps = dates.timestamps
        if undated.any():
            timestamps = np.full(
                len(markers),
                np.datetime64("NaT", np.datetime_data(dates.timestamps.dtype)[0]),
                dtype=dates.timestamps.dtype,
            )
            timestamps[~undated] = dates.timestamps
        for index in np.flatnonzero(np.isnat(timestamps) & ~undated & ~relative):
            text, line = markers.date_text[int(index)].as_py(), int(markers.line[index]) + 1
            no_year = dates.year is None and not looks_like_year(text)
            message = f"cannot read the date{', which shows no year (nor does the page),' if no_year else ''} {text!r}"
            if not self.lenient:
                raise ParseError(message, source=self.source, line=line)
            self.problems.append(Problem("unreadable_date", message, line))
        return timestamps

    def _year(self, texts: pa.Array) -> tuple[int | None, pd.Timestamp | None, str]:
        """The year for dates that show none: the article's date's, else the commonest among the
        other comments' dates; and the article's date, before which no comment can be."""
        for line in self.front.split("\n"):
            if looks_like_year(line) and looks_like_date(line):
                published = parse_dates([line.strip()])[0]
                if not np.isnat(published):
                    return pd.Timestamp(published).year, pd.Timestamp(published), "the article's date"
        found = pc.extract_regex(texts, "(?P<year>(?:19|20)[0-9]{2})")
        years = found.filter(found.is_valid()).field("year")
        if len(years):
            values, times = np.unique(np.asarray(pc.cast(years, pa.int64())), return_counts=True)
            return int(values[np.argmax(times)]), None, "the page's other comments"
        return None, None, ""


def _find_markers(lines: _Lines) -> tuple[_Markers, np.ndarray]:
    """Every marker line that the date rule confirms: a date on the marker line, or on the next
    non-blank, more indented line, or (after an author line) on the one after that. Also the marker
    lines it rejected that look like a comment's (a 'says:' author, a date on the next line).

    The rule looks only at each candidate and the lines below it, so many candidates are
    confirmed in two halves at once.
    """
    # A marker line goes on, after its indent, with a digit, a bullet's first byte or a no-break space's:
    # only those are read.
    candidates = _candidates(lines)
    nonblank = np.append(np.flatnonzero(~lines.blank), [-1, -1])
    if len(candidates) < 2 * _CANDIDATES_PER_THREAD:
        return _confirm(lines, candidates, nonblank)
    half = len(candidates) // 2
    (first, rejected), (second, more) = in_parallel(
        lambda part: _confirm(lines, part, nonblank), [candidates[:half], candidates[half:]]
    )
    markers = _Markers(
        **{
            name: pa.concat_arrays([getattr(first, name), getattr(second, name)])
            if isinstance(getattr(first, name), pa.Array)
            else np.concatenate([getattr(first, name), getattr(second, name)])
            for name in first.__dataclass_fields__
        }
    )
    return markers, np.concatenate([rejected, more])


def _candidates(lines: _Lines) -> np.ndarray:
    """Lines that may be marker lines, from their first bytes after the indent: a digit or a no-break
    space, an ASCII bullet and white space, or the three bytes of a wider bullet (not a curly quote)."""
    first = lines.first_byte
    lead = _MARKER_LEAD[first]
    after = lines.starts[:-1] + lines.indent
    last = len(lines.view) - 1
    ascii_bullet = np.flatnonzero(_ASCII_BULLET[first])
    lead[ascii_bullet] = _AFTER_ASCII_BULLET[lines.view[np.minimum(after[ascii_bullet] + 1, last)]]
    wide = np.flatnonzero(first >= 0xE2)
    starts = after[wide]
    packed = (
        (first[wide].astype(np.int64) << 16)
        | (lines.view[np.minimum(starts + 1, last)].astype(np.int64) << 8)
        | lines.view[np.minimum(starts + 2, last)]
    )
    lead[wide] = np.isin(packed, _WIDE_BULLETS)
    return np.flatnonzero(lead)


def _confirm(lines: _Lines, candidates: np.ndarray, nonblank: np.ndarray) -> tuple[_Markers, np.ndarray]:
    """The date rule over the marker lines among these candidates, and the lines of the rejected
    ones that look like a comment's; ``nonblank`` lists the non-blank lines, then -1, -1."""
    parts = pc.extract_regex(lines.contents(candidates), _MARKER_PARTS)
    markers = parts.is_valid()
    candidates, parts = candidates[np.asarray(markers)], parts.filter(markers)
    written = pc.utf8_trim(pc.fill_null(parts.field("rest"), ""), characters=SPACE_CHARS)
    rests = _without_header_furniture(written)
    has_rest = np.asarray(pc.not_equal(pc.utf8_length(rests), 0))
    pictured = ~has_rest & np.asarray(pc.not_equal(pc.utf8_length(written), 0))  # an avatar's placeholder only
    dated = has_rest & dates_like(rests)
    all_rests = rests
    says_rows, says_authors, says_dates = _author_and_date(rests, has_rest & ~dated)

    after = np.searchsorted(nonblank[:-2], candidates, side="right")
    below, below2 = nonblank[after], nonblank[after + 1]
    width = lines.width[candidates]
    # A marker alone on its line (lynx's rendering of a list item holding an article) may have its
    # author line at any indent; a date line must still sit right of the marker.
    below_texts, below_ok = _line_below(lines, below, np.where(has_rest, width, -1), ~dated)
    date_below = below_ok & (lines.width[below] > width) & dates_like(below_texts)
    # A name that only starts or ends with a date's word ("nyss", "now": no digit) over a date
    # line of its own is all name: the comment's date is the line below.
    worded = np.array([not any(char.isdigit() for char in date) for date in says_dates], dtype=bool)
    said_inline = np.flatnonzero(~(date_below[says_rows] & worded))
    says_rows = says_rows[said_inline]
    says_authors = [says_authors[i] for i in said_inline]
    says_dates = [says_dates[i] for i in said_inline]
    inline = dated.copy()
    inline[says_rows] = True
    below_ok &= ~inline
    date_below &= ~inline
    below2_texts, below2_ok = _line_below(lines, below2, width, below_ok & ~date_below & ~has_rest)
    author_below = below2_ok & dates_like(below2_texts)
    # The author and the date together on the line below a marker that holds the same name (an
    # avatar's alt text: "1. Rhona Gill" over "Rhona Gill on January 5, ...") or only an avatar's
    # placeholder ("1. [11]" over "Marta Quill January 5, 2021 at 3:04 pm").
    echo_rows, echo_authors, echo_dates = _author_and_date_below(
        rests,
        below_texts,
        below_ok & (has_rest | pictured) & ~date_below & ~author_below & (lines.width[below] > width),
    )
    date_below[echo_rows] = True

    ping = has_rest & np.asarray(pc.fill_null(pc.match_substring_regex(rests, layout.PINGBACK), False))
    keep = np.flatnonzero(inline | date_below | author_below | ping)
    kept = pa.array(keep, pa.int64())
    kind = np.where(date_below, Layout.DATE_BELOW, np.where(author_below, Layout.AUTHOR_AND_DATE_BELOW, Layout.INLINE))[
        keep
    ]
    is_kind = {layout_: pa.array(kind == layout_) for layout_ in Layout}
    rests, below_texts, below2_texts = rests.take(kept), below_texts.take(kept), below2_texts.take(kept)
    dates = pc.if_else(is_kind[Layout.INLINE], rests, pc.if_else(is_kind[Layout.DATE_BELOW], below_texts, below2_texts))
    named = pa.array((kind == Layout.AUTHOR_AND_DATE_BELOW) | (has_rest & ~dated)[keep])
    authors = pc.if_else(named, pc.if_else(is_kind[Layout.AUTHOR_AND_DATE_BELOW], below_texts, rests), None)
    for rows, found_authors, found_dates in (
        (says_rows, says_authors, says_dates),
        (echo_rows, echo_authors, echo_dates),
    ):
        if len(rows):
            at = np.searchsorted(keep, rows)
            dates = _replace(dates, at, found_dates)
            authors = _replace(authors, at, found_authors)
    kinds = pa.repeat(pa.scalar("comment", pa.large_string()), len(keep))
    if ping.any():  # a pingback's author is the linking page's title; with no date its date is empty
        kept_ping = ping[keep]
        undated = pa.array(kept_ping & ~(inline | date_below | author_below)[keep])
        dates = pc.if_else(undated, pa.scalar("", pa.large_string()), dates)
        said = pc.extract_regex(rests, layout.PINGBACK).field("kind")
        named_kinds = pc.utf8_lower(said.cast(pa.large_string()))
        kinds = pc.if_else(pa.array(kept_ping), named_kinds, kinds)
        authors = pc.if_else(pa.array(kept_ping), pc.replace_substring_regex(authors, layout.PINGBACK, ""), authors)
    authors = _clean_names(authors)
    numbers = parts.field("number").take(kept)
    date_line = np.where(kind == Layout.AUTHOR_AND_DATE_BELOW, below2[keep], below[keep])
    markers = _Markers(
        line=candidates[keep],
        width=width[keep],
        number=pc.cast(pc.if_else(pc.equal(numbers, ""), None, numbers), pa.int64()),
        author=authors,
        date_text=dates,
        date_line_width=np.where(kind == Layout.INLINE, -1, lines.width[date_line]),
        body_first_line=np.where(kind == Layout.INLINE, candidates[keep], date_line) + 1,
        kind=kind,
        comment_kind=kinds,
    )
    return markers, _rejected(lines, candidates, keep, below, all_rests)


def _rejected(
    lines: _Lines, candidates: np.ndarray, keep: np.ndarray, below: np.ndarray, rests: pa.Array
) -> np.ndarray:
    """The marker lines not kept whose text ends in 'says:' or whose next line reads as a date: a
    comment the reader failed to see, or a list in a body that looks like one."""
    unkept = np.ones(len(candidates), dtype=bool)
    unkept[keep] = False
    unkept &= below >= 0
    if not unkept.any():
        return np.zeros(0, dtype=np.int64)
    says = np.asarray(pc.match_substring_regex(rests, rf"(?i){layout.SAYS}$"))
    dated = np.zeros(len(candidates), dtype=bool)
    neighbours = lines.stripped(below[unkept])
    not_marker = ~np.asarray(pc.fill_null(pc.match_substring_regex(neighbours, _STARTS_LIKE_MARKER), True))
    dated[unkept] = not_marker & dates_like(neighbours)
    return candidates[unkept & (says | dated)]


def _select(markers: _Markers, wanted: np.ndarray) -> _Markers:
    if wanted.all():
        return markers
    rows = pa.array(np.flatnonzero(wanted), pa.int64())
    return _Markers(
        **{
            name: value.take(rows) if isinstance(value, pa.Array) else value[wanted]
            for name, value in vars(markers).items()
        }
    )


def _after_furniture(lines: _Lines, markers: _Markers) -> _Markers:
    """Without the dated list lines above the comments header (a post-meta "• January 28, 2018"):
    leading markers with their date on the marker line are the page's furniture when a comments
    header follows them. Only the few text spans between such markers are searched."""
    last = -1
    for index in range(min(len(markers) - 1, _MOST_LEADING_FURNITURE)):
        if markers.kind[index] != Layout.INLINE:
            break
        start, end = lines.starts[markers.line[index] + 1], lines.starts[markers.line[index + 1]]
        if _HEADER.search(bytes(lines.data[start:end]).decode()):
            last = index
    return _select(markers, np.arange(len(markers)) > last) if last >= 0 else markers


def _without_listed_moments(markers: _Markers) -> tuple[_Markers, int]:
    """Without the markers after the first dated on the marker line only by a moment's phrase
    ("1. nyss", "• Ada just now") on a page whose other comments carry no relative date: a page that
    writes its dates out writes them all so, and such a line is a list item in a comment's body.
    Also the first of them, to report."""
    moments = moment_phrases(markers.date_text) & (markers.kind == Layout.INLINE)
    moments[:1] = False  # the first comment's lines: no comment above would take them
    if not moments.any() or are_relative(markers.date_text.filter(pa.array(~moments))).any():
        return markers, -1
    return _select(markers, ~moments), int(markers.line[np.flatnonzero(moments)[0]])


def _section_end(lines: _Lines, markers: _Markers) -> int:
    """The line that ends the comment section ("Leave a Reply", the reply form, "Related posts"),
    the first after the first comment and not right of it; the page's end when there is none."""
    if not len(markers):
        return lines.count
    # Only lines of the right length (a newline, perhaps ':' or '*', perhaps trailing space) that
    # start with the right two bytes are read.
    after = lines.starts[:-1] + lines.indent
    right_length = _SECTION_END_LENGTHS[np.minimum(lines.starts[1:] - after, len(_SECTION_END_LENGTHS) - 1)]
    short = np.flatnonzero(right_length & _SECTION_END_FIRST[lines.first_byte])
    # ... after the first comment, no further right than the comments begin (not a word in a body).
    short = short[(short > markers.line[0]) & (lines.width[short] <= markers.width.min())]
    second = lines.view[np.minimum(after[short] + 1, len(lines.view) - 1)]
    short = short[np.isin((lines.first_byte[short].astype(np.int64) << 8) | second, _SECTION_END_PAIRS)]
    if not len(short):
        return lines.count
    stripped = pc.utf8_rtrim(lines.stripped(short), characters=":* ")
    ends = np.flatnonzero(np.asarray(pc.is_in(stripped, pa.array(sorted(layout.SECTION_END_LINES)))))
    return int(short[ends[0]]) if len(ends) else lines.count


def _replace(values: pa.Array, rows: np.ndarray, replacements: list[str]) -> pa.Array:
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(values, pa.array(mask), pa.array(replacements, values.type))


def _clean_names(names: pa.Array) -> pa.Array:
    """Authors are matched across comments, so one spelling: single plain spaces, no 'says:', and
    none for what stands in place of a name ('Anonymous'). The regex replaces run only when one
    may change something."""
    if not pc.any(pc.match_substring_regex(names, _UNCLEAN_NAME)).as_py():
        return _named(names)
    single_spaced = pc.replace_substring_regex(names, f"{SPACE}+", " ")
    unlinked = pc.replace_substring_regex(single_spaced, r"(^|[^!])\[([^\]]*)\]\([^)]*\)", r"\1\2")
    plain = pc.replace_substring_regex(_unpictured(unlinked), r"\*\*([^*]+)\*\*", r"\1")
    says = rf"(?i) (?:{layout.SAYS_WORDS}) ?:?$"
    said = np.asarray(pc.fill_null(pc.match_substring_regex(plain, says), False))
    named = pc.utf8_trim_whitespace(pc.replace_substring_regex(plain, says, ""))
    return _named(_said_once(named, said))


def _named(names: pa.Array) -> pa.Array:
    """Null where a name is what a site shows in place of one (``layout.NOT_A_NAME``), or nothing."""
    placeholder = pc.or_(pc.is_in(pc.utf8_lower(names), value_set=_NOT_A_NAME), pc.equal(names, ""))
    return pc.if_else(placeholder, pa.scalar(None, names.type), names) if pc.any(placeholder).as_py() else names


def _said_once(names: pa.Array, said: np.ndarray) -> pa.Array:
    """A name written twice before 'says:' ("Armin Armin says:": an avatar whose alt text is the
    name), once. Only names of an odd length can be one, and only those are looked at one by one."""
    odd_length = np.asarray(pc.fill_null(pc.equal(pc.bit_wise_and(pc.utf8_length(names), 1), 1), False))
    odd = np.flatnonzero(said & odd_length)
    rows, halves = [], []
    for row, name in zip(odd, names.take(pa.array(odd, pa.int64())).to_pylist(), strict=True):
        half = len(name) // 2
        if name[half] == " " and name[:half] == name[half + 1 :]:
            rows.append(row)
            halves.append(name[:half])
    return _replace(names, np.array(rows, dtype=np.int64), halves) if rows else names


def _author_and_date(rests: pa.Array, named: np.ndarray) -> tuple[np.ndarray, list[str], list[str]]:
    """The rows whose marker line holds an author and a date, in either order, with what may join
    them ('says:', 'on ... said:', '|', '-', '·', a trailing 'Reply'): their authors and dates.

    Only lines holding something shaped like a date (found by Arrow) are split, in Python."""
    maybe = np.flatnonzero(named)
    if len(maybe):
        shaped = pc.match_substring_regex(rests.take(pa.array(maybe, pa.int64())), DATE_SHAPE)
        maybe = maybe[np.asarray(pc.fill_null(shaped, False))]
    rows, authors, dates = [], [], []
    for row, text in zip(maybe, rests.take(pa.array(maybe, pa.int64())).to_pylist(), strict=True):
        found = _split_author_date(text)
        if found:
            rows.append(row)
            authors.append(found[0])
            dates.append(found[1])
    return np.array(rows, dtype=np.int64), authors, dates


def _author_and_date_below(
    rests: pa.Array, below_texts: pa.Array, wanted: np.ndarray
) -> tuple[np.ndarray, list[str], list[str]]:
    """``_author_and_date`` of the lines below the wanted markers, kept where the marker line
    holds that author's name or nothing (but an avatar's placeholder)."""
    rows, authors, dates = _author_and_date(below_texts, wanted)
    if not len(rows):
        return rows, authors, dates
    shown = rests.take(pa.array(rows, pa.int64())).to_pylist()
    kept = [i for i, (rest, author) in enumerate(zip(shown, authors, strict=True)) if rest in ("", author)]
    return rows[kept], [authors[i] for i in kept], [dates[i] for i in kept]


def _split_author_date(text: str) -> tuple[str, str] | None:
    words = re.sub(rf"(?i)[\t \xa0]({layout.SAYS_WORDS})[\t \xa0]?:", r" \1:", text).split()
    for cut in range(1, len(words)):
        for author, date in ((words[:cut], words[cut:]), (words[len(words) - cut :], words[: len(words) - cut])):
            author, date = _without_joins(author), _without_joins(date)
            if author and date and looks_like_date(" ".join(date)):
                return " ".join(author), " ".join(date)
    return None


def _without_joins(words: list[str]) -> list[str]:
    """Words without the joining words and signs at either end."""
    start, end = 0, len(words)
    while start < end and _is_join(words[start]):
        start += 1
    while end > start and _is_join(words[end - 1]):
        end -= 1
    return words[start:end]


def _is_join(word: str) -> bool:
    return word.lower() in layout.JOINING_WORDS or re.fullmatch(rf"(?i)(?:{layout.SAYS_WORDS}):", word) is not None


def _without_header_furniture(texts: pa.Array) -> pa.Array:
    """Header lines without an avatar's placeholder before them ("[a]", lynx's "[IMG]") and the
    links after them ("(Edit)", "· Reply"; a bare "Edit" only after a date or a pingback's title,
    so that a name such as "Kovács Edit" keeps it), so that a date or name line reads as one.
    Only the lines that may hold either are rewritten."""
    linked = pc.fill_null(pc.match_substring_regex(texts, layout.HEADER_LINKS_AFTER), False)
    maybe = pc.or_(pc.fill_null(pc.starts_with(texts, "["), False), linked)
    if not pc.any(maybe).as_py():
        return texts
    rows = pa.array(np.flatnonzero(np.asarray(maybe)), pa.int64())
    some, linked = texts.take(rows), linked.take(rows)
    unlinked = pc.replace_substring_regex(some, layout.HEADER_LINKS_AFTER, "")
    signed = pc.fill_null(pc.match_substring_regex(some, layout.SIGNED_LINKS_AFTER), False)
    signed = pc.or_(signed, pc.fill_null(pc.match_substring_regex(some, layout.PINGBACK), False))
    drop_links = pc.and_(linked, pc.or_(signed, pa.array(dates_like(unlinked))))
    plain = _unpictured(pc.if_else(drop_links, unlinked, some))
    return _replace(texts, np.asarray(rows), plain.to_pylist())


def _unpictured(texts: pa.Array) -> pa.Array:
    """Without an avatar's placeholder before the name, unless the name holds bracketed markup,
    the brackets are a Markdown link's ("[Ann](https://…)"), or nothing but 'says:' would be left."""
    kept = pc.fill_null(pc.match_substring_regex(texts, layout.BRACKETED_MARKUP), False)
    kept = pc.or_(kept, pc.fill_null(pc.match_substring_regex(texts, r"^\[[^\]]*\]\("), False))
    plain = pc.replace_substring_regex(texts, layout.AVATAR_PREFIX, "")
    said_only = pc.match_substring_regex(plain, rf"(?i)^(?:{layout.SAYS_WORDS}) ?:?$")
    kept = pc.or_(kept, pc.fill_null(said_only, False))
    return pc.if_else(kept, texts, plain)


def _line_below(
    lines: _Lines, below: np.ndarray, marker_width: np.ndarray, wanted: np.ndarray
) -> tuple[pa.Array, np.ndarray]:
    """The stripped lines below the candidates (null where not wanted), and whether each may be
    their author or date line: it exists, sits right of ``marker_width``, and is not itself a marker."""
    wanted = wanted & (below >= 0) & (lines.width[below] > marker_width)
    texts = _without_header_furniture(lines.stripped(below, wanted))
    marker_like = np.asarray(pc.fill_null(pc.match_substring_regex(texts, _STARTS_LIKE_MARKER), True)).copy()
    # ... unless it is a date only with its number ("24. Januar 2019 um 13:05"): then it is no marker.
    maybe = np.flatnonzero(marker_like & wanted)
    if len(maybe):
        whole = texts.take(pa.array(maybe, pa.int64()))
        rests = pc.utf8_trim(pc.replace_substring_regex(whole, _STARTS_LIKE_MARKER, ""), SPACE_CHARS)
        marker_like[maybe] = ~(dates_like(whole) & ~dates_like(rests))
    return texts, wanted & ~marker_like


def _flattened_replies(markers: _Markers, parents: np.ndarray, depths: np.ndarray) -> list[Problem]:
    """A Problem when the replies look flattened: the page nests one level only, and a comment's
    own author answers in its subthread after someone else has. On a site that nests deeper the
    answer would sit under the reply it answers; a converter that drops a level (lynx on
    WordPress.com's markup, where a reply's list is the sibling of its parent's item) prints it
    one level too high, beside that reply, and the indents cannot tell."""
    if not len(depths) or int(depths.max()) != 1:
        return []
    authors = np.asarray(markers.author.to_pylist(), dtype=object)
    replies = np.flatnonzero(parents >= 0)
    answered_by_others: set[int] = set()
    suspects = []
    for reply in replies:
        parent = int(parents[reply])
        own = authors[reply] is not None and authors[reply] == authors[parent]
        if own and parent in answered_by_others:
            suspects.append(int(reply))
        elif not own:
            answered_by_others.add(parent)
    if not suspects:
        return []
    message = (
        f"{len(suspects)} repl(ies) by the author of the comment they are filed under, after someone else's "
        "reply, on a page that nests only one level: they may answer that reply, flattened by the converter "
        "(lynx does this to WordPress.com pages); their parents may be wrong"
    )
    return [Problem("replies_maybe_flattened", message, int(markers.line[suspects[0]]) + 1)]


def _declared_count(word: str) -> int:
    word = word.lower().replace(",", "").replace(".", "")
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


def _aligned_widths(markers: _Markers) -> np.ndarray:
    """Where a converter aligns list numbers on their dot ("  9." above " 10."), a number's column
    is its dot's, so that comments of one level share a column; else, where a marker starts."""
    numbers = np.asarray(pc.fill_null(markers.number, 0))
    numbered = numbers > 0
    if not numbered.any():
        return markers.width
    digits = np.floor(np.log10(np.maximum(numbers, 1))).astype(np.int32)
    dots = markers.width + digits
    if len(np.unique(dots[numbered])) < len(np.unique(markers.width[numbered])):
        return np.where(numbered, dots, markers.width)
    return markers.width


def _nesting_step(lines: _Lines, markers: _Markers) -> int:
    """Columns per nesting level: the offset of author/date lines when the page keeps one (the
    commonest, the first seen on a tie), else the smallest gap between levels, else (one level,
    all anonymous) how far the first body sits right of its marker.

    Converters put the date under the text after the marker ("1. " or "+ "), so the offset varies
    with the marker and says nothing about nesting: only the gaps between levels do."""
    below = markers.date_line_width >= 0
    levels = np.unique(markers.width)
    offsets = (markers.date_line_width - markers.width)[below]
    gaps = np.diff(levels)
    if below.any() and len(np.unique(offsets)) == 1 and offsets[0] > 0 and not (gaps % offsets[0]).any():
        values, first_seen, times = np.unique(offsets, return_index=True, return_counts=True)
        commonest = np.flatnonzero(times == times.max())
        return int(values[commonest[np.argmin(first_seen[commonest])]])
    if len(levels) > 1:
        return int(gaps.min())
    later = np.flatnonzero(~lines.blank[markers.body_first_line[0] :])
    offset = int(lines.width[markers.body_first_line[0] + later[0]] - markers.width[0]) if len(later) else 0
    return offset if offset > 0 else 2


def _nest(markers: _Markers, step: int, base: int) -> tuple[np.ndarray, list[Problem]]:
    """Each comment's parent row (-1 at top level): the nearest comment above at a lower level,
    found by pointer jumping, in a number of array passes that grows with the logarithm of the
    page, whatever its shape (a chain, a star)."""
    columns = np.unique(markers.width)
    if (np.diff(columns) % step).any():  # levels off any grid (html2text): each column is a level
        levels = np.searchsorted(columns, markers.width).astype(np.int64)
    else:
        levels = np.round((markers.width - base) / step).astype(np.int64)
    # Comments in a row at one level (a star's replies) all start from the comment above their
    # row's first, so jumps are needed only across deeper replies between siblings.
    row_starts = np.flatnonzero(np.concatenate([[True], levels[1:] != levels[:-1]]))
    parents = np.repeat(row_starts - 1, np.diff(np.append(row_starts, len(levels))))
    # Invariant: every comment between parents[i] and i is at level[i] or deeper.
    pending = np.flatnonzero(parents >= 0)
    while len(pending):
        too_deep = levels[parents[pending]] >= levels[pending]
        pending = pending[too_deep]
        parents[pending] = parents[parents[pending]]
        pending = pending[parents[pending] >= 0]
    lines = markers.line + 1
    jumps = np.flatnonzero((parents >= 0) & (levels > levels[parents] + 1))
    orphans = np.flatnonzero((parents < 0) & (levels > 0))
    problems = [
        Problem("indent_jump", "reply is indented more than one level below its parent", int(lines[i])) for i in jumps
    ] + [
        Problem("orphan_reply", "reply with no comment above it to answer; kept as top level", int(lines[i]))
        for i in orphans
    ]
    return parents, problems


class _Bodies:
    """Each comment's text: the lines between its header and the next marker, dedented by its body
    indent, with link leftovers and stray lines taken out (counted, and reported when stray) and
    runs of blank lines folded to one.

    A comment's text depends on its own lines only, so a large page is worked in parts of
    consecutive comments, two at a time; each part's scratch arrays are a fraction of the page.
    """

    def __init__(self, lines: _Lines, markers: _Markers, body_indent: np.ndarray, base: int, section_end: int) -> None:
        self.lines = lines
        self.markers = markers
        self.body_indent = body_indent
        self.base = base
        self.region_ends = np.append(markers.line[1:], lines.count)
        self.section_end = section_end

    def texts(self) -> tuple[pa.ChunkedArray, np.ndarray, Counter[str], list[Problem]]:
        """Texts, word counts, line counts and problems of all comments."""
        page_offsets = self.lines.starts[self.markers.line]
        span = int(page_offsets[-1] - page_offsets[0])
        parts = min(len(self.markers), max(span // _BYTES_PER_PART, 2 if span > 2 * _BYTES_PER_THREAD else 1))
        bounds = np.searchsorted(page_offsets, np.linspace(page_offsets[0], page_offsets[-1], parts + 1)[1:-1])
        firsts = np.unique(np.concatenate([[0], bounds, [len(self.markers)]]))
        ranges = list(zip(firsts[:-1].tolist(), firsts[1:].tolist(), strict=True))
        results = []
        for done, result in enumerate(in_parallel(self._part, ranges), start=1):
            results.append(result)
            if done < len(ranges):  # the parts so far are done: the page above the next one goes
                self.lines.release_before(int(self.markers.line[ranges[done][0]]))
        counts: Counter[str] = Counter()
        for _, _, part_counts, _ in results:
            counts.update(part_counts)
        return (
            pa.chunked_array([texts for texts, *_ in results], pa.large_string()),
            np.concatenate([words for _, words, *_ in results]),
            counts,
            [problem for *_, problems in results for problem in problems],
        )

    def _part(self, comments: tuple[int, int]) -> tuple[pa.Array, np.ndarray, Counter[str], list[Problem]]:
        first, stop = comments
        lines, markers = self.lines, self.markers
        region_starts, region_ends = markers.body_first_line[first:stop], self.region_ends[first:stop]
        sizes = region_ends - region_starts
        owner = np.repeat(np.arange(first, stop), sizes)
        body = np.arange(len(owner)) + np.repeat(region_starts - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        blank = lines.blank[body]
        link, footer_text = self._stock_lines(body, blank)
        outdented = ~blank & ((lines.width[body] < self.base) | (footer_text if self.base == 0 else False))
        footer = self._footer(owner, blank, outdented)
        footer |= (body >= self.section_end) & ~blank
        link &= ~footer
        unplaced = outdented & ~footer & ~link
        text = ~blank & ~footer & ~link & ~outdented
        counts = Counter(
            {
                LineKind.BODY: int(np.count_nonzero(text)),
                LineKind.LINK: int(np.count_nonzero(link)),
                LineKind.FOOTER: int(np.count_nonzero(footer)),
                LineKind.UNPLACED: int(np.count_nonzero(unplaced)),
            }
        )
        problems = [self._unplaced(int(index)) for index in body[unplaced]]

        kept = text | blank
        body, owner, text = body[kept], owner[kept], text[kept]
        separator = ~text & _follows_text(text, owner) & _precedes_text(text, owner)
        keep = text | separator
        body, owner, text = body[keep], owner[keep], text[keep]
        lines_of_text = np.bincount(owner[text] - first, minlength=stop - first)
        starts, ends, owner = self._content(body, owner, text)
        texts = _gather_texts(lines.data, starts, ends, owner - first, stop - first)
        return texts, _count_words(texts, lines_of_text), counts, problems

    def _stock_lines(self, body: np.ndarray, blank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which body-region lines read 'Reply' and the like, and which read as a footer; only
        lines short enough to be one are looked at."""
        lengths = self.lines.starts[body + 1] - self.lines.starts[body] - self.lines.indent[body]
        short = np.flatnonzero(~blank & (lengths <= _LONGEST_STOCK_LINE + 1))
        link = np.zeros(len(body), dtype=bool)
        footer = np.zeros(len(body), dtype=bool)
        if len(short):
            stripped = self.lines.stripped(body[short])
            liked = pc.fill_null(pc.match_substring_regex(stripped, layout.LIKES_LINE), False)
            link[short] = np.asarray(pc.or_(pc.is_in(stripped, pa.array(sorted(LINK_LINES))), liked))
            footer[short] = np.asarray(pc.is_in(stripped, pa.array(sorted(FOOTER_LINES))))
        return link, footer

    def _footer(self, owner: np.ndarray, blank: np.ndarray, outdented: np.ndarray) -> np.ndarray:
        """After the last comment, everything from the first outdented line on is the page's footer."""
        footer = np.zeros(len(owner), dtype=bool)
        last = np.flatnonzero((owner == len(self.markers) - 1) & outdented)
        if len(last):
            footer[last[0] :] = ~blank[last[0] :]
        return footer

    def _unplaced(self, index: int) -> Problem:
        stripped = self.lines.text(index).strip()
        return Problem("unplaced", f"line not part of any comment: {stripped[:60]!r}", index + 1)

    def _content(
        self, body: np.ndarray, owner: np.ndarray, text: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Byte ranges that, put end to end, spell the comments' texts one after the other.

        A text line is cut by its body indent and keeps its own newline, except the last of its
        comment; a separator is just its newline. A line with a tab in its indent or white space
        at its end is worked out on its own, and its newline becomes a range of its own.
        Returns the ranges' starts, ends and comments.
        """
        lines = self.lines
        starts, after = lines.starts[body], lines.starts[body + 1]
        indent = self.body_indent[owner]
        range_starts = np.where(text, starts + np.minimum(lines.indent[body], indent), after - 1)
        range_ends = after.copy()
        odd = np.flatnonzero(text & (_space_ends_at(lines.view, after - 1) | (lines.width[body] != lines.indent[body])))
        for index in odd:
            line = lines.text(int(body[index]))
            dedented = _dedent(line, int(indent[index]))
            range_starts[index] = starts[index] + len(line) - len(dedented)
            range_ends[index] = range_starts[index] + len(dedented.rstrip().encode())
        order = np.argsort(np.concatenate([np.arange(len(body)) * 2, odd * 2 + 1]), kind="stable")
        range_starts = np.concatenate([range_starts, after[odd] - 1])[order]
        range_ends = np.concatenate([range_ends, after[odd]])[order]
        owner = np.concatenate([owner, owner[odd]])[order]
        # A comment's last range is a text line (separators come before text): its newline goes.
        last = np.flatnonzero(np.append(owner[1:] != owner[:-1], True)) if len(owner) else owner
        own_newline = (range_ends[last] - range_starts[last] == 1) & (lines.view[range_starts[last]] == 10)
        range_ends[last[~own_newline]] -= 1
        keep = np.ones(len(owner), dtype=bool)
        keep[last[own_newline]] = False
        range_starts, range_ends, owner = range_starts[keep], range_ends[keep], owner[keep]
        if not len(owner):
            return range_starts, range_ends, owner
        # Ranges that touch (a line and the blank line after it) are one range: fewer to gather.
        opens = np.flatnonzero(np.append(True, (range_starts[1:] != range_ends[:-1]) | (owner[1:] != owner[:-1])))
        closes = np.append(opens[1:], len(owner)) - 1
        return range_starts[opens], range_ends[closes], owner[opens]


def _gather_texts(data: bytes, starts: np.ndarray, ends: np.ndarray, owner: np.ndarray, comments: int) -> pa.Array:
    """Each comment's text, gathered straight from the page's bytes in one copy: each comment's
    ranges spell its text, so the gathered bytes are also the texts' bytes."""
    sizes = np.bincount(owner, weights=ends - starts, minlength=comments).astype(np.int64)
    offsets = pa.py_buffer(np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))
    gathered = _ranges(data, starts, ends)
    return pa.LargeStringArray.from_buffers(comments, offsets, gathered.buffers()[2] or pa.py_buffer(b""))


def _ranges(data: Page, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The byte ranges [starts[i], ends[i]) of ``data`` as strings, in one copy; the ranges must be
    in order and must not overlap.

    Ranges and the gaps between them, taken in turn, are a valid Arrow string array over the
    page's buffer, so taking every other element gathers the ranges. Arrow sizes what it gathers
    into at the mean element's length times the elements taken: here about half the span, where a
    body's lines are most of it, so the buffer would be grown and then shrunk, each a copy. An
    element at either end, over page bytes that are not taken, brings that size to the bytes
    wanted, as far as the page has bytes before and after the ranges.
    """
    count = len(starts)
    if not count:
        return pa.array([], pa.large_string())
    elements = 2 * count + 1  # a pad, the ranges and the gaps between them, a pad
    wanted = int((ends - starts).sum())
    # Arrow reserves (bytes under all elements) / elements * count; one byte more covers its rounding.
    padded_span = -(-wanted * elements // count) + 1
    short = max(0, padded_span - int(ends[-1] - starts[0]))
    after = min(short, len(data) - int(ends[-1]))
    before = min(short - after, int(starts[0]))
    bounds = np.empty(elements + 1, dtype=np.int64)
    bounds[0], bounds[-1] = starts[0] - before, ends[-1] + after
    bounds[1:-1:2], bounds[2:-1:2] = starts, ends
    padded = pa.LargeStringArray.from_buffers(elements, pa.py_buffer(bounds), pa.py_buffer(data))
    return padded.take(pa.array(np.arange(1, elements, 2)))


def _follows_text(text: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Whether the element before is a text line of the same comment."""
    before = np.zeros(len(text), dtype=bool)
    before[1:] = text[:-1] & (owner[:-1] == owner[1:])
    return before


def _precedes_text(text: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Whether a text line of the same comment comes later."""
    positions = np.where(text, np.arange(len(text)), len(text))
    next_text = np.minimum.accumulate(positions[::-1])[::-1]
    later = np.append(next_text[1:], len(text))
    padded_owner = np.append(owner, -1)
    return (later < len(text)) & (padded_owner[later] == owner)


def _count_words(texts: pa.Array, lines_of_text: np.ndarray) -> np.ndarray:
    """Whitespace-separated words of each text.

    Where words are split by single spaces and lines by newlines, that is spaces + lines. Spaces
    are counted in one pass over the texts' bytes, a slice at a time (a running count read off at
    each text's start); the same pass finds texts with any other spacing, split one by one.
    """
    words = lines_of_text.astype(np.int64)
    if not len(texts) or not pc.sum(pc.binary_length(texts)).as_py():
        return words
    view = np.frombuffer(texts.buffers()[2], dtype=np.uint8)
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset : texts.offset + len(texts) + 1]
    end = int(offsets[-1])
    spaces_before = np.empty(len(offsets), dtype=np.int64)
    irregular = [offsets[:-1][(view[np.minimum(offsets[:-1], len(view) - 1)] == 32) & (np.diff(offsets) > 0)]]
    # As few slices as the largest size allows, of equal size: a short last slice would cost as many
    # calls as a whole one, and the masks would be sized for the others.
    size = -(-end // -(-end // _COUNTING_SLICE))
    masks = _SliceMasks(size)
    running = first = 0
    for start in range(0, end, size):
        chunk = view[start : min(start + size, end)]
        space, odd = masks.of(chunk, follows_space=start > 0 and view[start - 1] in (32, 10))
        last = int(np.searchsorted(offsets, start + len(chunk), side="right"))
        spaces_before[first:last] = running + masks.true_before(offsets[first:last] - start)
        running, first = running + int(np.count_nonzero(space)), last
        found = np.flatnonzero(odd) + start
        lead = view[found] >= 0xC2
        irregular += [found[~lead], found[lead][_space_starts_at(view, found[lead])]]
    spaces_before[first:] = running
    words += np.diff(spaces_before)
    for index in np.unique(np.searchsorted(offsets, np.concatenate(irregular), side="right") - 1):
        words[index] = len(texts[int(index)].as_py().split())
    return words


class _SliceMasks:
    """The masks of one slice of text at a time, each step written in place into arrays made once.

    Every slice's steps would otherwise make a dozen arrays of its size, and a fresh process
    faults in each new page of memory: for 10,000 comments, a dozen megabytes of fresh memory.
    """

    def __init__(self, size: int) -> None:
        self.space = np.zeros(size // 8 * 8 + 8, dtype=bool)  # whole eights, one past the slice
        self.odd = np.empty(size, dtype=bool)
        self.before_eight = np.empty(len(self.space) // 8, dtype=np.int64)  # also the masks' scratch

    def of(self, chunk: np.ndarray, follows_space: bool) -> tuple[np.ndarray, np.ndarray]:
        """Spaces, and irregular spacing: a space after a space or a newline, a control character,
        or a byte that may begin a wider white space (U+0085, U+00A0: C2; U+1680 to U+3000: E1 to
        E3), to be looked up."""
        size = len(chunk)
        space, odd, scratch = self.space[:size], self.odd[:size], self.before_eight.view(bool)[:size]
        np.equal(chunk, 32, out=space)
        np.less(chunk, 32, out=odd)
        np.not_equal(chunk, 10, out=scratch)
        odd &= scratch
        np.equal(chunk[:-1], 10, out=scratch[1:])
        scratch[1:] |= space[:-1]
        scratch[0] = follows_space
        scratch &= space
        odd |= scratch
        for first, count in _SPACE_LEAD_RUNS:  # unsigned bytes wrap below ``first``: only the run stays under count
            np.subtract(chunk, np.uint8(first), out=scratch.view(np.uint8))
            np.less(scratch.view(np.uint8), count, out=scratch)
            odd |= scratch
        return space, odd

    def true_before(self, positions: np.ndarray) -> np.ndarray:
        """How many spaces of the slice come before each position (at most the slice's length); after
        ``of``, as the sums are written over its scratch.

        A bool is a byte of 0 or 1, so eight are summed at once by multiplying their uint64 by
        0x0101...01 (the sum lands in the top byte), and the running sum is kept per eight, not
        per byte. Bytes past the slice (left from a longer one) are in no sum read: an eight's
        sum counts only eights wholly before a position, and its partial eight is masked at it.
        The product's lower bytes overflow by design: unsigned arrays multiply modulo 2**64 in
        numpy (unlike a Python integer that does not fit, which raises), and only the top byte,
        an exact sum of at most 8, is read.
        """
        eights = self.space.view(np.uint64)
        sums = self.before_eight[1:].view(np.uint64)
        np.multiply(eights[:-1], _BYTE_ONES, out=sums)
        np.right_shift(sums, _TOP_BYTE, out=sums)
        self.before_eight[0] = 0
        np.cumsum(self.before_eight[1:], out=self.before_eight[1:])
        whole, rest = positions >> 3, positions & 7
        partial = eights[whole] & _LOW_BYTES[rest]
        return self.before_eight[whole] + ((partial * _BYTE_ONES) >> _TOP_BYTE).view(np.int64)


def _dedent(line: str, width: int) -> str:
    """Drop up to ``width`` columns of leading spaces/tabs, keeping any deeper indentation."""
    taken = cut = 0
    for char in line:
        if char not in " \t" or taken >= width:
            break
        taken += 2 if char == "\t" else 1
        cut += 1
    return line[cut:]


def _frame(
    markers: _Markers,
    tree: Tree,
    texts: pa.Array,
    words: np.ndarray,
    timestamps: np.ndarray | None,
    source: str,
    problems: list[Problem] | None = None,
) -> pd.DataFrame:
    top_level = tree.parent < 0
    numbers = np.where(top_level, np.asarray(markers.number), np.nan)
    ids = _comment_ids(tree, numbers, problems if problems is not None else [])
    columns = {
        "id": _str_column(ids),
        "parent_id": _str_column(ids.take(pa.array(tree.parent, mask=top_level))),
        "path": _str_column(ids),
        "depth": tree.depth,
        "position": tree.position,
        "number": pd.array(numbers, dtype="Int64"),
        "author": _str_column(markers.author),
        "author_id": _str_column(pa.nulls(len(ids), pa.large_string())),
        "timestamp": timestamps if timestamps is not None else np.zeros(0, dtype="datetime64[us]"),
        "text": _str_column(texts),
        "words": words.astype(np.int64),
        "line": (markers.line + 1).astype(np.int64),
        "kind": _str_column(markers.comment_kind),
        "score": pd.arrays.IntegerArray(np.zeros(len(ids), dtype=np.int64), np.ones(len(ids), dtype=bool)),
    }
    # Arrays, not Series: no index to align, and each column already has its schema dtype.
    return pd.DataFrame({name: columns[name] for name in COMMENT_SCHEMA}, copy=False)


def _str_column(values: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    """pandas' default ``str`` column over the Arrow strings, without a copy."""
    return pd.arrays.ArrowStringArray(values.cast(pa.large_string()), dtype=_STR)


def _comment_ids(tree: Tree, numbers: np.ndarray, problems: list[Problem]) -> pa.Array:
    """Path ids: the site's number at top level (position when numbers are missing or repeat), then
    parent.k for the k-th reply (``records.path_ids``); a repeated number is reported."""
    top = np.flatnonzero(tree.parent < 0)
    values, first_seen, times = np.unique(numbers[top], return_index=True, return_counts=True)
    repeated = np.flatnonzero((times > 1) & ~np.isnan(values))
    for index in repeated[np.argsort(first_seen[repeated])]:
        message = f"top-level number {int(values[index])} appears {times[index]} times"
        problems.append(Problem("duplicate_number", message))
    use_numbers = not len(repeated) and not np.isnan(numbers[top]).any()
    labels = np.arange(len(tree.parent), dtype=np.int64)
    if use_numbers:
        labels[top] = numbers[top].astype(np.int64)
    return tree.paths(labels)
