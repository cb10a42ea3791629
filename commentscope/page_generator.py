"""Render a Thread back to the text page format.

The round trip (write, then parse) is how the parser is tested on trees no one would
write by hand, and how benchmarks make pages of any size.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from commentscope.model import Article

DATE_FORMAT = "%B %d, %Y at %H:%M"
FOOTER = "Comments are closed."


def write_page(article: Article, comments: pd.DataFrame, *, step: int = 2, header: bool = True) -> str:
    """The page text: article, 'N comments for “Title' header, comments nested by indentation, footer."""
    return "".join(_page_lines(article, comments, step, header))


def _page_lines(article: Article, comments: pd.DataFrame, step: int, header: bool) -> Iterator[str]:
    for part in (article.title, article.standfirst, f"By {article.byline}" if article.byline else None, article.body):
        if part:
            yield part + "\n\n"
    if header:
        yield f"{len(comments)} comments for “{article.title or ''}\n\n"
    columns = zip(
        comments["depth"],
        comments["number"],
        comments["author"],
        comments["timestamp"],
        comments["text"],
        strict=True,
    )
    for depth, number, author, timestamp, text in columns:
        yield from comment_lines(depth, number, author, timestamp, text, step)
    yield FOOTER + "\n"


def comment_lines(
    depth: int, number: int | None, author: str | None, timestamp: pd.Timestamp, text: str, step: int = 2
) -> Iterator[str]:
    """One comment: marker at ``step * (depth + 1)`` columns, author and date and body one step further in."""
    pad = " " * (step * (depth + 1))
    body_pad = pad + " " * step
    marker = f"{int(number)}." if depth == 0 and not pd.isna(number) else "•"
    date = timestamp.strftime(DATE_FORMAT)
    if pd.isna(author):
        yield f"{pad}{marker} {date}\n\n"
    else:
        yield f"{pad}{marker} {author}\n{body_pad}{date}\n\n"
    for line in text.split("\n"):
        yield f"{body_pad}{line}\n" if line else "\n"
    yield "\n"
