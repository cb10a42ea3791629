"""Inputs: a file or stream in, its Threads out, through the reader ``registry`` picks.

Every input is read here first (``load_threads``), so that missing files, folders, empty or
binary input, inputs over the size limit and bad encodings fail the same way for every format;
and every Thread a reader makes leaves through ``records.conform``, which puts its comments in
the schema's shape, whichever reader made them.
"""

from __future__ import annotations

import codecs
import mmap
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from commentscope.errors import InputError
from commentscope.readers import registry
from commentscope.readers.paths import STDIN, display_name

# Pages this large are mapped rather than read (and checked in two halves at once); smaller ones
# cost less to read than to map.
_MAPPED_FROM = 1 << 20
# Matches where a page has something besides white space (any Unicode white space in UTF-8: a page of
# no-break spaces is as empty as one of spaces), NUL bytes and byte-order marks; it copies nothing.
_CONTENT = re.compile(
    rb"(?:\xef\xbb\xbf|[ \t\r\n\x0b\x0c\x1c-\x1f\x00]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    rb"|\xe2\x81\x9f|\xe3\x80\x80)*+(?!\Z)"
)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Reads from a pipe or a device come in pieces of this size, so a limit is noticed as it is passed.
_PIECE = 1 << 20
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # a zstd frame's magic number
_BOM = b"\xef\xbb\xbf"
#: A page's text is looked at in parts of about this many bytes (whole lines), so it is never all copied.
_TEXT_PART = 8 << 20

if TYPE_CHECKING:
    from commentscope.model import Thread

Source = str | os.PathLike[str] | IO[str] | IO[bytes]


def source_name(source: Source) -> str:
    """How messages and the data name an input: its path (a byte that is not UTF-8 shown as
    ``\\xff``, so that JSON and Arrow get valid text), or <stdin> / the stream's name."""
    if isinstance(source, str | os.PathLike):
        return "<stdin>" if str(source) == STDIN else display_name(os.fspath(source))
    return display_name(str(getattr(source, "name", "<stream>")))


