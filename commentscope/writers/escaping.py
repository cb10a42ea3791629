"""Making values safe for where they go: a terminal (no control sequences) or a spreadsheet (no formulas)."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rich is imported where a table, a tree or a console is made: JSON, CSV and pipes never load it
    from rich.text import Text


# What must not reach a terminal as it is: C0 and C1 control characters except newline and tab (ESC
# starts ANSI and OSC sequences), bidi controls that reorder what is shown (U+202E), invisible
# zero-width characters, and lone surrogates (an undecodable byte of a file name, or bad text).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_safe(value: str) -> str:
    """Show control, bidi and zero-width characters as visible escapes, so text can neither drive
    the terminal nor hide or reorder what is shown; an undecodable byte of a name shows as its
    hex (``\\xff``)."""
    return _UNSAFE.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def literal(value: object, style: str = "") -> Text:
    """The one way a string reaches a rich renderable: literal text (never console markup, so
    ``[link=…]`` in a title stays those characters), with ``terminal_safe`` escapes."""
    from rich.text import Text

    return Text(terminal_safe(str(value)), style=style)


def spreadsheet_safe(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with a quote; numbers stay as they are.

    Reversible (``spreadsheet_unsafe``): text that already starts with quotes before a formula
    character gets one more, so ``=x`` becomes ``'=x`` and ``'=x`` becomes ``''=x``."""
    if isinstance(value, str) and value.lstrip("'").startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_unsafe(value: str) -> str:
    """The cell as it was before ``spreadsheet_safe``: one leading quote off where it added one."""
    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START):
        return value[1:]
    return value


def plain(value: Any) -> Any:
    """A JSON-ready Python value: timestamps as ISO 8601, every kind of missing (None, NaN, NaT, NA) as None."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if _is_missing(value):
        return None
    if isinstance(value, dt.datetime | dt.date) or hasattr(value, "isoformat"):  # and pandas.Timestamp
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return str(value)


def _is_missing(value: Any) -> bool:
    """pandas' missing markers; pandas is loaded whenever such a value exists, so importing it costs nothing."""
    if "pandas" not in sys.modules:
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
