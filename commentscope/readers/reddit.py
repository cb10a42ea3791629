"""A reddit thread as ``…/comments/ID.json`` returns it: a pair of listings, the post, then its
comments with their replies nested (a listing, or ``""``). The thread is keyed by the post id.

Ids lose their ``t1_`` / ``t3_`` prefixes; a parent ``t3_…`` is the post (top level). An author
``[deleted]`` makes the comment kind ``deleted``, author null, in its place. ``more`` stubs stand
for replies reddit did not send: they are counted, so ``check`` says the tree is incomplete.
Times are epoch seconds, so UTC.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from commentscope.errors import InputError
from commentscope.model import Article
from commentscope.readers.records import Records, utc_timestamp

if TYPE_CHECKING:
    from commentscope.model import Thread
    from commentscope.readers.registry import OwnedBytes, ReadOptions

_HEAD = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\[\s*\{\s*"kind"\s*:\s*"Listing"')
DELETED = ("[deleted]", "[removed]")


def sniff(head: bytes) -> bool:
    return _HEAD.match(head) is not None


def bare(name: Any) -> str | None:
    """A reddit fullname without its type prefix (``t1_abc`` -> ``abc``); None stays None."""
    if name is None:
        return None
    name = str(name)
    return name[3:] if len(name) > 3 and name[0] == "t" and name[2] == "_" else name


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    import msgspec

    try:
        listings = msgspec.json.decode(bytes(page.take()))
    except msgspec.DecodeError as error:
        raise InputError(f"not a reddit thread: {error}", source=source) from None
    try:
        post = listings[0]["data"]["children"][0]["data"]
        children = listings[1]["data"]["children"]
    except (IndexError, KeyError, TypeError):
        raise InputError("not a reddit thread (expected the post listing, then the comments)", source=source) from None
    key = str(post.get("id") or bare(post.get("name")) or "")
    records = Records()
    records.articles[key] = Article(
        source=key,
        title=post.get("title"),
        byline=post.get("author"),
        body=post.get("selftext") or "",
        url=post.get("url") or post.get("permalink"),
        published=utc_timestamp(post.get("created_utc")),
    )
    missing = stubs = 0
    stack = list(reversed(children))
    record = 0
    while stack:
        child = stack.pop()
        if not isinstance(child, dict):
            continue
        data = child.get("data") or {}
        if child.get("kind") == "more":
            stubs += 1
            records.skip(key, "more_stub")
            missing += max(int(data.get("count") or 0), len(data.get("children") or []))
            continue
        record += 1
        add_comment(records, key, data, record)
        replies = data.get("replies")
        if isinstance(replies, dict):
            stack.extend(reversed(replies.get("data", {}).get("children") or []))
    if stubs:
        records.problem(
            key,
            "missing_replies",
            f"{missing} repl(ies) not in the file: reddit sent {stubs} 'more' stub(s) in their place",
        )
    return records.threads(source, lenient=options.lenient)


def add_comment(records: Records, thread: str, data: dict[str, Any], line: int) -> None:
    """One reddit comment object (thread JSON or a dump's line) as a record."""
    author = data.get("author")
    parent = data.get("parent_id")
    top = isinstance(parent, str) and parent.startswith("t3_")
    records.add(
        thread,
        data.get("id") if data.get("id") is not None else bare(data.get("name")),
        None if top else bare(parent) if isinstance(parent, str) else parent,
        None if author in DELETED else author,
        data.get("created_utc"),
        data.get("body") or "",
        "deleted" if author in DELETED else "comment",
        line,
        author_id=None if author in DELETED else data.get("author_fullname"),
        score=data.get("score"),
    )
