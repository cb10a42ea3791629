"""Threads as a ConvoKit corpus folder, so that ConvoKit's toolkit runs on pages ConvoKit cannot read.

``write_convokit(threads, directory, *, force=False) -> list[Path]`` writes ``utterances.jsonl``,
``speakers.json``, ``conversations.json``, ``corpus.json`` and ``index.json`` (ConvoKit's on-disk
format, version 1) into ``directory`` and returns their paths; ``convokit.Corpus(filename=DIR)``
loads it. Raises ``OutputError`` (exit code 5) for files that would be overwritten without
``force``, or that cannot be written, and for utterance ids that would repeat.

- One conversation per Thread, its id the thread's source. ConvoKit wants each conversation to be
  one tree, so the article is the root utterance (id = the conversation's id, its text the article's
  body, its speaker the byline) and the top-level comments reply to it; the article's metadata
  (title, standfirst, byline, url, published, declared comments, the times' zone) is the
  conversation's metadata. The root utterance's meta has ``article: true``.
- A comment's utterance id is ``SOURCE#ID`` (ConvoKit ids are corpus-wide; comment ids are per
  page) and its meta keeps the comment's own ``id``, ``depth``, ``position``, ``number``, ``kind``,
  ``words`` and ``line``.
- Speakers are the authors' names, across pages the same person. Anonymous comments are never
  merged into one speaker: each is a speaker of its own, ``(anonymous) UTTERANCE_ID``, with meta
  ``anonymous: true`` (as is an article's speaker when it has no byline).
- Timestamps are epoch seconds, as ConvoKit keeps them: times given in UTC are exact, naive times
  (as the page shows them) are counted as if UTC; ``timezone`` in the conversation's metadata says
  which.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from commentscope import __version__
from commentscope.errors import OutputError
from commentscope.model import Thread
from commentscope.writers.parquet import write_files

if TYPE_CHECKING:
    from commentscope.writers import Export
    from commentscope.writers.text import WriteOptions

ANONYMOUS_PREFIX = "(anonymous) "


def write_convokit(threads: Sequence[Thread], directory: Path, *, force: bool = False) -> list[Path]:
    """Write the threads into ``directory`` as one ConvoKit corpus (see the module's docstring)."""
    directory = Path(directory)
    corpus = _Corpus()
    for thread in threads:
        corpus.add(thread, directory)
    documents = {
        "speakers.json": corpus.speakers,
        "conversations.json": corpus.conversations,
        "corpus.json": {"name": "commentscope export", "commentscope": __version__, "pages": len(threads)},
    }
    index = {
        "utterances-index": _index(corpus.utterance_meta),
        "speakers-index": {"anonymous": ["<class 'bool'>"]} if corpus.speakers else {},
        "conversations-index": _index(entry["meta"] for entry in corpus.conversations.values()),
        "overall-index": _index([documents["corpus.json"]]),
        "version": 1,
        "vectors": [],
    }
    documents["index.json"] = index
    targets = {directory / "utterances.jsonl": lambda path: _write_lines(path, corpus.lines)}
    targets |= {directory / name: _json_writer(document) for name, document in documents.items()}
    return write_files(targets, directory, force=force)


class _Corpus:
    """The corpus as it is gathered: JSON lines of utterances, speakers, conversations, meta types seen."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.speakers: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.utterance_meta: list[dict[str, Any]] = []
        self.ids: set[str] = set()

    def add(self, thread: Thread, directory: Path) -> None:
        article, comments, root = thread.article, thread.comments, thread.source
        if root in self.conversations:
            raise OutputError(f"two threads share the source {root!r}", source=str(directory))
        self.conversations[root] = {"meta": _article_meta(thread), "vectors": []}
        root_meta = {"article": True, "title": article.title}
        self._utterance(
            root, root, article.byline, None, _seconds(article.published), article.body, root_meta, directory
        )
        ids = [f"{root}#{comment_id}" for comment_id in comments["id"]]
        parents = [root if not isinstance(parent, str) else f"{root}#{parent}" for parent in comments["parent_id"]]
        stamps = comments["timestamp"].to_numpy(dtype="datetime64[us]")
        missing = np.isnat(stamps)
        micros = stamps.astype(np.int64).tolist()
        authors = comments["author"].astype(object).where(comments["author"].notna(), None).tolist()
        numbers = comments["number"].astype(object).where(comments["number"].notna(), None).tolist()
        columns = zip(
            ids,
            parents,
            authors,
            micros,
            missing.tolist(),
            comments["text"].tolist() if "text" in comments else [""] * len(comments),  # ConvoKit wants a text
            comments["id"].tolist(),
            comments["depth"].tolist(),
            comments["position"].tolist(),
            numbers,
            comments["kind"].tolist(),
            comments["words"].tolist(),
            comments["line"].tolist(),
            strict=True,
        )
        for utterance, parent, author, micro, absent, text, own, depth, position, number, kind, words, line in columns:
            meta = {"article": False, "id": own, "depth": depth, "position": position, "number": number}
            meta |= {"kind": kind, "words": words, "line": line}
            time = None if absent else (micro // 1_000_000 if micro % 1_000_000 == 0 else micro / 1_000_000)
            self._utterance(utterance, root, author, parent, time, text, meta, directory)

    def _utterance(
        self,
        utterance: str,
        conversation: str,
        speaker: str | None,
        reply_to: str | None,
        timestamp: float | None,
        text: str,
        meta: dict[str, Any],
        directory: Path,
    ) -> None:
        if utterance in self.ids:
            raise OutputError(f"two utterances would share the id {utterance!r}", source=str(directory))
        self.ids.add(utterance)
        anonymous = speaker is None
        who = f"{ANONYMOUS_PREFIX}{utterance}" if anonymous else speaker
        known = self.speakers.setdefault(who, {"meta": {"anonymous": anonymous}, "vectors": []})
        if known["meta"]["anonymous"] != anonymous:  # a commenter whose name is the anonymous form
            raise OutputError(f"the speaker name {who!r} is taken by a commenter", source=str(directory))
        record = {
            "id": utterance,
            "conversation_id": conversation,
            "text": text,
            "speaker": who,
            "meta": meta,
            "reply_to": reply_to,
            "timestamp": timestamp,
            "vectors": [],
        }
        self.lines.append(json.dumps(record, ensure_ascii=False))
        self.utterance_meta.append(meta)


def _article_meta(thread: Thread) -> dict[str, Any]:
    article = thread.article
    published = None if article.published is None else pd.Timestamp(article.published).isoformat()
    return {
        "source": thread.source,
        "title": article.title,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "url": article.url,
        "published": published,
        "declared_comments": article.declared_comments,
        "comments": len(thread.comments),
        "timezone": thread.timezone,
    }


def _seconds(moment: pd.Timestamp | None) -> float | None:
    if moment is None or pd.isna(moment):
        return None
    moment = pd.Timestamp(moment)
    if moment.tzinfo is None:
        moment = moment.tz_localize("UTC")
    value = moment.timestamp()
    return int(value) if value.is_integer() else value


def _index(metas: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """ConvoKit's index of metadata: each field with the Python types its values have, as ConvoKit spells them."""
    types: dict[str, set[str]] = {}
    for meta in metas:
        for key, value in meta.items():
            types.setdefault(key, set()).add(f"<class '{type(value).__name__}'>")
    return {key: sorted(found) for key, found in types.items()}


def _write_lines(path: Path, lines: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.writelines(f"{line}\n" for line in lines)


def _json_writer(document: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False)

    return write


def write_export(export: Export, directory: Path, options: WriteOptions) -> list[Path]:
    """The registry's ConvoKit writer: the export's pages as a corpus folder."""
    return write_convokit(export.threads, directory, force=export.force)
