"""Tables and trees for the terminal, made with rich; every cell is literal text, never markup.

A table is laid out for the width it is printed at: identifiers, numbers and dates keep their
whole width on one line, free text (comment text, titles) takes the width left, headers break
between words only, and when the columns cannot all fit the least important are left out and one
line on stderr names them. Rows are written as they are laid out, a chunk at a time, so a table
of many rows costs about what its CSV does. A reply tree is written the same way, a block of
comments at a time, in the lines rich's ``Tree`` draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import IO, TYPE_CHECKING, Any

from commentscope.parallel import in_parallel
from commentscope.writers.escaping import literal, plain, terminal_safe

if TYPE_CHECKING:  # rich is imported where a table, a tree or a console is made: JSON, CSV and pipes never load it
    import pandas as pd
    import pyarrow as pa
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.segment import Segment
    from rich.table import Table
    from rich.text import Text

    from commentscope.nested import NestedRows

#: How tables, trees, graphs and the report name a comment without an author; the data keeps null.
#: The brackets keep it apart from a commenter who calls themself Anonymous.
ANONYMOUS_LABEL = "(anonymous)"
#: Columns that hold prose: they wrap, and take the width the other columns leave.
FREE_TEXT_COLUMNS = frozenset({"text", "title", "detail", "byline"})
#: When a table is too wide, a table of comments (one with ``parent_id``) loses these first, in
#: this order: its ids and their order show the tree, so the parent and the depth are the easiest
#: to spare. Then any table loses its rightmost columns. The first column (what a row is about)
#: and free text always stay.
COMMENT_EXPENDABLE = ("words", "sentiment", "depth", "parent_id")
#: The multi-page ``stats`` table's columns unless ``fields`` names others: it fits 120 columns.
PAGE_TABLE_FIELDS = (
    "source",
    "comments",
    "replies",
    "max_depth",
    "commenters",
    "first_comment",
    "last_comment",
)

_BAR_WIDTH = 24
_BAR_MIN_WIDTH = 8
_FREE_MIN_WIDTH = 20
_PREVIEW = 64  # characters a cell shows at least before it is cut with "…"
_FREE_CAP = 1000  # characters of free text kept for a cell: more than two lines of any terminal
_FREE_MEASURED = 400  # characters of free text that decide how wide its column would like to be
_CHUNK_ROWS = 500
_VALUE_BLOCK = 20_000  # a frame's values made Python objects this many at a time
_FREE_TEXT_BLOCK = 2_000  # free text's cells made by the rule at once when it is measured (several copies of each text)
_LONGEST_MEASURED = 64  # free texts measured first, the longest: one as wide as _FREE_MEASURED settles the width


def table_of(
    rows: list[dict[str, Any]] | pd.DataFrame,
    title: str | None = None,
    columns: list[str] | None = None,
    *,
    nulls: Mapping[str, str] | None = None,
    bar: str | None = None,
    caption: str | None = None,
    free_text: Sequence[str] | None = None,
    notice: Callable[[str], None] | None = None,
) -> FittedTable:
    """A table of rows that fits the width it is printed at (and a caption line under it).

    ``nulls`` says what a missing value means per column (e.g. author -> anonymous); ``bar``
    draws a bar for each row, scaled to that numeric column's largest value, in the width left
    over. ``free_text`` names the columns that wrap (default: ``FREE_TEXT_COLUMNS``).
    ``notice`` receives the line naming the columns left out to fit (default: stderr). ``rows`` may
    be a DataFrame: its columns are read one at a time, with no object made per row.
    """
    nulls = {"author": ANONYMOUS_LABEL, **(nulls or {})}
    free = FREE_TEXT_COLUMNS if free_text is None else frozenset(free_text)
    if hasattr(rows, "columns"):
        frame = rows
        columns = columns or [str(name) for name in frame.columns]

        def values_of(name: str) -> Iterator[list[Any] | pa.Array]:
            if name not in frame.columns:
                yield [None] * len(frame)
                return
            for start in range(0, len(frame), _VALUE_BLOCK):
                part = frame[name].iloc[start : start + _VALUE_BLOCK]
                yield _as_strings(part) or _as_counts(part) or list(map(plain, part.tolist()))

    else:
        columns = columns or (list(rows[0]) if rows else [])

        def values_of(name: str) -> Iterator[list[Any]]:
            yield [row.get(name) for row in rows]

    laid = [_column(name, values_of(name), nulls.get(name, ""), name in free) for name in columns]
    bars = None
    if bar:
        values = [value or 0 for block in values_of(bar) for value in _listed(block)]
        largest = max(values, default=0) or 1
        bars = [value / largest for value in values]
    return FittedTable(
        laid,
        len(rows),
        title=_heading(title).plain if title else None,
        caption=terminal_safe(caption) if caption else None,
        bars=bars,
        notice=notice or _notice_on_stderr,
    )


def pages_table(
    rows: list[dict[str, Any]],
    fields: Sequence[str] | None = None,
    *,
    notice: Callable[[str], None] | None = None,
) -> FittedTable:
    """Several pages' stats, a row each (the totals row last), with ``fields`` as the columns
    (default ``PAGE_TABLE_FIELDS``); one page's stats read better from ``grouped_table``."""
    return table_of(rows, columns=list(fields or PAGE_TABLE_FIELDS), notice=notice)


