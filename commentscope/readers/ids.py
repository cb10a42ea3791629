"""How comment ids are spelled in every output, so that no other program reads them as something else.

pandas, Excel, LibreOffice and sqlite take ``1.10`` for the number 1.1 (then a duplicate of ``1.1``),
``3`` for 3.0 in a column with nulls, ``16.2.1`` or ``SEPT2`` for dates, and ``NA`` for a missing
value. An id that could be misread starts with ``ID_PREFIX``; path ids always do (``c16.2.1``).
Kept free of heavy imports: the CLI spells a ``--root`` id before anything is read.
"""

from __future__ import annotations

import re

ID_PREFIX = "c"
#: What would be misread: anything not starting with a letter (numbers, ``1.10``, ``16.2.1``, ``-x``,
#: empty), pandas' missing values, booleans and infinities, and a month's name followed by a number,
#: which spreadsheets take for a date. The same pattern runs in Arrow (RE2) and in Python.
MISREAD_ID = (
    r"^(?:$|[^a-zA-Z]|(?:nan|na|n/a|null|none|true|false|inf|infinity)$"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-./ ]?[0-9])"
)
_misread = re.compile(MISREAD_ID, re.IGNORECASE)


def spelled_id(ident: str) -> str:
    """One id as the outputs write it: what a user typed (``--root 7.1``) finds ``c7.1``."""
    return ID_PREFIX + ident if _misread.match(ident) else ident
