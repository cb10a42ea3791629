"""Disqus XML export: ``<thread dsq:id>`` elements, then a flat list of ``<post dsq:id>``; each thread
with posts is a Thread, keyed by its Disqus id.

Streamed element by element (lxml's iterparse). Times are ISO UTC. A deleted post keeps its
place as kind ``deleted``, so its replies stay under it; spam is left out, and counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

_NS = "http://disqus.com"
_DSQ_ID = "{http://disqus.com/disqus-internals}id"


def sniff(head: bytes) -> bool:
    return b"<disqus" in head and b'"http://disqus.com"' in head


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    records = Records()
    file_problems: list[Problem] = []
    threads: dict[str, Article] = {}
    for element in xml_elements(page, (f"{{{_NS}}}thread", f"{{{_NS}}}post"), file_problems):
        parent = element.getparent()
        if parent is None or parent.getparent() is not None:
            continue  # a post's reference to its thread, read with the post
        key = element.get(_DSQ_ID) or ""
        if local_name(element) == "thread":
            threads[key] = Article(
                source=key,
                title=child_text(element, "title"),
                url=child_text(element, "link"),
                published=utc_timestamp(child_text(element, "createdAt")),
            )
        else:
            _post(element, key, records)
        release(element)
    for key in dict.fromkeys([*records.columns["thread"], *records.skipped]):
        records.articles[key] = threads.get(key) or Article(source=key)
        if key not in threads:
            records.problem(key, "unknown_thread", f"posts name thread {key!r}, which the export does not list")
    return records.threads(source, lenient=options.lenient, file_problems=file_problems)


def _post(post: Any, key: str, records: Records) -> None:
    thread = parent = None
    author = username = None
    for child in post:
        name = local_name(child)
        if name == "thread":
            thread = child.get(_DSQ_ID)
        elif name == "parent":
            parent = child.get(_DSQ_ID)
        elif name == "author":
            author = (child_text(child, "name") or "").strip() or None
            if not _true(child_text(child, "isAnonymous")):
                username = (child_text(child, "username") or "").strip() or None
    thread = thread or ""
    if _true(child_text(post, "isSpam")):
        records.skip(thread, "spam")
        return
    records.add(
        thread,
        key or None,
        parent,
        author,
        child_text(post, "createdAt"),
        html_text(child_text(post, "message")),
        "deleted" if _true(child_text(post, "isDeleted")) else "comment",
        post.sourceline or 0,
        author_id=username,
    )


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"
