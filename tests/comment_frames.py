"""Hand-built comment frames, for the tests of every room (a module of its own: each folder's
conftest is imported under the one name ``conftest``, so one cannot import another's)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from commentscope.model import COMMENT_SCHEMA

#: (id, parent_id, author, "YYYY-MM-DD HH:MM" or None, text)
Row = tuple[str, str | None, str | None, str | None, str]


def build_comments(rows: Iterable[Row], source: str | None = None) -> pd.DataFrame:
    """A schema-correct frame, rows in document order; depth follows the parent links."""
    depth: dict[str, int] = {}
    records = []
    for position, (cid, parent, author, when, text) in enumerate(rows):
        depth[cid] = 0 if parent is None else depth[parent] + 1
        records.append(
            {
                "id": cid,
                "parent_id": parent,
                "depth": depth[cid],
                "position": position,
                "number": int(cid) if parent is None and cid.isdigit() else None,
                "author": author,
                "timestamp": when,
                "text": text,
                "words": len((text or "").split()),
                "line": 1 + 4 * position,
                "kind": "comment",
            }
        )
    frame = pd.DataFrame(records, columns=list(COMMENT_SCHEMA))
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], format="ISO8601")
    frame = frame.astype({name: dtype for name, (dtype, _) in COMMENT_SCHEMA.items()})
    if source is not None:
        frame.insert(0, "source", pd.Series([source] * len(frame), dtype="str"))
    return frame