def default_max_input_size() -> int:
    """A quarter of the machine's memory: the most one input may hold (``--max-input-size``)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4
    except (ValueError, OSError, AttributeError):
        return 4 << 30


def read_source(source: Source, encoding: str = "utf-8") -> str:
    """The whole text of a source; InputError for anything that is not readable text."""
    return bytes(read_utf8(source, encoding)).decode()


@dataclass(frozen=True)
class Replaced:
    """What was replaced by U+FFFD to make an input valid UTF-8."""

    bytes: int = 0  # bytes that could not be decoded (--encoding-errors replace)
    surrogates: int = 0  # lone surrogates: not characters, from a codec or a text stream


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
) -> tuple[bytes | mmap.mmap, Replaced]:
    """The input as valid UTF-8, and what was replaced by U+FFFD to make it so: bytes that could not
    be decoded (``errors="replace"``), and lone surrogates (from a codec or a text stream)."""
    replaced = Replaced()
    if isinstance(raw, str):
        raw, surrogates = _without_surrogates(raw)
        replaced = Replaced(surrogates=surrogates)
    elif encoding.replace("-", "").replace("_", "").lower() != "utf8" or not _valid_utf8(raw):
        text, replaced_bytes = _decode(bytes(raw), encoding, name, errors)
        raw, replaced_surrogates = _without_surrogates(text)
        replaced = Replaced(bytes=replaced_bytes, surrogates=replaced_surrogates)
    _refuse_empty(raw, name)
    return raw, replaced


def _without_surrogates(text: str) -> tuple[bytes, int]:
    text, replaced = _LONE_SURROGATE.subn("\ufffd", text)
    return text.encode("utf-8"), replaced


def _refuse_empty(raw: bytes | mmap.mmap, name: str) -> None:
    if not _CONTENT.match(raw):
        if raw.find(b"\x00") >= 0:
            raise InputError("is binary (NUL bytes), not text", source=name)
        raise InputError("is empty", source=name)


def _valid_utf8(raw: bytes | mmap.mmap) -> bool:
    """Checked by Arrow in place, the two halves (cut after a newline) at once."""
    import numpy as np
    import pyarrow as pa

    from commentscope.parallel import in_parallel

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


def _read_bytes(source: Source, name: str, limit: int | None = None) -> bytes | mmap.mmap | str:
    """The input's bytes (or a text stream's text); InputError past ``limit`` bytes, noticed as
    it is passed, so ``/dev/zero`` or an endless pipe is refused instead of filling memory."""
    if isinstance(source, str | os.PathLike):
        if str(source) == STDIN:
            return _bounded(sys.stdin.buffer, name, limit)
        if not os.fspath(source):
            raise InputError("an empty path names no file", source="''")
        path = Path(source)
        try:
            with path.open("rb") as file:
                status = os.fstat(file.fileno())
                if not stat.S_ISREG(status.st_mode):  # a FIFO, a device, <(process substitution)
                    return _bounded(file, name, limit)
                if limit is not None and status.st_size > limit:
                    raise _too_large(name, limit)
                if status.st_size < _MAPPED_FROM:
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
    return _bounded(source, name, limit)


def _bounded(stream: IO[bytes] | IO[str], name: str, limit: int | None) -> bytes | str:
    if limit is None:
        return stream.read()
    pieces = []
    size = 0
    while piece := stream.read(_PIECE):
        size += len(piece)
        if size > limit:
            raise _too_large(name, limit)
        pieces.append(piece)
    return pieces[0][:0].join(pieces) if pieces else b""


def _too_large(name: str, limit: int) -> InputError:
    return InputError(
        f"is larger than {limit:,} bytes, the input size limit (raise it with --max-input-size)", source=name
    )


def load_threads(
    source: Source,
    *,
    name: str | None = None,
    reader: str | None = None,
    max_input_size: int | None = None,
    **reading: Any,
) -> list[Thread]:
    """Every Thread in one input, read by the ``reader`` named (see ``registry``) or the one its
    content, then its file name, calls for. ``reading`` is what every reader is told
    (``registry.ReadOptions``: encoding, lenient, column_map, day_first, encoding_errors).

    Unreadable comment dates raise ParseError unless ``lenient`` (then they are NaT and
    listed in ``thread.problems``), so that no figure silently rests on a bad date. An input
    over ``max_input_size`` bytes is refused. ``encoding_errors="replace"`` reads bytes that
    cannot be decoded as U+FFFD, and says how many.
    """
    return _read(source, name, reader, max_input_size, registry.ReadOptions(**reading), with_text=False)[0]


def load_with_text(
    source: Source,
    *,
    name: str | None = None,
    reader: str | None = None,
    max_input_size: int | None = None,
    **reading: Any,
) -> tuple[list[Thread], PageText | None]:
    """The Threads and the text they were read from, for checks that must see the raw input (None
    for a compressed input, whose bytes are no text to check)."""
    return _read(source, name, reader, max_input_size, registry.ReadOptions(**reading), with_text=True)


class PageText:
    """An input's text for the checks that look at it raw (``analysis.check``), kept as UTF-8 bytes
    and read a part at a time, so that a large page costs no copy of its text: a mapped file stays
    mapped, and the pages of each part are handed back once it has been looked at. Lines are
    numbered as the text parser numbers them: a leading byte-order mark dropped, CRLF and a lone
    CR ending a line as a newline does."""

    def __init__(self, data: bytes | mmap.mmap, part: int = _TEXT_PART) -> None:
        self._data = data
        self._part = part

    @classmethod
    def of(cls, text: str) -> PageText:
        """The text of a string (lone surrogates kept as they are)."""
        return cls(text.encode("utf-8", "surrogatepass"))

    def parts(self) -> Iterator[tuple[int, bytes]]:
        """Each part as (lines before it, its bytes): whole lines, each ending in a newline but the
        text's last, with every line ending spelled as a newline."""
        data, size = self._data, self._part
        start = len(_BOM) if data[: len(_BOM)] == _BOM else 0
        lines = released = 0
        while start < len(data):
            end = _part_end(data, start, size)
            part = data[start:end]
            if part.find(b"\r") >= 0:  # a part never ends between CR and LF, so each can be rewritten alone
                part = part.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            yield lines, part
            lines += part.count(b"\n")
            if isinstance(data, mmap.mmap) and hasattr(data, "madvise") and end - released >= mmap.PAGESIZE:
                done = end - end % mmap.PAGESIZE
                data.madvise(mmap.MADV_DONTNEED, released, done - released)
                released = done
            start = end

    def lines(self, numbers: Iterable[int]) -> dict[int, str]:
        """The lines at these numbers (from 1), without their line ending; numbers past the end
        are left out, and so is the empty line after a final newline."""
        import numpy as np

        wanted = sorted({number for number in numbers if number >= 1})
        found: dict[int, str] = {}
        next_wanted = 0
        for before, part in self.parts():
            if next_wanted == len(wanted):
                break
            ends = np.flatnonzero(np.frombuffer(part, dtype=np.uint8) == 10)
            last = before + len(ends) + (0 if part.endswith(b"\n") else 1)  # number of the part's last line
            while next_wanted < len(wanted) and wanted[next_wanted] <= last:
                index = wanted[next_wanted] - before - 1
                begin = int(ends[index - 1]) + 1 if index else 0
                finish = int(ends[index]) if index < len(ends) else len(part)
                found[wanted[next_wanted]] = part[begin:finish].decode("utf-8", "surrogatepass")
                next_wanted += 1
        return found


