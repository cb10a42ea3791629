"""Which files a command reads: paths, folders (recursively) and globs. No pandas here, so the CLI
can name the defaults at start-up."""

from __future__ import annotations

import glob as globbing
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from commentscope.errors import InputError
from commentscope.readers.ids import spelled_id

STDIN = "-"
#: Inside folders, by default: every file name some reader claims (``registry.patterns``).
DEFAULT_GLOB: str | None = None
_GLOB_CHARS = frozenset("*?[")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Expansion:
    """The files to read, in order, and what was passed over inside folders, with the reason:
    never silently (an unreadable subfolder, a FIFO or device, a link to nothing).

    ``repeated`` holds (path, the path already read) for each file reached a second time, by
    another name, a link or through its folder: it is read once, and a user should be told.
    """

    files: list[str] = field(default_factory=list)
    passed_over: list[tuple[str, str]] = field(default_factory=list)
    repeated: list[tuple[str, str]] = field(default_factory=list)
    _seen: dict[tuple[int, int] | str, str] = field(default_factory=dict, repr=False, init=False)

    def add(self, path: str) -> None:
        """Add a file to read, unless it is one already added (same device and inode, or ``-`` again).
        A path that cannot be stat'ed is added as it is, so that reading it reports why."""
        identity = self._identity(path)
        if identity is not None:
            if identity in self._seen:
                self.repeated.append((path, self._seen[identity]))
                return
            self._seen[identity] = path
        self.files.append(path)

    @staticmethod
    def _identity(path: str) -> tuple[int, int] | str | None:
        if path == STDIN:
            return STDIN
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            return None
        return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def display_name(path: str) -> str:
    """A file name as text: the bytes Python could not decode (lone surrogates) as ``\\xNN``."""
    return _LONE_SURROGATE.sub(
        lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if ord(m.group()) >= 0xDC80 else f"\\u{ord(m.group()):04x}", path
    )


def check_glob(pattern: str) -> str:
    """The pattern, if it names files inside a folder; InputError for one that would reach out of
    it (an absolute pattern, or ``..``)."""
    if not pattern or os.path.isabs(pattern) or ".." in PurePosixPath(pattern).parts:
        raise InputError(f"--glob {pattern!r} must name files inside the folder (no absolute path, no '..')")
    return pattern


def expand(paths: Iterable[str], pattern: str | None = DEFAULT_GLOB) -> Expansion:
    """Files named, files under folders (recursively, matching ``pattern``, by default every kind
    a reader claims) and glob matches, in order.

    A glob the shell did not expand (quoted, or on Windows) is expanded here. A path that
    matches nothing is kept, so that loading it reports it as missing. Named files are read as
    given (``<(curl …)`` is a FIFO); inside folders only regular files are. A regular file
    reached twice is read the first time only (``Expansion.repeated``); two files that merely
    hold the same text are two sources, and both are read.
    """
    patterns = [check_glob(pattern)] if pattern is not None else _reader_patterns()
    found = Expansion()
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            _walk(path, patterns, found)
        elif path != STDIN and not os.path.exists(path) and _GLOB_CHARS & set(path):
            for match in sorted(globbing.glob(path, recursive=True)) or [path]:
                found.add(match)
        else:
            found.add(path)
    return found


def expand_paths(paths: Iterable[str], pattern: str | None = DEFAULT_GLOB) -> list[str]:
    """The files of ``expand`` alone."""
    return expand(paths, pattern).files


def _reader_patterns() -> list[str]:
    from commentscope.readers.registry import patterns

    return patterns()


def _walk(folder: str, patterns: list[str], found: Expansion) -> None:
    matched = []

    def unreadable(error: OSError) -> None:
        found.passed_over.append((error.filename or folder, f"folder cannot be read ({error.strerror})"))

    for directory, subfolders, names in os.walk(folder, onerror=unreadable):
        subfolders.sort()
        for name in names:
            path = os.path.join(directory, name)
            relative = PurePosixPath(Path(path).relative_to(folder).as_posix())
            if not any(relative.match(pattern) for pattern in patterns):
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as error:
                found.passed_over.append((path, f"cannot be read ({error.strerror})"))
                continue
            if stat.S_ISREG(mode):
                matched.append(path)
            else:
                found.passed_over.append((path, "not a regular file (a FIFO, a device or a socket)"))
    if not matched and not found.passed_over:
        shown = ", ".join(repr(pattern) for pattern in patterns)
        raise InputError(f"no files matching {shown} in this folder", source=folder)
    for path in sorted(matched):
        found.add(path)


def check_distinct_sources(pages: Iterable[tuple[str, str]]) -> None:
    """InputError naming both inputs when two of them give a page of the same name (the source
    label of their Threads), whose comment ids would then collide: ``commentscope comments a.txt
    -f jsonl`` read back beside ``a.txt`` itself, for instance. ``pages``: (input file, source)."""
    first: dict[str, str] = {}
    for path, source in pages:
        earlier = first.setdefault(source, path)
        if earlier != path:
            raise InputError(
                f"{display_name(earlier)} and {display_name(path)} both hold a page named {display_name(source)!r}, "
                "so their comment ids collide; read them apart"
            )


def split_root(text: str, sources: Sequence[str]) -> tuple[str | None, str]:
    """``tree --root`` as (page, comment id). ``PAGE:ID`` names one of ``sources`` by its full
    name, or by an ending after a ``/`` that only one of them has; anything else is an id alone
    (ids may hold colons), which the tree looks up on every page. The page is None when only
    one page is read. The id is spelled as the outputs spell it (``7.1`` finds ``c7.1``)."""
    page, comment = _page_and_comment(text, sources)
    return page, spelled_id(comment)


def _page_and_comment(text: str, sources: Sequence[str]) -> tuple[str | None, str]:
    named = [source for source in sources if text.startswith(source + ":")]
    if named:
        page = max(named, key=len)
        return (page if len(sources) > 1 else None), text[len(page) + 1 :]
    name, colon, comment = text.rpartition(":")
    if colon:
        endings = [source for source in sources if source.replace(os.sep, "/").endswith("/" + name)]
        if len(endings) > 1:
            shown = ", ".join(display_name(source) for source in endings)
            raise InputError(f"--root {text!r}: {name!r} could be any of {shown}; give more of the path")
        if endings:
            return (endings[0] if len(sources) > 1 else None), comment
    return None, text
