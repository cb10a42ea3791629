"""Tables and trees for the terminal, made with rich; every cell is literal text, never markup."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from commentscope.writers.escaping import literal, plain

if TYPE_CHECKING:  # rich is imported where a table, a tree or a console is made: JSON, CSV and pipes never load it
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree


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
_ISO_TIME = re.compile(r"(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d)(?::00)?)?$")
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