def _part_end(data: bytes | mmap.mmap, start: int, size: int) -> int:
    """Where a part that begins at ``start`` ends: after the last line ending within ``size`` bytes
    (a CR only where no LF may follow it), else after the first one past them, else at the end."""
    if len(data) - start <= size:
        return len(data)
    newline = data.rfind(b"\n", start, start + size)
    if newline < 0:
        newline = data.rfind(b"\r", start, start + size - 1)
    if newline < 0:
        newline = data.find(b"\n", start + size - 1)
    return newline + 1 if newline >= 0 else len(data)


def _read(
    source: Source,
    name: str | None,
    reader: str | None,
    max_input_size: int | None,
    options: registry.ReadOptions,
    *,
    with_text: bool,
) -> tuple[list[Thread], PageText | None]:
    name = name or source_name(source)
    chosen, page, replaced = _prepared(_read_bytes(source, name, max_input_size), options, name, reader)
    text = None
    if with_text:
        data = page.take()
        if data[: len(ZSTD_MAGIC)] != ZSTD_MAGIC:
            # Valid UTF-8 already, the reader's own bytes serve as they are (a mapped file stays
            # mapped); a raw-bytes reader decodes its input its own way, so its text is a copy.
            text = PageText.of(chosen.source_text(bytes(data), options)) if chosen.raw_bytes else PageText(data)
        page = registry.OwnedBytes(data)
    from commentscope.readers.records import conform

    threads = [conform(thread) for thread in chosen.read(page, name, options)]
    return _with_replaced(threads, replaced), text


def _with_replaced(threads: list[Thread], replaced: Replaced) -> list[Thread]:
    """Say on each Thread what of its input was replaced to make it text: a finding, never silent."""
    from commentscope.model import Problem

    found = []
    if replaced.bytes:
        message = f"{replaced.bytes} bytes that are not valid text were replaced by U+FFFD (--encoding-errors replace)"
        found.append(Problem("bytes_replaced", message))
    if replaced.surrogates:
        message = f"{replaced.surrogates} lone surrogate(s) in the text (not characters) replaced by U+FFFD"
        found.append(Problem("replaced_characters", message))
    for thread in threads:
        thread.problems[:0] = found
    return threads


def _prepared(
    raw: bytes | mmap.mmap | str, options: registry.ReadOptions, name: str, reader: str | None
) -> tuple[registry.Reader, registry.OwnedBytes, Replaced]:
    """The reader for an input, the input as that reader takes it (with no other reference kept),
    and what was replaced to make it valid UTF-8."""
    chosen = registry.reader_named(reader) if reader else registry.detect(_head(raw), name)
    if chosen.raw_bytes and not isinstance(raw, str):
        _refuse_empty(raw, name)
        return chosen, registry.OwnedBytes(raw), Replaced()
    data, replaced = _as_utf8(raw, options.encoding, name, options.encoding_errors)
    return chosen, registry.OwnedBytes(data), replaced


def _head(raw: bytes | mmap.mmap | str) -> bytes:
    head = raw[: registry.SNIFF_BYTES]
    return head.encode("utf-8", "surrogatepass") if isinstance(head, str) else bytes(head)


def load(source: Source, *, encoding: str = "utf-8", lenient: bool = False, name: str | None = None) -> Thread:
    """Parse one page into a Thread (the first, for an input that holds several)."""
    return load_threads(source, encoding=encoding, lenient=lenient, name=name)[0]
