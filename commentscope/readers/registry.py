"""Every input format commentscope reads, in one list: a name, the file names it claims, a cheap
sniff of the first bytes, and a read that yields one or more Threads (an export file can hold
many).

A reader is a module with two functions, ``sniff(head: bytes) -> bool`` and
``read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]``. It is imported only
when it is first used, so that naming the formats costs nothing at start-up. Adding a format
is one module and one line in ``READERS``.
"""

from __future__ import annotations

import fnmatch
import importlib
import mmap
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

from commentscope.errors import InputError

if TYPE_CHECKING:
    from commentscope.model import Thread

#: How much of an input the sniffs see.
SNIFF_BYTES = 8192

Page = bytes | mmap.mmap


class OwnedBytes:
    """An input's bytes handed over to a reader with no other reference kept: the reader can let
    them go (``take()``) as soon as it is done with them, so a large input is not held through
    the rest of the work."""

    def __init__(self, data: Page) -> None:
        self._data: Page = data

    def take(self) -> Page:
        data, self._data = self._data, b""
        return data


@dataclass(frozen=True, kw_only=True)
class ReadOptions:
    """What a user may tell every reader."""

    encoding: str = "utf-8"
    lenient: bool = False  # unreadable dates become NaT and a problem, instead of an error
    column_map: tuple[tuple[str, str], ...] = ()  # --map FIELD=COLUMN pairs for CSV / JSON Lines
    day_first: bool | None = None  # numeric dates whose fields could be either way: None guesses month first
    encoding_errors: str = "strict"  # "replace": bytes that cannot be decoded become U+FFFD, with a warning
    now: datetime | None = None  # when the page was saved: relative dates ("3 days ago") count back from it
    #: False when nothing will read the comments' texts (their words are counted all the same): a
    #: reader may then leave them empty rather than keep them, as a big file's readers do
    texts: bool = True
    #: processes one big input's work may be shared among (``--jobs``); None: every core
    processes: int | None = None


@dataclass(frozen=True)
class Reader:
    """One input format. ``raw_bytes`` readers get the input as it is (HTML finds its own
    encoding); the others get it checked as UTF-8, or decoded from ``--encoding``."""

    name: str
    module: str
    patterns: tuple[str, ...]
    summary: str
    raw_bytes: bool = False

    def _module(self) -> ModuleType:
        return importlib.import_module(self.module)

    def sniff(self, head: bytes) -> bool:
        return bool(self._module().sniff(head))

    def read(self, page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
        return list(self._module().read(page, source, options))

    def source_text(self, data: bytes, options: ReadOptions) -> str:
        """The input as text, as this reader decodes it, for checks that look at the raw input
        (a raw-bytes reader may find another encoding than UTF-8)."""
        decode = getattr(self._module(), "source_text", None) if self.raw_bytes else None
        return decode(data, options) if decode else data.decode("utf-8", "replace")

    def claims(self, name: str) -> bool:
        base = name.rsplit("/", 1)[-1].lower()
        return any(fnmatch.fnmatchcase(base, pattern) for pattern in self.patterns)


#: In sniffing order. The text page comes last: it reads whatever no other reader claims.
READERS: list[Reader] = [
    Reader("convokit", "commentscope.readers.convokit", ("utterances.jsonl",), "a ConvoKit corpus (utterances.jsonl)"),
    Reader("pushshift", "commentscope.readers.pushshift", ("*.zst",), "a reddit dump (Pushshift)", raw_bytes=True),
    Reader("hackernews", "commentscope.readers.hackernews", (), "Hacker News items (Algolia or Firebase)"),
    Reader("youtube", "commentscope.readers.youtube", (), "YouTube comments (Data API or downloader)"),
    Reader("reddit", "commentscope.readers.reddit", ("*.json",), "a reddit thread (comments/ID.json)"),
    Reader("disqus", "commentscope.readers.disqus", ("*.xml",), "a Disqus XML export", raw_bytes=True),
    Reader("wxr", "commentscope.readers.wxr", ("*.xml",), "a WordPress export (WXR)", raw_bytes=True),
    Reader("table", "commentscope.readers.table", ("*.csv", "*.jsonl", "*.ndjson"), "CSV or JSON Lines of comments"),
    Reader("html", "commentscope.readers.html", ("*.html", "*.htm"), "a saved HTML page", raw_bytes=True),
    Reader("text", "commentscope.readers.textpage", ("*.txt",), "a page saved as plain text"),
]
FALLBACK = "text"


def reader_names() -> list[str]:
    return [reader.name for reader in READERS]


def reader_named(name: str) -> Reader:
    """The reader called ``name``; InputError naming the valid ones otherwise."""
    for reader in READERS:
        if reader.name == name.lower():
            return reader
    raise InputError(f"unknown input format {name!r} (choose from {', '.join(reader_names())})")


def detect(head: bytes, name: str) -> Reader:
    """The reader for an input: by its content first, then by its file name, else the text page."""
    for reader in READERS:
        if reader.name != FALLBACK and reader.sniff(head):
            return reader
    for reader in READERS:
        if reader.name != FALLBACK and reader.claims(name):
            return reader
    return reader_named(FALLBACK)


def patterns() -> list[str]:
    """Every file pattern some reader claims: what a folder is searched for by default."""
    return [pattern for reader in READERS for pattern in reader.patterns]
