"""YouTube comments, in the two shapes they are saved in: the Data API's ``commentThreads``
response (one page, an array of pages, or a page per line), a Thread per ``videoId``; and
``youtube-comment-downloader`` JSON Lines (one video per file, so the Thread is the file), whose
parent is in the id (``PARENT.CHILD``).

API times are ISO with a zone, made UTC. The downloader writes times relative to when it ran
(``6 years ago``): its ``time_parsed`` (epoch seconds) is used, and where it is missing the time
is left empty and counted, since "6 years ago" is no time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from commentscope.errors import InputError
from commentscope.model import Article, Problem
from commentscope.readers.records import Records, json_lines

if TYPE_CHECKING:
    from commentscope.model import Thread
    from commentscope.readers.registry import OwnedBytes, ReadOptions

_DOWNLOADER = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{[^\n]*"cid"\s*:\s*"[^\n]*"text"\s*:')


def sniff(head: bytes) -> bool:
    return b'"youtube#commentThread' in head or _DOWNLOADER.match(head) is not None


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    import msgspec

    data = bytes(page.take())
    problems: list[Problem] = []
    try:
        value = msgspec.json.decode(data)
        numbered = list(enumerate(value if isinstance(value, list) else [value], 1))
    except msgspec.DecodeError:
        numbered, problems = json_lines(data)
    objects = [(line, item) for line, item in numbered if isinstance(item, dict)]
    if not objects:
        raise InputError("no YouTube comments in this file", source=source)
    if "cid" in objects[0][1]:
        return _downloader(objects, source, options, problems)
    return _api(objects, source, options, problems)


def _api(pages: list[tuple[int, dict[str, Any]]], source: str, options: ReadOptions, problems: list) -> list[Thread]:
    records = Records()
    record = 0
    missing: dict[str, int] = {}
    for _, page in pages:
        items = page.get("items") if "items" in page else [page]
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("snippet") or {}, dict):
                problems.append(Problem("bad_record", "an item that is not a comment thread object was left out"))
                continue
            snippet = item.get("snippet") or {}
            top = snippet.get("topLevelComment") or {}
            if not isinstance(top, dict) or not isinstance(top.get("snippet") or {}, dict):
                problems.append(Problem("bad_record", "a top-level comment that is not an object was left out"))
                continue
            video = str(snippet.get("videoId") or (top.get("snippet") or {}).get("videoId") or "")
            records.articles.setdefault(video, Article(source=video, url=f"https://www.youtube.com/watch?v={video}"))
            replies = item.get("replies") or {}
            replies = replies.get("comments") or [] if isinstance(replies, dict) else []
            if not isinstance(replies, list) or not all(isinstance(reply, dict) for reply in replies):
                problems.append(Problem("bad_record", "replies that are not comment objects were left out"))
                replies = [reply for reply in replies if isinstance(reply, dict)] if isinstance(replies, list) else []
            record += 1
            _api_comment(records, video, top, None, record)
            for reply in replies:
                record += 1
                _api_comment(
                    records, video, reply, (reply.get("snippet") or {}).get("parentId") or top.get("id"), record
                )
            absent = int(snippet.get("totalReplyCount") or 0) - len(replies)
            if absent > 0:
                missing[video] = missing.get(video, 0) + absent
    for video, count in missing.items():
        records.problem(
            video, "missing_replies", f"{count} repl(ies) not in the file (the API sends at most 5 with each thread)"
        )
    return records.threads(source, lenient=options.lenient, file_problems=problems)


def _api_comment(records: Records, video: str, comment: dict[str, Any], parent: Any, line: int) -> None:
    snippet = comment.get("snippet") or {}
    records.add(
        video,
        comment.get("id"),
        parent,
        snippet.get("authorDisplayName") or None,
        snippet.get("publishedAt"),
        snippet.get("textOriginal") if snippet.get("textOriginal") is not None else snippet.get("textDisplay") or "",
        "comment",
        line,
        author_id=(snippet.get("authorChannelId") or {}).get("value")
        if isinstance(snippet.get("authorChannelId"), dict)
        else None,
        score=snippet.get("likeCount"),
    )


def _downloader(
    lines: list[tuple[int, dict[str, Any]]], source: str, options: ReadOptions, problems: list
) -> list[Thread]:
    records = Records()
    relative: list[tuple[int, Any]] = []
    for line, item in lines:
        cid = str(item.get("cid") or "")
        parent, dot, _ = cid.rpartition(".")
        time = item.get("time_parsed")
        if time is None:
            relative.append((line, item.get("time")))
        author = item.get("author") or None
        records.add(
            None,
            cid or None,
            parent if dot else None,
            author,
            time,
            item.get("text") or "",
            "comment",
            line,
            author_id=item.get("channel"),
            score=_likes(item.get("votes")),
        )
    if relative:
        line, example = relative[0]
        message = f"{len(relative)} comment(s) have no time_parsed, only a relative time such as {example!r}; "
        records.problem(None, "relative_time", message + "their time is left empty", line)
    return records.threads(source, lenient=options.lenient, file_problems=problems)


_LIKES = re.compile(r"([0-9]+(?:\.[0-9]+)?)([KM]?)")


def _likes(votes: Any) -> int | None:
    """The downloader's like count as YouTube shows it ("25", "1.2K"): a number, None when unreadable."""
    if isinstance(votes, int) and not isinstance(votes, bool):
        return votes
    found = _LIKES.fullmatch(str(votes or "").strip().upper().replace(",", ""))
    if not found:
        return None
    return round(float(found.group(1)) * {"": 1, "K": 1_000, "M": 1_000_000}[found.group(2)])