@dataclass
class _Column:
    name: str
    header: list[str]  # the header's words: a header breaks between them only
    cells: list[str] | _ArrowCells
    sizes: list[int]  # each cell's width in terminal cells
    dim: list[bool]  # the cell stands for a missing value
    null_shown: bool  # a missing value shows as dim text, not blank
    numeric: bool
    free: bool
    widest: int  # the widest cell, or the longest header word if wider


def _column(name: str, blocks: Iterable[list[Any] | pa.Array], null: str, free: bool) -> _Column:
    """A column of the values given a block at a time (a frame's text is never all made Python strings at once)."""
    import pyarrow as pa

    numeric = True
    null_text = terminal_safe(null)
    width = _FREE_CAP if free else _PREVIEW
    pieces: list[list[str] | pa.Array] = []  # each block's cells: Arrow strings for a frame's text and counts
    dim: list[bool] = []
    blocks = list(blocks)
    header = terminal_safe(name).replace("_", " ").split() or [""]
    if free and blocks and not any(isinstance(values, list) for values in blocks):
        return _free_column(name, header, pa.chunked_array(blocks), null_text)
    # Two blocks at a time: Arrow's kernels let go of the GIL while they work.
    for values, strings in zip(blocks, in_parallel(partial(_arrow_cells, width=width), blocks), strict=True):
        if strings is None:  # Python values
            numeric = numeric and all(v is None or isinstance(v, int | float) for v in values)
            if set(map(type, values)) <= {int}:  # counts: their digits are the cells
                strings = list(map(str, values))
            else:
                strings = [null_text if v is None else _cell_string(v, width=width) for v in values]
            dim += [v is None for v in values]
        elif pa.types.is_integer(values.type):
            dim += [False] * len(values)
        else:
            numeric = numeric and values.null_count == len(values)
            dim += strings.is_null().to_pylist()
            strings = strings.fill_null(null_text)
        pieces.append(strings)
    if pieces and not any(isinstance(piece, list) for piece in pieces):
        return _arrow_column(name, header, pieces, dim, null_text, numeric)
    cells = [cell for piece in pieces for cell in _listed(piece)]  # blocks of both kinds: Python strings for all
    if free:
        sizes = [0] * len(cells)  # free text is measured as it wraps
    elif all(map(str.isascii, cells)):
        sizes = list(map(len, cells))
    else:
        sizes = [_cells(cell) for cell in cells]
    widest = max(sizes, default=0) if not free else max((_cells(cell[:_FREE_MEASURED]) for cell in cells), default=0)
    return _Column(
        name=name,
        header=header,
        cells=cells,
        sizes=sizes,
        dim=dim,
        null_shown=null_text != "" and not null_text.isspace(),
        numeric=numeric,
        free=free,
        widest=max(widest, *(_cells(word) for word in header)),
    )


def _free_column(name: str, header: list[str], texts: pa.ChunkedArray, null_text: str) -> _Column:
    """``_column``'s free-text column of a frame's text: its cells made by the rule only as their
    rows are written (``_ArrowCells``), so that the table holds no copy of the texts, and measured
    as ``_column`` measures them (``_free_widest``)."""
    return _Column(
        name=name,
        header=header,
        cells=_ArrowCells(texts, made=partial(_free_cells, null_text=null_text)),
        sizes=[0] * len(texts),
        dim=texts.is_null().to_pylist(),
        null_shown=null_text != "" and not null_text.isspace(),
        numeric=False,
        free=True,
        widest=max(_free_widest(texts, null_text), *(_cells(word) for word in header)),
    )


def _free_cells(texts: pa.Array, null_text: str) -> pa.Array:
    return _strings_cells(texts, _FREE_CAP).fill_null(null_text)


def _free_widest(texts: pa.ChunkedArray, null_text: str) -> int:
    """The widest of the free-text cells' first ``_FREE_MEASURED`` characters, without making
    every cell: a cell of plain text (``_PLAIN_CELL``) takes one terminal cell a character, so it
    is at most ``_FREE_MEASURED`` wide, and one of the longest texts that wide settles the plain
    ones (a page with any long comment); the other texts are measured one by one."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    widest = _cells(null_text[:_FREE_MEASURED]) if texts.null_count else 0
    plain = pc.fill_null(pc.match_substring_regex(texts, _PLAIN_CELL), True).combine_chunks()  # a missing text: no cell
    for cell in _free_cells(texts.filter(pc.invert(plain)).combine_chunks(), null_text).to_pylist():
        widest = max(widest, _cells(cell[:_FREE_MEASURED]))
    lengths = np.where(plain.to_numpy(zero_copy_only=False), pc.fill_null(pc.utf8_length(texts), 0).to_numpy(), -1)
    longest = np.argsort(lengths)[-_LONGEST_MEASURED:]
    # row by row: a take from chunks would first put them all in one piece
    plain_widest = _longest_cell(
        pa.array([texts[int(row)].as_py() for row in longest[lengths[longest] >= 0]], texts.type)
    )
    for start in range(0, len(texts) if plain_widest < _FREE_MEASURED else 0, _FREE_TEXT_BLOCK):
        part = texts.slice(start, _FREE_TEXT_BLOCK).combine_chunks()
        plain_widest = max(plain_widest, _longest_cell(part.filter(plain.slice(start, _FREE_TEXT_BLOCK)).drop_null()))
    return max(widest, min(plain_widest, _FREE_MEASURED))


def _longest_cell(texts: pa.Array) -> int:
    import pyarrow.compute as pc

    return pc.max(pc.utf8_length(_strings_cells(texts, _FREE_CAP))).as_py() or 0


def _arrow_column(
    name: str, header: list[str], blocks: list[pa.Array], dim: list[bool], null_text: str, numeric: bool
) -> _Column:
    """``_column``'s column of a frame's short text (ids, names, times): its cells kept as Arrow
    strings, and measured as ``_cells`` measures them, by their length where they are narrow."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    from rich.cells import cell_len

    strings = pa.chunked_array(blocks)
    narrow = pc.or_(pc.string_is_ascii(strings), pc.match_substring_regex(strings, f"^{_NARROW_TEXT.pattern}$"))
    sizes = pc.utf8_length(strings).to_numpy().astype(np.int64)
    wide = np.flatnonzero(~narrow.to_numpy())
    sizes[wide] = [cell_len(cell) for cell in strings.take(pa.array(wide)).to_pylist()]
    return _Column(
        name=name,
        header=header,
        cells=_ArrowCells(strings),
        sizes=sizes.tolist(),
        dim=dim,
        null_shown=null_text != "" and not null_text.isspace(),
        numeric=numeric,
        free=False,
        widest=max(int(sizes.max(initial=0)), *(_cells(word) for word in header)),
    )


