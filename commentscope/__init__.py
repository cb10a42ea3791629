"""commentscope: analyse reader-comment threads saved from article pages.

``load`` is imported lazily so that ``commentscope --version`` and ``--help`` start
without pandas.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load", "load_corpus"]

if TYPE_CHECKING:
    from commentscope.model import Thread
    from commentscope.readers.corpus import Corpus


def load(source: Any, **options: Any) -> Thread:
    """Read one page (a path, ``"-"`` for standard input, or an open stream) into a Thread."""
    from commentscope.readers import load as load_page

    return load_page(source, **options)


def load_corpus(paths: Any, **options: Any) -> Corpus:
    """Read many pages (files, folders, globs) into a Corpus: ``.threads``, ``.failures`` and ``.comments``."""
    from commentscope.readers.corpus import load_corpus as load_pages

    named = [paths] if isinstance(paths, str | os.PathLike) else paths
    return load_pages([str(path) for path in named], **options)
