"""commentscope: analyse reader-comment threads saved from article pages.

``load`` is imported lazily so that ``commentscope --version`` and ``--help`` start
without pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load"]

if TYPE_CHECKING:
    from commentscope.model import Thread


def load(source: Any, **options: Any) -> Thread:
    """Read one page (a path, ``"-"`` for standard input, or an open stream) into a Thread."""
    from commentscope.ingest import load as load_page

    return load_page(source, **options)
