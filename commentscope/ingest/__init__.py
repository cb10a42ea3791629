"""Readers: a file or stream in, a Thread out.

Only the text page format exists so far; every reader shares ``read_source`` so that
missing files, folders, empty input and bad encodings fail the same way everywhere.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from commentscope.errors import InputError
from commentscope.ingest.paths import STDIN

# Any character that is not blank; searching for one, unlike str.strip, does not copy a large page.
_CONTENT = re.compile(r"[^\ufeff \t\r\n\x00]")

if TYPE_CHECKING:
    from commentscope.model import Thread

Source = str | os.PathLike[str] | IO[str] | IO[bytes]


def source_name(source: Source) -> str:
    """How messages name an input: its path, or <stdin> / the stream's name."""
    if isinstance(source, str | os.PathLike):
        return "<stdin>" if str(source) == STDIN else str(source)
    return str(getattr(source, "name", "<stream>"))


def read_source(source: Source, encoding: str = "utf-8") -> str:
    """The whole text of a source; InputError for anything that is not readable text."""
    name = source_name(source)
    raw = _read_bytes(source, name)
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise InputError(
                f"not {encoding} text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
                "re-save the page as UTF-8 or pass --encoding (e.g. cp1252)",
                source=name,
            ) from None
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source=name) from None
    if not _CONTENT.search(text):
        raise InputError("is empty", source=name)
    return text


def _read_bytes(source: Source, name: str) -> bytes | str:
    if isinstance(source, str | os.PathLike):
        if str(source) == STDIN:
            return sys.stdin.buffer.read()
        path = Path(source)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", source=name) from None
        except IsADirectoryError:
            raise InputError("is a directory, not a page", source=name) from None
        except PermissionError:
            raise InputError("permission denied", source=name) from None
        except OSError as error:
            raise InputError(f"cannot be read ({error.strerror})", source=name) from None
    return source.read()


def load(source: Source, *, encoding: str = "utf-8", lenient: bool = False, name: str | None = None) -> Thread:
    """Parse one page into a Thread.

    Unreadable comment dates raise ParseError unless ``lenient`` (then they are NaT and
    listed in ``thread.problems``), so that no figure silently rests on a bad date.
    """
    return load_with_text(source, encoding=encoding, lenient=lenient, name=name)[0]


def load_with_text(
    source: Source, *, encoding: str = "utf-8", lenient: bool = False, name: str | None = None
) -> tuple[Thread, str]:
    """The Thread and the text it was parsed from, for checks that must see the raw page."""
    from commentscope.ingest.textpage import parse_page

    text = read_source(source, encoding)
    return parse_page(text, name or source_name(source), lenient=lenient), text