class _ArrowCells:
    """Cells kept as Arrow strings, made Python strings a slice of rows at a time (by ``made``
    from the values kept, for cells made only as they are written): the last slice is kept,
    since a styled row of it is drawn again cell by cell."""

    def __init__(self, strings: pa.ChunkedArray, made: Callable[[pa.Array], pa.Array] | None = None) -> None:
        self.strings = strings
        self._made = made
        self._start, self._slice = 0, []

    def __len__(self) -> int:
        return len(self.strings)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            part = self.strings[index]
            if self._made is not None:
                part = self._made(part.combine_chunks())
            self._start, self._slice = index.start or 0, part.to_pylist()
            return self._slice
        if not self._start <= index < self._start + len(self._slice):
            self[index : index + 1]
        return self._slice[index - self._start]


class FittedTable:
    """A table laid out when it is printed, for the width it gets: see the module's docstring."""

    def __init__(
        self,
        columns: list[_Column],
        row_count: int,
        *,
        title: str | None,
        caption: str | None,
        bars: list[float] | None,
        notice: Callable[[str], None],
    ) -> None:
        self.columns = columns
        self.row_count = row_count
        self.title = title
        self.caption = caption
        self.bars = bars
        self.notice = notice
        self._noticed = False

    def layout(self, width: int) -> tuple[list[_Column], list[int], int]:
        """The columns kept, their widths and the bar's width (0 for none), for ``width`` cells."""
        kept = list(self.columns)
        expendable = COMMENT_EXPENDABLE if any(column.name == "parent_id" for column in kept) else ()
        while _needed(kept) > width and (goes := _next_to_go(kept, expendable)) is not None:
            kept.remove(goes)
        widths = [column.widest if not column.free else min(column.widest, _FREE_MIN_WIDTH) for column in kept]
        spare = width - _needed(kept)
        free = [i for i, column in enumerate(kept) if column.free]
        while spare > 0 and (growing := [i for i in free if widths[i] < kept[i].widest]):
            share = max(spare // len(growing), 1)
            for i in growing:
                step = min(share, kept[i].widest - widths[i], spare)
                widths[i] += step
                spare -= step
        if spare < 0:  # even the first column and free text alone are too wide: cut the widest
            widest = max(range(len(kept)), key=widths.__getitem__)
            widths[widest] = max(widths[widest] + spare, 1)
        bar = 0
        if self.bars is not None and spare >= _BAR_MIN_WIDTH + 3:
            bar = min(_BAR_WIDTH, spare - 3)
        return kept, widths, bar

    def _announce(self, kept: list[_Column], width: int) -> None:
        if self._noticed:
            return
        self._noticed = True
        left_out = [column.name for column in self.columns if column not in kept]
        if left_out:
            self.notice(
                f"{', '.join(left_out)} left out to fit {width} columns "
                "(--fields picks the columns, -f csv shows them all)"
            )

    def chunks(self, console: Console, width: int | None = None) -> Iterator[list[Segment]]:
        """The table as lines of segments, a few hundred rows at a time."""
        from rich.box import HEAVY_HEAD
        from rich.segment import Segment
        from rich.style import Style

        width = console.width if width is None else width
        kept, widths, bar_width = self.layout(width)
        self._announce(kept, width)
        box = HEAVY_HEAD.substitute(console.options)
        header_style, dim, cyan, italic = Style(bold=True), Style(dim=True), Style(color="cyan"), Style(italic=True)
        newline = Segment.line()
        out: list[Segment] = []
        if self.title:
            out.extend(piece for line, _ in _wrap(self.title, width) for piece in (Segment(line, italic), newline))
        if not kept:  # nothing to show but the title
            yield out
            return
        spans = [w + 2 for w in widths] + ([bar_width + 2] if bar_width else [])
        out += [Segment(box.get_top(spans)), newline]
        headers = [_wrap(" ".join(column.header), w) for column, w in zip(kept, widths, strict=True)]
        height = max((len(lines) for lines in headers), default=1)
        for line in range(height):
            pieces = [Segment(box.head_left + " ")]
            for column, lines, w in zip(kept, headers, widths, strict=True):
                index = line - (height - len(lines))  # headers sit on the rule
                text, size = lines[index] if index >= 0 else ("", 0)
                pieces += [Segment(_pad(text, size, w, column.numeric), header_style)]
                pieces.append(Segment(" " + box.head_vertical + " "))
            if bar_width:
                pieces += [Segment(" " * bar_width), Segment(" " + box.head_vertical + " ")]
            pieces[-1] = Segment(" " + box.head_right)
            out += [*pieces, newline]
        out += [Segment(box.get_row(spans, "head")), newline]
        for start in range(0, self.row_count, _CHUNK_ROWS):
            rows = range(start, min(start + _CHUNK_ROWS, self.row_count))
            styled = set(rows) if bar_width else _styled_rows(kept, rows)
            plain: list[str] = []  # rows with no styled cell, written as one segment
            for row, lines in zip(rows, self._plain_rows(rows, kept, widths, box), strict=True):
                if row in styled:
                    if plain:
                        out.append(Segment("".join(plain)))
                        plain = []
                    out.extend(self._row(row, kept, widths, bar_width, box, dim, cyan))
                else:
                    plain.append(lines)
            if plain:
                out.append(Segment("".join(plain)))
            if rows.stop < self.row_count:
                yield out
                out = []
        out += [Segment(box.get_bottom(spans)), newline]
        if self.caption:
            out.extend(piece for line, _ in _wrap(self.caption, width) for piece in (Segment(line), newline))
        yield out

    def _row(
        self, row: int, kept: list[_Column], widths: list[int], bar_width: int, box: Any, dim: Any, cyan: Any
    ) -> Iterator[Segment]:
        from rich.segment import Segment

        cells = []
        for column, w in zip(kept, widths, strict=True):
            text = column.cells[row]
            if column.free:
                cells.append([_pad(line, size, w, column.numeric) for line, size in _preview(text, w)])
            elif column.sizes[row] > w:
                cells.append([_pad(_cut(text, w), w, w, column.numeric)])
            else:
                cells.append([_pad(text, column.sizes[row], w, column.numeric)])
        height = max(len(lines) for lines in cells) if cells else 1
        left, middle, right = box.mid_left + " ", " " + box.mid_vertical + " ", " " + box.mid_right
        for line in range(height):
            plain_run = left
            pieces = []
            for column, lines, w in zip(kept, cells, widths, strict=True):
                text = lines[line] if line < len(lines) else " " * w
                if column.dim[row] and not text.isspace():
                    pieces += [Segment(plain_run), Segment(text, dim)]
                    plain_run = middle
                else:
                    plain_run += text + middle
            if bar_width:
                filled = round(bar_width * self.bars[row]) if line == 0 else 0
                pieces += [Segment(plain_run), Segment("█" * filled, cyan)]
                plain_run = " " * (bar_width - filled) + middle
            pieces += [Segment(plain_run[: -len(middle)] + right), Segment.line()]
            yield from pieces

    def _plain_rows(self, rows: range, kept: list[_Column], widths: list[int], box: Any) -> list[str]:
        """Each row's lines as ``_row`` draws them when no cell of it is styled (a value shown as
        missing, a bar), made a column at a time."""
        left, middle, right = box.mid_left + " ", " " + box.mid_vertical + " ", " " + box.mid_right + "\n"
        firsts = []  # each column's first line of each row
        tails = []  # a free column's place and its further lines of each row
        for place, (column, w) in enumerate(zip(kept, widths, strict=True)):
            texts = column.cells[rows.start : rows.stop]
            if column.free:
                lines = [[_pad(line, size, w, column.numeric) for line, size in _preview(text, w)] for text in texts]
                firsts.append([of[0] for of in lines])
                tails.append((place, [of[1:] for of in lines]))
            else:
                sizes = column.sizes[rows.start : rows.stop]
                firsts.append(
                    [
                        _pad(text, size, w, column.numeric) if size <= w else _pad(_cut(text, w), w, w, column.numeric)
                        for text, size in zip(texts, sizes, strict=True)
                    ]
                )
        drawn = [left + middle.join(row) + right for row in zip(*firsts, strict=True)]
        blanks = [" " * w for w in widths]
        for row in range(len(drawn)):
            height = max((len(rest[row]) for _, rest in tails), default=0)
            for line in range(height):
                cells = list(blanks)
                for place, rest in tails:
                    if line < len(rest[row]):
                        cells[place] = rest[row][line]
                drawn[row] += left + middle.join(cells) + right
        return drawn

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for chunk in self.chunks(console, options.max_width):
            yield from chunk


def _styled_rows(columns: list[_Column], rows: range) -> set[int]:
    """The rows with a cell shown as missing in dim text (not blank)."""
    styled: set[int] = set()
    for column in columns:
        if column.null_shown:
            styled.update(row for row, dim in zip(rows, column.dim[rows.start : rows.stop], strict=True) if dim)
    return styled


def _needed(columns: list[_Column]) -> int:
    """The width of a table of these columns at their narrowest: borders, padding and cells."""
    cells = sum(column.widest if not column.free else min(column.widest, _FREE_MIN_WIDTH) for column in columns)
    return cells + 3 * len(columns) + 1


def _next_to_go(columns: list[_Column], expendable: Sequence[str]) -> _Column | None:
    candidates = [column for column in columns[1:] if not column.free]
    for name in expendable:
        for column in candidates:
            if column.name == name:
                return column
    return candidates[-1] if candidates else None


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes: one a character for most text, measured by rich otherwise."""
    from rich.cells import cell_len

    return len(text) if _narrow(text) else cell_len(text)


# Characters one cell wide each, whatever follows them (no wide, zero-width or combining ones):
# ASCII, Latin, Greek, Cyrillic, punctuation such as "•" and "…", currency, arrows, box drawing.
# The soft hyphen (U+00AD) is left to rich, whose versions count it as 0 or 1 cell.
_NARROW_TEXT = re.compile(
    "[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e"
    "\u20a0-\u20bf\u2100-\u214f\u2190-\u21ff\u2500-\u259f]*"
)


def _narrow(text: str) -> bool:
    return text.isascii() or _NARROW_TEXT.fullmatch(text) is not None


def _pad(text: str, size: int, width: int, right: bool) -> str:
    """``text``, ``size`` cells wide, filled out to ``width`` cells on the left or the right."""
    gap = width - size
    if gap <= 0:
        return text
    return " " * gap + text if right else text + " " * gap


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending in "…" when cut."""
    from rich.cells import set_cell_size

    if _cells(text) <= width:
        return text
    if width <= 0:
        return ""
    return (text[: width - 1] if _narrow(text) else set_cell_size(text, width - 1)) + "…"


def _preview(text: str, width: int) -> list[tuple[str, int]]:
    """A free-text cell's lines in a column ``width`` cells wide: its start, cut with "…" past
    two lines (or ``_PREVIEW`` cells), wrapped."""
    limit = max(_PREVIEW, 2 * width)
    if _narrow(text):
        return _wrap(text if len(text) <= limit else text[: limit - 1] + "…", width, narrow=True)
    return _wrap(_cut(text, limit), width)


def _wrap(text: str, width: int, *, narrow: bool | None = None) -> list[tuple[str, int]]:
    """Lines of at most ``width`` cells and their sizes, broken between words; a word longer
    than a line is split. ``narrow``: whether ``_narrow(text)`` is known already."""
    from rich.cells import chop_cells

    narrow = _narrow(text) if narrow is None else narrow
    whole = len(text) if narrow else _cells(text)
    if width <= 0 or whole <= width:
        return [(text, whole)]
    if narrow and "  " not in text and "\n" not in text and text[:1] != " " and text[-1:] != " ":
        return [(line, len(line)) for line in map(_line_of, _line_pattern(width).finditer(text))]
    lines: list[tuple[str, int]] = []
    line, used = "", 0
    for word in text.split(" "):
        size = len(word) if narrow else _cells(word)
        if size > width:
            pieces = chop_cells(word, width)
            if line:
                lines.append((line, used))
            lines.extend((piece, _cells(piece)) for piece in pieces[:-1])
            line, used = pieces[-1], _cells(pieces[-1])
        elif not line:
            line, used = word, size
        elif used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
        else:
            lines.append((line, used))
            line, used = word, size
    lines.append((line, used))
    return lines


@cache
def _line_pattern(width: int) -> re.Pattern[str]:
    """The lines ``_wrap`` breaks single-spaced text of one-cell characters into, one a match: the
    longest run of words that fits, else (a word longer than a line) ``width`` of its characters."""
    return re.compile(f"(.{{1,{width}}})(?: |$)|.{{{width}}}")


def _line_of(match: re.Match[str]) -> str:
    return match.group(1) or match.group()


def _notice_on_stderr(message: str) -> None:
    stderr_console().print(literal(f"Note: {message}"), soft_wrap=True)


def grouped_table(rows: list[dict[str, Any]], groups: Mapping[str, list[str]], names: list[str]) -> Table:
    """Fields down the side in titled groups, one column per record (e.g. one per page)."""
    from rich.table import Table

    table = Table(show_header=len(rows) > 1, box=None, padding=(0, 2, 0, 0))
    table.add_column("", no_wrap=True)
    for name in names:
        table.add_column(literal(name), overflow="fold")
    for group, fields in groups.items():
        table.add_row(literal(group, style="bold"), *([""] * len(rows)))
        for field_name in fields:
            table.add_row(literal("  " + field_name), *(cell_text(row.get(field_name)) for row in rows))
    return table


def tree_view(forest: NestedRows, title: str | None = None) -> FittedTree:
    """The reply tree of ``reply_forest``'s rows under a title line (and a branch per page when
    the rows have a ``source``), drawn as rich draws a tree; each text preview takes the width
    its line has left."""
    return FittedTree(forest, title)


class FittedTree:
    """A tree written a line at a time for the width it is printed at, a block of lines at once.

    The lines are rich's ``Tree`` of one label per comment: guides, then the comment's facts, then
    as much of its text as the line has room for, or the text on a line of its own when the room
    is under ``_FREE_MIN_WIDTH``. A label too wide for its line (deep in a thread) is left to rich
    to wrap, and lines are cut at the width as rich cuts them.
    """

    def __init__(self, forest: NestedRows, title: str | None = None) -> None:
        self.forest = forest
        self.title = title or "comments"

    def chunks(self, console: Console, width: int | None = None) -> Iterator[list[Segment]]:
        """The tree as segments, ``_CHUNK_ROWS`` comments at a time."""
        from rich.tree import Tree

        width = console.width if width is None else width
        options = console.options.update(width=width, height=None, highlight=False)
        space, stem, fork, end = Tree.ASCII_GUIDES if options.ascii_only else Tree.TREE_GUIDES[0]
        draw = _NodeLines(console, options, styled=console.color_system is not None)
        out = _prefixed(console.render_lines(_heading(self.title, style="bold"), options, pad=False), "", "", width)
        frame, levels, pages = _tree_order(self.forest)
        stems = [""]
        lasts = _last_siblings(levels)
        place = 0
        for start in range(0, len(frame), _CHUNK_ROWS):
            nodes = _node_values(frame.iloc[start : start + _CHUNK_ROWS], width)
            for node in zip(*nodes, strict=True):
                if place in pages:  # a page's branch comes before its first comment
                    prefix = end if lasts[place] else fork
                    stems[1:] = [space if lasts[place] else stem]
                    label = literal(pages[place], style="bold underline")
                    out += _prefixed(
                        console.render_lines(label, options.update(width=width - 4), pad=False), prefix, stems[1], width
                    )
                    place += 1
                level, last = levels[place], lasts[place]
                del stems[level + 1 :]
                prefix = stems[level] + (end if last else fork)
                stems.append(stems[level] + (space if last else stem))
                out += draw(node, prefix, stems[-1], width)
                place += 1
            yield out
            out = []
        if out:  # no comment: the title alone
            yield out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for chunk in self.chunks(console, options.max_width):
            yield from chunk


def _tree_order(forest: NestedRows) -> tuple[pd.DataFrame, list[int], dict[int, str]]:
    """The rows in the order they are drawn, each line's level (a page's branch is a line too)
    and the pages' names by the place of their line.

    In a corpus (rows with a ``source``) each page's trees go under one branch, in the order
    the pages' first trees come."""
    import numpy as np

    levels = np.asarray(forest.levels, dtype=np.int64)
    count = len(levels)
    frame = forest.rows
    if "source" not in frame.columns or count == 0:
        return frame, levels.tolist(), {}
    tops = np.flatnonzero(levels == 0)
    codes: dict[Any, int] = {}
    names = []
    top_codes = []
    for source in frame["source"].iloc[tops].astype(object).tolist():
        source = plain(source)
        if source not in codes:
            codes[source] = len(codes)
            names.append(source)
        top_codes.append(codes[source])
    page = np.asarray(top_codes, dtype=np.int64)[np.cumsum(levels == 0) - 1]
    if (np.diff(page) < 0).any():
        rows = np.argsort(page, kind="stable")
        frame, page, levels = frame.iloc[rows].reset_index(drop=True), page[rows], levels[rows]
    starts = np.searchsorted(page, np.arange(len(names)))
    places = starts + np.arange(len(names))  # each branch's line comes before its page's rows
    lines = np.insert(levels + 1, starts, 0)
    return frame, lines.tolist(), {int(p): str(name) for p, name in zip(places, names, strict=True)}


def _last_siblings(levels: list[int]) -> list[bool]:
    """Whether each line of a tree (given by levels, in the tree's order) is its parent's last."""
    last = [False] * len(levels)
    later: list[bool] = []  # later[level]: a line at that level follows, under the same parent
    for place in range(len(levels) - 1, -1, -1):
        level = levels[place]
        del later[level + 1 :]
        if len(later) <= level:
            later.extend([False] * (level + 1 - len(later)))
        last[place] = not later[level]
        later[level] = True
    return last


def _node_values(part: pd.DataFrame, width: int) -> list[list[Any]]:
    """The columns a tree's line shows, for these rows, as Python values (None for missing); texts
    as ``_preview_text`` makes them for a line of ``width``."""

    def values(name: str) -> list[Any]:
        column = part[name]
        return column.astype(object).where(column.notna(), None).tolist()

    context = values("context") if "context" in part.columns else [None] * len(part)
    texts = [None if text is None else _preview_text(text, width) for text in values("text")]
    return [values(name) for name in ("id", "author", "timestamp", "words", "replies_count")] + [texts, context]


def _preview_text(text: str, width: int) -> str:
    """``_cell_string(text, _FREE_CAP)`` as far as a preview at most ``width`` cells wide can show:
    of a long text, only the start is made one line.

    One line of the start is the start of the line of the whole (spaces are merged, characters
    escaped one by one), so once it is well past ``width`` characters, every cut of at most
    ``width`` cells, and whether there is one, is the same as of the whole."""
    if len(text) > 2 * width + 40 and width + 20 < _FREE_CAP:
        start = _cell_string(text[: 2 * width + 40], width=None)
        if len(start) > width + 20:
            return start
    return _cell_string(text, width=_FREE_CAP)


class _NodeLines:
    """A comment's lines in the tree: its facts, then as much of its text as the line has room for,
    or its text on the next line when the room is under ``_FREE_MIN_WIDTH``."""

    def __init__(self, console: Console, options: ConsoleOptions, *, styled: bool) -> None:
        from rich.segment import Segment
        from rich.style import Style

        self.console, self.options, self.styled = console, options, styled
        self.segment, self.newline = Segment, Segment.line()
        self.dim, self.bold, self.context = Style(dim=True), Style(bold=True), Style(italic=True, dim=True)
        self.anonymous = Style(dim=True, bold=True)

    def __call__(self, node: tuple[Any, ...], prefix: str, below: str, width: int) -> list[Segment]:
        ident, author, timestamp, words, replies, text, context = node
        ident = terminal_safe(str(ident)) + " "
        marker = "(context) " if context else ""
        anonymous = author is None
        author = ANONYMOUS_LABEL if anonymous else _cell_string(author)
        when = "" if (moment := plain(timestamp)) is None else _cell_string(moment)
        facts = f"  {when}  {words} words  {replies} repl{'y' if replies == 1 else 'ies'}  "
        text = "" if text is None else text
        head = ident + marker + author + facts
        room = max(width - len(prefix), 0)
        head_size = _cells(head)
        if room - head_size >= _FREE_MIN_WIDTH:
            preview, tail = _cut(text, room - head_size), ""
        elif text and head_size - 2 <= room:  # no room for a preview: the text gets the next line
            facts, head, preview, tail = facts[:-2], head[:-2], "", _cut(text, room)
        elif not text and head_size <= room:
            preview, tail = "", ""
        else:
            return self._wrapped(ident, marker, author, anonymous, facts, text, prefix, below, width)
        segment = self.segment
        if not self.styled:
            return [segment(f"{prefix}{head}{preview}\n{below}{tail}\n" if tail else f"{prefix}{head}{preview}\n")]
        line = [segment(prefix), segment(ident, self.dim)]
        if marker:
            line.append(segment(marker, self.context))
        line += [segment(author, self.anonymous if anonymous else self.bold), segment(facts, self.dim)]
        if preview:
            line.append(segment(preview))
        line.append(self.newline)
        if tail:
            line += [segment(below), segment(tail), self.newline]
        return line

    def _wrapped(
        self,
        ident: str,
        marker: str,
        author: str,
        anonymous: bool,
        facts: str,
        text: str,
        prefix: str,
        below: str,
        width: int,
    ) -> list[Segment]:
        """A label wider than its line, wrapped by rich as its tree wraps one."""
        from rich.text import Text

        label = Text()
        label.append(ident, style="dim")
        if marker:
            label.append(marker, style="italic dim")
        label.append(author, style="bold dim" if anonymous else "bold")
        label.append(facts, style="dim")
        room = max(width - len(prefix), 0)
        if room - label.cell_len >= _FREE_MIN_WIDTH:
            label.append(_cut(text, room - label.cell_len))
        elif text:
            label.rstrip()
            label.append("\n" + _cut(text, room))
        lines = self.console.render_lines(label, self.options.update(width=room), pad=False)
        return _prefixed(lines, prefix, below, width)


def _prefixed(lines: list[list[Segment]], prefix: str, below: str, width: int) -> list[Segment]:
    """Lines of a label after their guides (``prefix`` on the first, ``below`` on the others),
    cut at ``width`` as rich cuts a tree's lines."""
    from rich.segment import Segment

    out: list[Segment] = []
    for number, line in enumerate(lines):
        guides = prefix if number == 0 else below
        whole = [Segment(guides), *line] if guides else line
        if len(guides) + Segment.get_line_length(line) > width:
            whole = Segment.adjust_line_length(whole, width, pad=False)
        out += [*whole, Segment.line()]
    return out


#: A page's title heads its table or tree on one or two lines at most, however long the page made it.
_ISO_TIME = re.compile(r"(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d)(?::00)?)?$")
_LONGEST_ISO_TIME = len("2019-01-24T07:36:00")
TITLE_WIDTH = 160


def _heading(title: str, style: str = "") -> Text:
    text = " ".join(title.split())
    return literal(text if len(text) <= TITLE_WIDTH else text[: TITLE_WIDTH - 1] + "…", style=style)


# The text ``_cell_string`` makes one line of by merging its spaces, tabs and line breaks, then
# cuts: one-cell characters (``_narrow``) with nothing to escape; an ISO time it rewrites; and
# what, being short and holding a colon, might hold a time it rewrites, so is left to the rule.
_PLAIN_CHARACTERS = (
    "\x21-\x7e\xa1-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e"
    "\u20a0-\u20bf\u2100-\u214f\u2190-\u21ff\u2500-\u259f"
)
_PLAIN_CELL = f"^[{_PLAIN_CHARACTERS} \t\n\r]*$"
_PLAIN_ISO_TIME = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2})(?::00)?$"


