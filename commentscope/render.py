"""The one place where rows become table, JSON, JSON Lines or CSV.

Every command hands its result here: a DataFrame, a list of dicts or one dict, and
optionally a rich renderable for the table form (a tree, a grouped summary). JSON and
CSV carry data only; anything meant for a terminal is made safe first.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich is imported where a table, a tree or a console is made: JSON, CSV and pipes never load it
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

# What must not reach a terminal as it is: C0 and C1 control characters except newline and tab (ESC
# starts ANSI and OSC sequences), bidi controls that reorder what is shown (U+202E), invisible
# zero-width characters, and lone surrogates (an undecodable byte of a file name, or bad text).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ISO_TIME = re.compile(r"(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d)(?::00)?)?$")


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def terminal_safe(value: str) -> str:
    """Show control, bidi and zero-width characters as visible escapes, so text can neither drive
    the terminal nor hide or reorder what is shown; an undecodable byte of a name shows as its
    hex (``\\xff``)."""
    return _UNSAFE.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def literal(value: object, style: str = "") -> Text:
    """The one way a string reaches a rich renderable: literal text (never console markup, so
    ``[link=…]`` in a title stays those characters), with ``terminal_safe`` escapes."""
    from rich.text import Text

    return Text(terminal_safe(str(value)), style=style)


def spreadsheet_safe(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with a quote; numbers stay as they are.

    Reversible (``spreadsheet_unsafe``): text that already starts with quotes before a formula
    character gets one more, so ``=x`` becomes ``'=x`` and ``'=x`` becomes ``''=x``."""
    if isinstance(value, str) and value.lstrip("'").startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_unsafe(value: str) -> str:
    """The cell as it was before ``spreadsheet_safe``: one leading quote off where it added one."""
    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START):
        return value[1:]
    return value


