"""Readers: a file or stream in, a Thread out.

Only the text page format exists so far; every reader shares ``read_utf8`` (``read_source``
for the decoded text) so that missing files, folders, empty input and bad encodings fail the
same way everywhere.
"""

from __future__ import annotations

import codecs
import mmap
import os
import re
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from commentscope.errors import InputError
from commentscope.ingest import registry
from commentscope.ingest.paths import STDIN

# Pages this large are mapped rather than read (and checked in two halves at once); smaller ones
# cost less to read than to map.
_MAPPED_FROM = 1 << 20
# Matches where a page has something besides blanks and byte-order marks; unlike bytes.strip, it copies nothing.
_CONTENT = re.compile(rb"(?:\xef\xbb\xbf|[ \t\r\n\x00])*+(?!\Z)")

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
    return bytes(read_utf8(source, encoding)).decode()


def read_utf8(source: Source, encoding: str = "utf-8", errors: str = "strict") -> bytes | mmap.mmap:
    """The source as UTF-8 bytes, checked; InputError for anything that is not readable text.

    A large UTF-8 page is checked in place rather than decoded: its Python string would cost
    up to four bytes a character, where the parser needs only the bytes. A large file is
    mapped rather than read, so the parser can hand back the pages it is done with.
    """
    name = source_name(source)
    return _as_utf8(_read_bytes(source, name), encoding, name, errors)[0]


def _as_utf8(
    raw: bytes | mmap.mmap | str, encoding: str, name: str, errors: str = "strict"
) -> tuple[bytes | mmap.mmap, int]:
    """The input as UTF-8, and how many of its bytes were replaced (``errors="replace"``)."""
    replaced = 0
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    elif encoding.replace("-", "").replace("_", "").lower() != "utf8" or not _valid_utf8(raw):
        text, replaced = _decode(bytes(raw), encoding, name, errors)
        raw = text.encode("utf-8", "surrogatepass")
    _refuse_empty(raw, name)
    return raw, replaced


def _refuse_empty(raw: bytes | mmap.mmap, name: str) -> None:
    if not _CONTENT.match(raw):
        raise InputError("is empty", source=name)


def _valid_utf8(raw: bytes | mmap.mmap) -> bool:
    """Checked by Arrow in place, the two halves (cut after a newline) at once."""
    import numpy as np
    import pyarrow as pa

    from commentscope.ingest._parallel import in_parallel

    middle = len(raw)
    if len(raw) > _MAPPED_FROM:
        middle = raw.find(b"\n", len(raw) // 2) + 1 or len(raw)
    buffer = pa.py_buffer(raw)

    def valid(span: tuple[int, int]) -> bool:
        offsets = pa.py_buffer(np.array(span, dtype=np.int64))
        try:
            pa.LargeStringArray.from_buffers(1, offsets, buffer).validate(full=True)
        except pa.ArrowInvalid:
            return False
        return True

    return all(in_parallel(valid, [(0, middle), (middle, len(raw))]))


def _decode(raw: bytes, encoding: str, name: str, errors: str = "strict") -> tuple[str, int]:
    """The text, and how many bytes were replaced by U+FFFD (only with ``errors="replace"``)."""
    replaced = [0]

    def replace(error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        replaced[0] += error.end - error.start
        return "\ufffd", error.end

    try:
        if errors == "replace":
            codecs.register_error("commentscope.replace", replace)
            return raw.decode(encoding, "commentscope.replace"), replaced[0]
        return raw.decode(encoding), 0
    except UnicodeDecodeError as error:
        raise InputError(
            f"not {encoding} text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "re-save the page as UTF-8, pass --encoding (e.g. cp1252), or --encoding-errors replace",
            source=name,
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", source=name) from None


def _read_bytes(source: Source, name: str) -> bytes | mmap.mmap | str:
    if isinstance(source, str | os.PathLike):
        if str(source) == STDIN:
            return sys.stdin.buffer.read()
        path = Path(source)
        try:
            with path.open("rb") as file:
                if not path.is_file() or os.fstat(file.fileno()).st_size < _MAPPED_FROM:
                    return file.read()
                return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            raise InputError("no such file", source=name) from None
        except IsADirectoryError:
            raise InputError("is a directory, not a page", source=name) from None
        except PermissionError:
            raise InputError("permission denied", source=name) from None
        except OSError as error:
            raise InputError(f"cannot be read ({error.strerror})", source=name) from None
    return source.read()


def load_threads(
    source: Source,
    *,
    encoding: str = "utf-8",
    lenient: bool = False,
    name: str | None = None,
    reader: str | None = None,
    day_first: bool | None = None,
    encoding_errors: str = "strict",
) -> list[Thread]:
    """Every Thread in one input, read by the ``reader`` named (see ``registry``) or the one its
    content, then its file name, calls for.

    Unreadable comment dates raise ParseError unless ``lenient`` (then they are NaT and
    listed in ``thread.problems``), so that no figure silently rests on a bad date.
    ``encoding_errors="replace"`` reads bytes that cannot be decoded as U+FFFD, and says how many.
    """
    name = name or source_name(source)
    options = registry.ReadOptions(encoding, lenient, day_first, encoding_errors)
    chosen, page, replaced = _prepared(_read_bytes(source, name), options, name, reader)
    return _with_replaced(chosen.read(page, name, options), replaced)


def _with_replaced(threads: list[Thread], replaced: int) -> list[Thread]:
    if replaced:
        from commentscope.model import Problem

        message = f"{replaced} bytes that are not valid text were replaced by U+FFFD (--encoding-errors replace)"
        for thread in threads:
            thread.problems.insert(0, Problem("bytes_replaced", message))
    return threads


def _prepared(
    raw: bytes | mmap.mmap | str, options: registry.ReadOptions, name: str, reader: str | None
) -> tuple[registry.Reader, registry.OwnedBytes, int]:
    """The reader for an input, the input as that reader takes it (with no other reference kept), and
    how many of its bytes were replaced."""
    chosen = registry.reader_named(reader) if reader else registry.detect(_head(raw), name)
    if chosen.raw_bytes:
        raw = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        _refuse_empty(raw, name)
        return chosen, registry.OwnedBytes(raw), 0
    data, replaced = _as_utf8(raw, options.encoding, name, options.encoding_errors)
    return chosen, registry.OwnedBytes(data), replaced


def _head(raw: bytes | mmap.mmap | str) -> bytes:
    head = raw[: registry.SNIFF_BYTES]
    return head.encode("utf-8", "surrogatepass") if isinstance(head, str) else bytes(head)


def load(source: Source, *, encoding: str = "utf-8", lenient: bool = False, name: str | None = None) -> Thread:
    """Parse one page into a Thread (the first, for an input that holds several)."""
    return load_threads(source, encoding=encoding, lenient=lenient, name=name)[0]


def load_with_text(
    source: Source,
    *,
    encoding: str = "utf-8",
    lenient: bool = False,
    name: str | None = None,
    reader: str | None = None,
    day_first: bool | None = None,
    encoding_errors: str = "strict",
) -> tuple[list[Thread], str]:
    """The Threads and the text they were read from, for checks that must see the raw input."""
    name = name or source_name(source)
    options = registry.ReadOptions(encoding, lenient, day_first, encoding_errors)
    chosen, page, replaced = _prepared(_read_bytes(source, name), options, name, reader)
    data = bytes(page.take())
    text = data.decode("utf-8", "replace")  # a raw-bytes input may be in another encoding
    return _with_replaced(chosen.read(registry.OwnedBytes(data), name, options), replaced), text
