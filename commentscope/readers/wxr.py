"""WordPress export (WXR 1.0-1.2): each post with comments is a Thread, keyed by its post id.

The ``wp:`` namespace differs by version, so fields are found by their local names. The file is
streamed item by item (lxml's iterparse, each item freed once read). Times are the ``_gmt`` ones,
so UTC; spam and trashed comments are left out, and counted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from commentscope.model import Article, Problem
from commentscope.readers.records import (
    Records,
    child_text,
    html_text,
    local_name,
    release,
    utc_timestamp,
    xml_elements,
)

if TYPE_CHECKING:
    from commentscope.model import Thread
    from commentscope.readers.registry import OwnedBytes, ReadOptions

_NAMESPACE = re.compile(rb"xmlns:wp=[\"']http://wordpress\.org/export/1\.[0-9]/?[\"']")
_LEFT_OUT = {"spam": "spam", "trash": "trashed", "post-trashed": "trashed"}
_KINDS = {"": "comment", "comment": "comment", "pingback": "pingback", "trackback": "trackback"}
_NO_TIME = "0000-00-00 00:00:00"


def sniff(head: bytes) -> bool:
    return b"<rss" in head and _NAMESPACE.search(head) is not None


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    records = Records()
    file_problems: list[Problem] = []
    for item in xml_elements(page, ("item",), file_problems):
        comments = [child for child in item if local_name(child) == "comment"]
        if comments:
            _item(item, comments, records)
        release(item)
    return records.threads(source, lenient=options.lenient, file_problems=file_problems)


def _item(item: object, comments: list, records: Records) -> None:
    key = child_text(item, "post_id") or ""
    records.articles[key] = Article(
        source=key,
        title=child_text(item, "title"),
        byline=child_text(item, "creator"),
        body=html_text(child_text(item, "encoded")),
        url=child_text(item, "link"),
        published=utc_timestamp(_gmt(child_text(item, "post_date_gmt"))),
    )
    local_times = 0
    for comment in comments:
        approved = (child_text(comment, "comment_approved") or "").strip()
        if approved in _LEFT_OUT:
            records.skip(key, _LEFT_OUT[approved])
            continue
        parent = (child_text(comment, "comment_parent") or "0").strip()
        time = _gmt(child_text(comment, "comment_date_gmt"))
        if time is None:  # an old export without GMT times: the local one is all there is
            local_times += 1
            time = _gmt(child_text(comment, "comment_date"))
        kind = (child_text(comment, "comment_type") or "").strip()
        records.add(
            key,
            (child_text(comment, "comment_id") or "").strip() or None,
            None if parent in ("", "0") else parent,
            (child_text(comment, "comment_author") or "").strip() or None,
            time,
            html_text(child_text(comment, "comment_content")),
            _KINDS.get(kind, "comment"),
            comment.sourceline or 0,
            author_id=_user_id(child_text(comment, "comment_user_id")),
        )
    if local_times:
        records.problem(key, "local_time", f"{local_times} comment(s) have no GMT time; their local time is used")


def _user_id(value: str | None) -> str | None:
    """WordPress writes 0 for a commenter who was not logged in: no user id."""
    value = (value or "").strip()
    return None if value in ("", "0") else value


def _gmt(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if not value or value == _NO_TIME else value.replace(" ", "T") + "Z"
