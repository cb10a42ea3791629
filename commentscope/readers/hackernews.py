"""Hacker News, in both shapes its APIs give: an Algolia ``items/ID`` object (the story with its
comments nested in ``children``), or Firebase items (flat objects with ``by``, ``time``,
``parent``, ``kids``), as a JSON array or JSON Lines. A Thread per story, keyed by its id.

Firebase comments find their story by climbing their parents; one whose chain leaves the file
is keyed by the last id the chain names (the story, when only the story is missing). Deleted items keep
their place as kind ``deleted``. Times are epoch seconds: UTC. Texts are HTML, read as text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from commentscope.errors import InputError
from commentscope.model import Article, Problem
from commentscope.readers.records import Records, as_ids, html_text, json_lines, utc_timestamp

if TYPE_CHECKING:
    from commentscope.model import Thread
    from commentscope.readers.registry import OwnedBytes, ReadOptions

_ALGOLIA = re.compile(rb'"created_at_i"\s*:')
_FIREBASE_KEYS = [
    re.compile(key) for key in (rb'"by"\s*:', rb'"time"\s*:\s*[0-9]', rb'"(?:kids|parent|descendants)"\s*:')
]


def sniff(head: bytes) -> bool:
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if start == b"{" and _ALGOLIA.search(head) and b'"children"' in head:
        return True
    return start in (b"{", b"[") and all(key.search(head) for key in _FIREBASE_KEYS)


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    import msgspec

    data = bytes(page.take())
    try:
        value = msgspec.json.decode(data)
        problems: list[Problem] = []
        items = value if isinstance(value, list) else [value]
        numbered = list(enumerate(items, 1))
    except msgspec.DecodeError:
        numbered, problems = json_lines(data, "item")
        items = [item for _, item in numbered]
    if len(items) == 1 and isinstance(items[0], dict) and "children" in items[0]:
        return _algolia(items[0], source, options)
    return _firebase([(n, item) for n, item in numbered if isinstance(item, dict)], source, options, problems)


def _algolia(root: dict[str, Any], source: str, options: ReadOptions) -> list[Thread]:
    records = Records()
    key = str(root.get("story_id") or root.get("id"))
    story = root.get("type") == "story"
    records.articles[key] = Article(
        source=key,
        title=root.get("title"),
        byline=root.get("author") if story else None,
        body=html_text(root.get("text")) if story else "",
        url=root.get("url"),
        published=utc_timestamp(root.get("created_at_i")) if story else None,
    )
    stack = list(reversed(root.get("children") or [])) if story else [root]
    record = 0
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        record += 1
        parent = item.get("parent_id")
        deleted = item.get("author") is None and item.get("text") is None
        records.add(
            key,
            item.get("id"),
            None if str(parent) == key else parent,
            item.get("author"),
            item.get("created_at_i"),
            html_text(item.get("text")),
            "deleted" if deleted else "comment",
            record,
            score=item.get("points"),
        )
        stack.extend(reversed(item.get("children") or []))
    if not record and not story:
        raise InputError("not a Hacker News item", source=source)
    return records.threads(source, lenient=options.lenient)


def _firebase(
    items: list[tuple[int, dict[str, Any]]], source: str, options: ReadOptions, problems: list
) -> list[Thread]:
    ids, _ = as_ids(item.get("id") for _, item in items)
    parents, _ = as_ids(item.get("parent") for _, item in items)
    parent_of = dict(zip(ids, parents, strict=True))
    stories = {i for i, (_, item) in zip(ids, items, strict=True) if item.get("type") in ("story", "poll", "job")}
    records = Records()
    for item_id, (_, item) in zip(ids, items, strict=True):
        if item_id in stories:
            records.articles[item_id] = Article(
                source=item_id,
                title=item.get("title"),
                byline=item.get("by"),
                body=html_text(item.get("text")),
                url=item.get("url"),
                published=utc_timestamp(item.get("time")),
            )
    for item_id, parent, (line, item) in zip(ids, parents, items, strict=True):
        if item_id in stories:
            continue
        story = _story(item_id, parent_of, stories)
        records.add(  # the ids as given: records counts any drift between numbers and strings
            story,
            item.get("id"),
            None if parent == story else item.get("parent"),
            item.get("by"),
            item.get("time"),
            html_text(item.get("text")),
            "deleted" if item.get("deleted") else "comment",
            line,
            score=item.get("score"),
        )
    return records.threads(source, lenient=options.lenient, file_problems=problems)


def _story(item: str | None, parent_of: dict[str | None, str | None], stories: set[str | None]) -> str:
    """The story above a comment: the first story up its chain, else the last parent the chain names."""
    seen = set()
    node = item
    while node in parent_of and node not in seen and parent_of[node] is not None:
        seen.add(node)
        node = parent_of[node]
        if node in stories:
            return str(node)
    return str(node)