def plain(value: Any) -> Any:
    """A JSON-ready Python value: timestamps as ISO 8601, every kind of missing (None, NaN, NaT, NA) as None."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if _is_missing(value):
        return None
    if isinstance(value, dt.datetime | dt.date) or hasattr(value, "isoformat"):  # and pandas.Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)


def _is_missing(value: Any) -> bool:
    """pandas' missing markers; pandas is loaded whenever such a value exists, so importing it costs nothing."""
    if "pandas" not in sys.modules:
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def records(data: Any) -> list[dict[str, Any]]:
    """Rows of plain values from a DataFrame, a list of mappings or one mapping."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):
        data = data.to_dict("records")
    elif isinstance(data, Mapping):
        data = [data]
    return [{key: _plain_tree(value) for key, value in row.items()} for row in data]


def _plain_tree(value: Any) -> Any:
    """Plain values all the way down, iteratively: reply trees can be thousands of levels deep."""
    if not isinstance(value, list | dict):
        return plain(value)
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(root, 0, value)]
    while stack:
        holder, key, item = stack.pop()
        if isinstance(item, dict):
            copy: Any = dict.fromkeys(item)
            stack.extend((copy, k, v) for k, v in item.items())
        elif isinstance(item, list):
            copy = [None] * len(item)
            stack.extend((copy, i, v) for i, v in enumerate(item))
        else:
            copy = plain(item)
        holder[key] = copy
    return root[0]


def json_text(value: Any) -> str:
    """Compact JSON of plain values, without recursion (see ``_plain_tree``)."""
    parts: list[str] = []
    stack: list[tuple[bool, Any]] = [(False, value)]  # (already JSON text, item)
    while stack:
        is_text, item = stack.pop()
        if is_text:
            parts.append(item)
        elif isinstance(item, dict) and _holds_containers(item.values()):
            parts.append("{")
            stack.append((True, "}"))
            entries = list(item.items())
            for index in range(len(entries) - 1, -1, -1):
                key, child = entries[index]
                stack.append((False, child))
                stack.append((True, (", " if index else "") + json.dumps(key, ensure_ascii=False) + ": "))
        elif isinstance(item, list) and _holds_containers(item):
            parts.append("[")
            stack.append((True, "]"))
            for index in range(len(item) - 1, -1, -1):
                stack.append((False, item[index]))
                if index:
                    stack.append((True, ", "))
        else:
            parts.append(json.dumps(item, ensure_ascii=False))
    return "".join(parts)


def _holds_containers(values: Iterable[Any]) -> bool:
    return any(isinstance(value, dict | list) for value in values)


def write_data(data: Any, fmt: OutputFormat, stream: IO[str], *, raw_csv: bool = False) -> None:
    """JSON, JSON Lines or CSV of ``data`` to ``stream``: one mapping is one JSON object, anything else an array."""
    rows = records(data)
    if fmt is OutputFormat.json:
        stream.write(json_text(rows[0] if isinstance(data, Mapping) else rows) + "\n")
    elif fmt is OutputFormat.jsonl:
        for row in rows:
            stream.write(json_text(row) + "\n")
    else:
        for line in _csv_lines(rows, _columns(data, rows), raw_csv):
            stream.write(line)


def _columns(data: Any, rows: list[dict[str, Any]]) -> list[str]:
    """The column names: a frame's own (so an empty one still has a header), else the first row's."""
    if hasattr(data, "columns"):
        return [str(column) for column in data.columns]
    return list(rows[0]) if rows else []


def _csv_lines(rows: list[dict[str, Any]], columns: list[str], raw_csv: bool) -> Iterator[str]:
    if not columns:
        return

    class _Line:
        value = ""

        def write(self, text: str) -> None:
            self.value = text

    line = _Line()
    # Rows end in "\r\n" for the writer, so that it quotes a cell holding either character (with
    # "\n" alone, a carriage return in a path went out unquoted and broke the row); they go out
    # ending in "\n".
    writer = csv.writer(line, lineterminator="\r\n")
    writer.writerow(columns)
    yield line.value[:-2] + "\n"
    for row in rows:
        cells = [row.get(column) for column in columns]
        cells = [json_text(c) if isinstance(c, list | dict) else c for c in cells]
        writer.writerow(cells if raw_csv else [spreadsheet_safe(c) for c in cells])
        yield line.value[:-2] + "\n"


def table_of(
    rows: list[dict[str, Any]],
    title: str | None = None,
    columns: list[str] | None = None,
    *,
    nulls: Mapping[str, str] | None = None,
    bar: str | None = None,
    caption: str | None = None,
) -> RenderableType:
    """A rich table of rows (and a caption line under it); every cell is literal text, never markup.

    ``nulls`` says what a missing value means per column (e.g. author -> anonymous);
    ``bar`` draws a bar for each row, scaled to that numeric column's largest value.
    """
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_heading(title) if title else None, title_justify="left")
    columns = columns or (list(rows[0]) if rows else [])
    nulls = nulls or {}
    for column in columns:
        values = [row.get(column) for row in rows]
        numeric = all(v is None or isinstance(v, int | float) for v in values)
        widest = max((len(cell_text(v).plain) for v in values), default=0)
        # Cells keep their width (up to 16); headers break at underscores instead.
        table.add_column(
            literal(column.replace("_", "\n")),
            overflow="fold",
            min_width=min(max(widest, 4), 16),
            justify="right" if numeric else "left",
        )
    if bar:
        table.add_column("", no_wrap=True)
        largest = max((row[bar] or 0 for row in rows), default=0) or 1
    for row in rows:
        cells = [cell_text(row.get(column), null=nulls.get(column, "")) for column in columns]
        if bar:
            cells.append(Text("█" * round(_BAR_WIDTH * (row[bar] or 0) / largest), style="cyan"))
        table.add_row(*cells)
    return Group(table, literal(caption)) if caption else table


_BAR_WIDTH = 24


def grouped_table(rows: list[dict[str, Any]], groups: Mapping[str, list[str]], names: list[str]) -> Table:
    """Fields down the side in titled groups, one column per record (e.g. one per page)."""
    from rich.table import Table

    table = Table(show_header=len(rows) > 1, box=None, padding=(0, 2, 0, 0))
    table.add_column("")
    for name in names:
        table.add_column(literal(name), overflow="fold")
    for group, fields in groups.items():
        table.add_row(literal(group, style="bold"), *([""] * len(rows)))
        for field_name in fields:
            table.add_row(literal("  " + field_name), *(cell_text(row.get(field_name)) for row in rows))
    return table


def tree_view(roots: list[dict[str, Any]], title: str | None = None) -> Tree:
    """A rich tree of nested reply nodes, built without recursion."""
    from rich.tree import Tree

    tree = Tree(_heading(title or "comments", style="bold"))
    pages: dict[str, Tree] = {}
    for node in roots:  # a corpus: one branch per page, in page order
        if "source" in node and node["source"] not in pages:
            pages[node["source"]] = tree.add(literal(node["source"], style="bold underline"))
    stack = [(pages.get(node.get("source"), tree), node) for node in reversed(roots)]
    while stack:
        parent, node = stack.pop()
        branch = parent.add(_node_label(node))
        stack.extend((branch, child) for child in reversed(node["replies"]))
    return tree


def _node_label(node: Mapping[str, Any]) -> Text:
    from rich.text import Text

    label = Text()
    label.append_text(literal(f"{node['id']} ", style="dim"))
    author = cell_text(node["author"], null="anonymous")
    author.stylize("bold")
    label.append_text(author)
    when = cell_text(plain(node["timestamp"])).plain
    replies = node["replies_count"]
    label.append(f"  {when}  {node['words']} words  {replies} repl{'y' if replies == 1 else 'ies'}  ", style="dim")
    label.append(cell_text(node["text"], width=60).plain)
    return label


#: A page's title heads its table or tree on one or two lines at most, however long the page made it.
TITLE_WIDTH = 160


def _heading(title: str, style: str = "") -> Text:
    text = " ".join(title.split())
    return literal(text if len(text) <= TITLE_WIDTH else text[: TITLE_WIDTH - 1] + "…", style=style)


def cell_text(value: Any, width: int = 64, null: str = "") -> Text:
    """One table cell: literal, on one line, long text cut to a preview; ``null`` stands for a missing value."""
    from rich.text import Text

    if value is None:
        return literal(null, style="dim")
    if isinstance(value, float):
        return Text(f"{value:g}")
    text = _ISO_TIME.sub(lambda m: " ".join(filter(None, m.groups())), " ".join(str(value).split()))
    if len(text) > width:
        text = text[: width - 1] + "…"
    return literal(text)


def stdout_console(file: IO[str] | None = None) -> Console:
    """The console for data: colour only on a terminal, and never when NO_COLOR is set."""
    from rich.console import Console

    if file is None:
        return Console(highlight=False, soft_wrap=False)
    return Console(file=file, highlight=False, color_system=None, force_terminal=False, width=160)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def render(
    data: Any,
    fmt: OutputFormat,
    output: Path | None = None,
    *,
    table: RenderableType | None = None,
    title: str | None = None,
    columns: list[str] | None = None,
    nulls: Mapping[str, str] | None = None,
    bar: str | None = None,
    caption: str | None = None,
    raw_csv: bool = False,
) -> None:
    """Write a result to stdout or to ``output`` in the chosen format.

    ``data`` is what json/jsonl/csv carry; ``table``, when given, is what the table
    form shows instead of a plain table of the rows (see ``table_of`` for the rest).
    One mapping renders as one JSON object, anything else as an array.
    """
    with ExitStack() as stack:
        handle = stack.enter_context(open_output(output) if output is not None else standard_output())
        if fmt is OutputFormat.table:
            if table is None:
                rows = records(data)
                table = table_of(rows, title, columns or _columns(data, rows), nulls=nulls, bar=bar, caption=caption)
            stdout_console(None if output is None else handle).print(table)
        else:
            write_data(data, fmt, handle, raw_csv=raw_csv)
        handle.flush()


@contextmanager
def standard_output() -> Iterator[IO[str]]:
    """Standard output for data; a write error there (a full disk) is an OutputError naming it.

    A closed stdout (``>&-``) takes the data nowhere, as a shell's own commands do; a reader that
    went away raises BrokenPipeError, which the command turns into a quiet end."""
    from commentscope.errors import OutputError

    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    try:
        yield sys.stdout
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write ({error.strerror or error})", source="<stdout>") from None


@contextmanager
def open_output(path: Path) -> Iterator[IO[str]]:
    """Write a file whole or not at all: a temporary file beside it, renamed on success.

    Only a regular file (or a new one) is replaced that way, and a symbolic link is followed to
    its target first, so ``-o link.json`` writes where the link points. A FIFO, a device or
    ``/dev/stdout`` is written through in place: its reader gets the data.
    """
    from commentscope.errors import OutputError

    path = Path(path)
    try:
        in_place = not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # missing (or a dangling link): a new regular file
        in_place = False
    if in_place:
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                yield handle
        except OSError as error:
            raise OutputError(f"cannot write ({error.strerror or error})", source=str(path)) from None
        return
    target = Path(os.path.realpath(path))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temporary, target)
    except OSError as error:
        raise OutputError(f"cannot write ({error.strerror or error})", source=str(path)) from None
    finally:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)


def refuse_inputs(output: Path | None, inputs: Iterable[str]) -> None:
    """OutputError when the output is one of the inputs (by device and inode, so ``./page.txt``,
    an absolute path and a link to it are all caught): writing it would destroy the page."""
    from commentscope.errors import OutputError

    if output is None:
        return
    try:
        wanted = os.stat(output)
    except OSError:
        return
    if not stat.S_ISREG(wanted.st_mode):
        return
    for name in inputs:
        with suppress(OSError, ValueError):
            found = os.stat(name)
            if (found.st_dev, found.st_ino) == (wanted.st_dev, wanted.st_ino):
                raise OutputError(f"is one of the inputs ({name}); choose another output file", source=str(output))


def write_reports(
    reports: Mapping[str, Any],
    directory: Path,
    fmt: OutputFormat,
    *,
    force: bool = False,
    raw_csv: bool = False,
    inputs: Iterable[str] = (),
) -> list[Path]:
    """Write several reports into ``directory`` as ``NAME.csv`` or ``NAME.json``: all of them, or none.

    Without ``force``, each target is first created exclusively, so that of two exports racing into
    one folder only one can claim a name: the other is refused, never overwrites. Each report goes
    to a temporary file, renamed into place only once every one has been written.
    """
    from commentscope.errors import OutputError

    extension = "json" if fmt is OutputFormat.json else fmt.value
    directory = Path(directory)
    targets = {name: directory / f"{name}.{extension}" for name in reports}
    for target in targets.values():
        refuse_inputs(target, inputs)
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing and not force:
        raise OutputError(f"would overwrite {', '.join(existing)} (use --force)", source=str(directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the folder ({error.strerror})", source=str(directory)) from None
    claimed = [] if force else _claim(list(targets.values()), directory)
    try:
        with ExitStack() as files:
            for name, data in reports.items():
                write_data(data, fmt, files.enter_context(open_output(targets[name])), raw_csv=raw_csv)
    except BaseException:
        _unlink(claimed)
        raise
    return list(targets.values())


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        with suppress(OSError):
            path.unlink()


def _claim(targets: list[Path], directory: Path) -> list[Path]:
    """Create every target, empty and exclusively, or none (OutputError: another run got there first)."""
    from commentscope.errors import OutputError

    claimed: list[Path] = []
    for target in targets:
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except OSError as error:
            _unlink(claimed)
            reason = "would overwrite" if isinstance(error, FileExistsError) else f"cannot write ({error.strerror})"
            raise OutputError(f"{reason} {target} (use --force)", source=str(directory)) from None
        claimed.append(target)
    return claimed


@contextmanager
def progress(total: int, label: str, *, quiet: bool = False) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr, shown only on a terminal, only when not quiet, and only once a
    run has taken a second; yields the function to call after each item."""
    if quiet or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = stderr_console()
    bar = Progress(
        TextColumn(terminal_safe(label), markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task(label, total=total)
    started = time.monotonic()

    def advance() -> None:
        bar.advance(task)
        if not bar.live.is_started and time.monotonic() - started > PROGRESS_DELAY_SECONDS:
            bar.start()

    try:
        yield advance
    finally:
        bar.stop()


PROGRESS_DELAY_SECONDS = 1.0