def _arrow_cells(values: list[Any] | pa.Array, width: int) -> pa.Array | None:
    """The cells of a block given as Arrow strings (``_strings_cells``) or counts (their digits);
    None for a block of Python values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, list):
        return None
    if pa.types.is_integer(values.type):
        return pc.cast(values, pa.large_string())
    return _strings_cells(values, width)


def _as_counts(part: pd.Series) -> pa.Array | None:
    """A frame's column of whole numbers with none missing, as Arrow integers (None for any other)."""
    import numpy as np
    import pyarrow as pa

    return pa.array(part.to_numpy()) if isinstance(part.dtype, np.dtype) and part.dtype.kind in "iu" else None


def _listed(block: list[Any] | pa.Array) -> list[Any]:
    return block if isinstance(block, list) else block.to_pylist()


def _as_strings(part: pd.Series) -> pa.Array | None:
    """A frame's column of text or of times (naive, to the second) as the Arrow strings of its
    values as ``plain`` gives them (None for any other column): ``_strings_cells`` takes them
    whole."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(part.dtype, pd.StringDtype) and part.dtype.storage == "pyarrow":
        strings = pa.array(part.array)
        return strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    if part.dtype.kind != "M" or getattr(part.dtype, "tz", None) is not None:
        return None
    moments = part.to_numpy()
    seconds = moments.astype("datetime64[s]")
    known = ~np.isnat(moments)
    in_range = (seconds[known] >= np.datetime64("1000-01-01")) & (seconds[known] < np.datetime64("10000-01-01"))
    if not (in_range.all() and (seconds[known] == moments[known]).all()):
        return None  # isoformat adds fractions of a second, or the year is not four digits
    return pc.strftime(pa.array(seconds, from_pandas=True), format="%Y-%m-%dT%H:%M:%S")


def _strings_cells(values: pa.Array, width: int) -> pa.Array:
    """``_cell_string(value, width)`` of each text (null where one is missing): as Arrow column
    operations where the text is plain (``_PLAIN_CELL``), by the rule itself for the rest."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = pc.ascii_split_whitespace(pc.utf8_trim(values, " \t\n\r"))  # an edge's space would be a word
    line = pc.binary_join(words, pa.scalar(" ", values.type))
    dated = pc.match_substring_regex(line, _PLAIN_ISO_TIME)
    timelike = pc.and_(pc.less_equal(pc.utf8_length(line), _LONGEST_ISO_TIME), pc.match_substring(line, ":"))
    simple = pc.and_(pc.match_substring_regex(values, _PLAIN_CELL), pc.or_(pc.invert(timelike), dated))
    text = pc.replace_substring_regex(line, _PLAIN_ISO_TIME, r"\1 \2")
    ellipsis, joined = pa.scalar("…", text.type), pa.scalar("", text.type)
    cut = pc.binary_join_element_wise(pc.utf8_slice_codeunits(text, 0, width - 1), ellipsis, joined)
    cells = pc.if_else(pc.greater(pc.utf8_length(text), width), cut, text)
    ruled = pc.invert(simple).fill_null(False)
    by_rule = [_cell_string(value, width) for value in values.filter(ruled).to_pylist()]
    return pc.replace_with_mask(cells, ruled, pa.array(by_rule, cells.type))


