"""A big page's comment list parsed a piece at a time, so that the reader never holds the whole
page's tree (lexbor's tree is about ten times the markup it is built from). Speed and memory
machinery only: which parts of a comment are read, and how, stays in ``html``.

The page is cut in its bytes: the rest of the page (the *outer* page) is parsed with a sentinel
element where the comment list's content was, and the content itself in pieces of about
``PIECE_BYTES``, cut before a ``<li`` at the list's top level, each parsed inside copies of the
list and the elements around it. A piece's tree is the whole page's tree of those bytes only if
the parser is, at each cut, in the state it was in just after the list's opening tag. That is
checked, never assumed: a sentinel after each piece must come out as the list's last child (not
swallowed by an open tag, comment or raw text, not inside an element left open or rebuilt from an
unclosed ``<b>``, not moved by a table), the outer page's sentinel must be the list's only child,
the elements around the list must be plain containers, and the list's content must hold none of
the tags whose effect reaches past the element they are in (``form``, ``frameset``, ``html``,
``body``). When a check fails, ``Whole`` is raised and the page is parsed whole.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Pages below this are parsed whole: their tree is small.
MIN_BYTES = 4_000_000
PIECE_BYTES = 1_000_000
#: Unguessable, so that no page holds an element with its id (even spelled with references).
SENTINEL_ID = f"commentscope-piece-end-{os.urandom(8).hex()}"
SENTINEL = f'<span id="{SENTINEL_ID}"></span>'.encode()
DOCTYPE = b"<!DOCTYPE html>"
_STANDARDS_MODE = re.compile(rb"\s*<!doctype\s+html\s*>", re.IGNORECASE)
#: WordPress's comment list (the walkers' ``comment-list``, older themes' ``commentlist``).
_LIST_OPENING = re.compile(rb"""<(ol|ul)\b[^<>]*?\bclass\s*=\s*["'][^"'<>]*\b(?:comment-list|commentlist)\b[^<>]*>""")
#: The tags counted to find the list's top level and end (written in lower case, as WordPress does:
#: any other spelling miscounts, and the checks then fail), and those whose effect reaches past
#: their element, in any case.
_SCAN = re.compile(
    rb"<(/?)(li|ol|ul|[fF][oO][rR][mM]|[fF][rR][aA][mM][eE][sS][eE][tT]|[hH][tT][mM][lL]|[bB][oO][dD][yY])\b"
)
_NESTING = frozenset({b"li", b"ol", b"ul"})
_REACHING = re.compile(rb"<(?:form|frameset|html|body)\b", re.IGNORECASE)
#: A top-level comment's opening tag, as WordPress's walkers write it.
_TOP_LEVEL = re.compile(rb"""<li\b[^<>]*?\bclass\s*=\s*["'][^"'<>]*\bdepth-1\b""")
#: After the list: an ``<html>`` or ``<body>`` would add its attributes to the elements around it.
_LATE = re.compile(rb"<(?:frameset|html|body)\b", re.IGNORECASE)
#: Elements that may stand around the list: their tags open no special parsing mode.
_AROUND = frozenset({"html", "body", "div", "main", "section", "article", "aside", "nav", "header", "footer"})


class Whole(Exception):
    """The page cannot be read in pieces: parse it whole."""


@dataclass
class Cut:
    """Where the page is cut: the list's content from ``start`` to ``end``, pieces at ``cuts``."""

    data: bytes
    start: int
    end: int
    cuts: list[int]

    @property
    def outer(self) -> bytes:
        """The page with a sentinel for the list's content."""
        return self.data[: self.start] + SENTINEL + self.data[self.end :]

    @property
    def count(self) -> int:
        return len(self.cuts) + 1

    def pieces(self, around: bytes, which: range | None = None) -> Iterator[bytes]:
        """Each piece (or those ``which`` numbers) as a page of its own: the opening tags of the
        elements around it, then it."""
        bounds = [self.start, *self.cuts, self.end]
        for number in which if which is not None else range(self.count):
            yield DOCTYPE + around + self.data[bounds[number] : bounds[number + 1]] + SENTINEL


def cut(data: bytes) -> Cut | None:
    """The page cut at its comment list, if it is big enough, declares the standard mode, and has
    such a list, whose content holds no tag that reaches past its element."""
    if len(data) < MIN_BYTES or not _STANDARDS_MODE.match(data):
        return None
    opening = _opening(data)
    if opening is None:
        return None
    name, start = opening.group(1).lower(), opening.end()
    cuts = _top_level(data, start)
    if cuts and _REACHING.search(data, start, cuts[-1]):
        return None
    scanned = _scan(data, name, cuts[-1] if cuts else start, cutting=not cuts)  # the rest counted
    if scanned is None:
        return None
    end, counted = scanned
    cuts += counted
    if not cuts or _LATE.search(data, end):
        return None
    return Cut(data, start, end, cuts)


def _top_level(data: bytes, start: int) -> list[int]:
    """Cuts about ``PIECE_BYTES`` apart before comments that WordPress's walkers mark as top-level
    (class ``depth-1``), found by plain searches (a third of the time of counting every tag)."""
    cuts: list[int] = []
    at = data.find(b"depth-1", start + PIECE_BYTES)
    while at >= 0:
        tag = data.rfind(b"<", 0, at)
        found = _TOP_LEVEL.match(data, tag) if tag >= 0 else None
        if found is not None and found.end() > at:
            cuts.append(tag)
            at = data.find(b"depth-1", max(tag + PIECE_BYTES, at + 1))
        else:
            at = data.find(b"depth-1", at + 1)
    return cuts


def _scan(data: bytes, name: bytes, begin: int, *, cutting: bool) -> tuple[int, list[int]] | None:
    """The list's end, counting its items and lists from ``begin`` (at its top level), and, if
    ``cutting``, cuts about ``PIECE_BYTES`` apart before its top-level items."""
    depth, last, cuts = 0, begin, []
    for tag in _SCAN.finditer(data, begin):
        close, tag_name = tag.groups()
        if tag_name not in _NESTING:
            return None
        if close:
            if depth == 0:  # the list's own end tag (if the count is right: the sentinels check it)
                return (tag.start(), cuts) if tag_name == name else None
            depth -= 1
        else:
            if cutting and depth == 0 and tag_name == b"li" and tag.start() - last >= PIECE_BYTES:
                last = tag.start()
                cuts.append(last)
            depth += 1
    return None


def _opening(data: bytes) -> re.Match[bytes] | None:
    """The first comment list's opening tag, found from its class name (a plain search)."""
    found = []
    for word in (b"comment-list", b"commentlist"):
        at = data.find(word)
        while at >= 0:
            tag = data.rfind(b"<", 0, at)
            opening = _LIST_OPENING.match(data, tag) if tag >= 0 else None
            if opening is not None and opening.end() > at:
                found.append(opening)
                break
            at = data.find(word, at + 1)
    return min(found, key=lambda opening: opening.start(), default=None)


@dataclass
class Outer:
    """The outer page's sentinel and the list it stands in, checked."""

    sentinel: LexborNode
    chain: list[LexborNode]  # the list and the elements around it, outermost first

    @property
    def chain_ids(self) -> frozenset[int]:
        return frozenset(node.mem_id for node in self.chain)

    def opening_tags(self) -> bytes:
        """The chain's opening tags, attributes and all, to stand around each piece."""
        tags = []
        for node in self.chain:
            attributes = "".join(
                f" {name}" if value is None else f' {name}="{html.escape(value)}"'
                for name, value in node.attributes.items()
            )
            tags.append(f"<{node.tag}{attributes}>")
        return "".join(tags).encode()


def check_outer(tree: LexborHTMLParser, unwanted: str) -> Outer:
    """The sentinel as the list's only child, inside plain containers none of which matches
    ``unwanted`` (a comment's or furniture's selector), else ``Whole``."""
    found = tree.css(f"#{SENTINEL_ID}")
    if len(found) != 1:
        raise Whole
    sentinel = found[0]
    container = sentinel.parent
    if container is None or container.tag not in ("ol", "ul") or sentinel.prev is not None or sentinel.next is not None:
        raise Whole
    chain = [container]
    node = container.parent
    while node is not None and node.is_element_node:
        if node.tag not in _AROUND:
            raise Whole
        chain.append(node)
        node = node.parent
    matched = {node.mem_id for node in tree.css(unwanted)}  # the outer page is small: a query is cheap
    if chain[-1].tag != "html" or any(node.mem_id in matched for node in chain):
        raise Whole
    return Outer(sentinel, chain[::-1])


def check_piece(tree: LexborHTMLParser, outer: Outer) -> LexborNode:
    """The list's stand-in in a piece's tree, once its sentinel is found as its last child (the
    sentinel is then taken out), else ``Whole``. The stand-in is found down the chain of first
    elements, so it is the one built from the opening tags, never one the piece opened."""
    node = tree.root
    for expected in outer.chain[1:]:  # from <html> down, each the first element in the one above
        node = node.first_child if node is not None else None
        while node is not None and not node.is_element_node:
            node = node.next
        while node is not None and node.tag == "head":
            node = node.next
        if node is None or node.tag != expected.tag:
            raise Whole
    sentinel = node.last_child if node is not None else None
    if sentinel is None or sentinel.tag != "span" or sentinel.attributes.get("id") != SENTINEL_ID:
        raise Whole
    sentinel.decompose()
    return node
