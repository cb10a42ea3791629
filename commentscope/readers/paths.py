"""Which files a command reads: paths, folders (recursively) and globs. No pandas here, so the CLI
can name the defaults at start-up."""

from __future__ import annotations

import glob as globbing
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from commentscope.errors import InputError

STDIN = "-"
#: Inside folders, by default: every file name some reader claims (``registry.patterns``).
DEFAULT_GLOB: str | None = None
_GLOB_CHARS = frozenset("*?[")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Expansion:
    """The files to read, in order, and what was passed over inside folders, with the reason:
    never silently (an unreadable subfolder, a FIFO or device, a link to nothing)."""

    files: list[str] = field(default_factory=list)
    passed_over: list[tuple[str, str]] = field(default_factory=list)


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
    given (``<(curl …)`` is a FIFO); inside folders only regular files are.
    """
    patterns = [check_glob(pattern)] if pattern is not None else _reader_patterns()
    found = Expansion()
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            _walk(path, patterns, found)
        elif path != STDIN and not os.path.exists(path) and _GLOB_CHARS & set(path):
            found.files.extend(sorted(globbing.glob(path, recursive=True)) or [path])
        else:
            found.files.append(path)
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
    found.files.extend(sorted(matched))