def _cell_string(value: Any, width: int | None = 64) -> str:
    """A value as one line of terminal-safe text, dates without their ``T`` and zero seconds,
    cut to ``width`` characters with "…" (``None``: not cut)."""
    if isinstance(value, float):
        return f"{value:g}"
    text = " ".join(str(value).split())
    if len(text) <= _LONGEST_ISO_TIME and text[:1].isdigit():
        text = _ISO_TIME.sub(lambda m: " ".join(filter(None, m.groups())), text)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return terminal_safe(text)


def cell_text(value: Any, width: int = 64, null: str = "") -> Text:
    """One table cell: literal, on one line, long text cut to a preview; ``null`` stands for a missing value."""
    from rich.text import Text

    if value is None:
        return literal(null, style="dim")
    return Text(_cell_string(value, width))


def stdout_console(file: IO[str] | None = None) -> Console:
    """The console for data: colour only on a terminal, and never when NO_COLOR is set; a table
    goes out a chunk of rows at a time. Written to a file or a pipe (``-o FILE``, ``> FILE``,
    ``| less``), a table is ``FILE_WIDTH`` wide unless ``COLUMNS`` says otherwise."""
    import os

    console_class = _data_console_class()
    if file is None:
        console = console_class(highlight=False, soft_wrap=False)
        if not console.is_terminal and "COLUMNS" not in os.environ:
            console.width = FILE_WIDTH
        return console
    return console_class(file=file, highlight=False, color_system=None, force_terminal=False, width=FILE_WIDTH)


FILE_WIDTH = 160


@cache
def _data_console_class() -> type[Console]:
    from rich.console import Console
    from rich.segment import Segments

    class DataConsole(Console):
        def print(self, *objects: Any, **options: Any) -> None:
            if len(objects) == 1 and isinstance(objects[0], FittedTable | FittedTree) and not options:
                for chunk in objects[0].chunks(self):
                    super().print(Segments(chunk), end="", crop=False)
                return
            super().print(*objects, **options)

    return DataConsole


def stderr_console() -> Console:
    """The console for warnings and errors: one for the whole run (while it writes to the same
    stream), so that what is printed during a progress bar goes above the bar, never into it."""
    import sys

    from rich.console import Console

    stream = getattr(sys.stderr, "rich_proxied_file", sys.stderr)  # a live progress bar proxies stderr
    if _stderr.get("stream") is not stream:
        _stderr.update(stream=stream, console=Console(stderr=True, highlight=False))
    return _stderr["console"]


_stderr: dict[str, Any] = {}
