"""Which files a command reads: paths, folders (recursively) and globs. No pandas here, so the CLI
can name the defaults at start-up."""

from __future__ import annotations

import glob as globbing
import os
from collections.abc import Iterable
from pathlib import Path

from commentscope.errors import InputError

STDIN = "-"
DEFAULT_GLOB = "*.txt"
_GLOB_CHARS = frozenset("*?[")


def expand_paths(paths: Iterable[str], pattern: str = DEFAULT_GLOB) -> list[str]:
    """Files named, files under folders (recursively, matching ``pattern``) and glob matches, in order.

    A glob the shell did not expand (quoted, or on Windows) is expanded here. A path
    that matches nothing is kept, so that loading it reports it as missing.
    """
    expanded: list[str] = []
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            found = sorted(str(p) for p in Path(path).rglob(pattern) if p.is_file())
            if not found:
                raise InputError(f"no files matching {pattern!r} in this folder", source=path)
            expanded.extend(found)
        elif path != STDIN and not os.path.exists(path) and _GLOB_CHARS & set(path):
            expanded.extend(sorted(globbing.glob(path, recursive=True)) or [path])
        else:
            expanded.append(path)
    return expanded
