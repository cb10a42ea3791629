"""Reader for a saved HTML page: the comments straight from the markup, where the nesting, the
authors and the exact times are already explicit.

The page is decoded from its own declaration (byte-order mark, then ``<meta charset>``), parsed
once with lexbor (selectolax; a big page's WordPress comment list a piece at a time, so that its
tree is never held whole, see ``html_pieces``), and its comments found by the first markup
family in ``FAMILIES`` that holds any: WordPress's walkers and the themes that rename their
parts, old Reddit, Hacker News, schema.org microdata, microformats2, then schema.org JSON-LD,
and last a generic rule for repeated blocks that each hold an author and a date. The families are data (selectors and
patterns); one engine applies them. A comment's parent is the nearest comment element above it
in the tree, or the comment just before a ``children`` list or ``indented`` block that is its
sibling (WordPress.com, Drupal),
or, where the markup is flat, the one its ``depth-N`` class or indent points to.

What the reader could not place it reports as ``Problem``s: a comments section with no comment
read, a declared count that differs, blocks skipped and why, a year taken from the article, the
generic rule used. Times come from machine-readable attributes (in UTC, and the Thread says so)
when every dated comment has one, else from the visible text with the text reader's date rules.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from commentscope.errors import InputError, ParseError
from commentscope.model import Article, Diagnostics, Problem, Thread
from commentscope.parallel import in_processes, spare_cores
from commentscope.readers import html_pieces, layout
from commentscope.readers.ids import spelled_id
from commentscope.readers.records import build_tree
from commentscope.readers.registry import OwnedBytes, ReadOptions

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

INSTALL = "pip install 'commentscope[html]'"
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


@dataclass(frozen=True)
class Family:
    """One markup family: where its comments are and where each comment keeps its parts.

    ``own`` finds a comment's own part (without its replies) among the element's descendants;
    ``authors``, ``dates`` and ``texts`` are tried in order inside it. ``parent`` says how the tree
    is read: ``nest`` from the elements' nesting, ``indent`` from an indent attribute.
    """

    name: str
    items: str
    own: str | None = None
    authors: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    #: removed from a comment before its text is taken (the parts read, and furniture)
    header: tuple[str, ...] = ()
    parent: str = "nest"
    #: the element holding a comment's depth (``indent``)
    indent: str | None = None
    #: a link to the comment answered (``#its-id``), where the markup says so rather than nests
    reply_to: str | None = None
    #: the tags and class of a replies' container that sits beside its parent comment rather
    #: than inside it (WordPress.com's ``ul.children``, Drupal's ``div.indented``)
    beside: tuple[tuple[str, ...], str] = (("ul", "ol"), "children")
    #: the items' class is common (``div.comment``): the family holds a page only when most of its
    #: items hold a name or date part of its own
    needs_parts: bool = False


#: Never a comment's words: avatars, Reply / Edit / Like links, moderation notices, scripts.
FURNITURE = (
    "img, svg, script, style, noscript, template, button, iframe, object, embed, .reply, .comment-reply,"
    " .comment-reply-link, .comment-edit-link, .edit-link, .comment-awaiting-moderation, .comment-likes,"
    " .comment-actions, .says, .comment-like-link, .w-comments-item-answer, .reply-link, .flat-list.buttons,"
    " .reply_link, .comhead .navs, .u-in-reply-to"
)

FAMILIES: tuple[Family, ...] = (
    Family(
        "wordpress",
        items="li.comment, li.pingback, li.trackback, .w-comments-item",
        own="article, .comment-body, .comment-wrap, .comment-container",
        authors=(
            ".fn",
            ".comment-author-name",
            ".w-comments-item-author",
            "[itemprop=author] [itemprop=name]",
            "p.comment-author span",
            "cite.comment-author",
            ".comment-author",
            "footer cite, header cite, .comment-meta cite, .comment-header cite",
        ),
        dates=(
            "time[datetime]",
            ".comment-metadata",
            ".commentmetadata",
            "time",
            ".comment-time",
            ".w-comments-item-date",
            ".comment-date",
            ".comment_date",
            ".datetime",
            ".comment-meta a",
        ),
        texts=(".comment-content", ".comment-text", ".contenttext", ".w-comments-item-text", "[itemprop=text]"),
        header=(
            ".comment-author",
            ".comment-meta",
            ".comment-metadata",
            ".commentmetadata",
            ".comment-header",
            ".w-comments-item-author",
            ".w-comments-item-date",
            ".comment_postinfo",
        ),
    ),
    Family(
        "reddit",
        items="div.thing.comment",
        own="div.entry",
        authors=("a.author",),
        dates=("time[datetime]",),
        texts=("div.md",),
    ),
    Family(
        "hackernews",
        items="tr.athing.comtr",
        authors=("a.hnuser",),
        dates=("span.age[title]", "span.age"),
        texts=(".commtext",),
        parent="indent",
        indent="td.ind",
    ),
    Family(
        "microdata",
        items="[itemtype$='schema.org/Comment']",
        authors=("[itemprop=author] [itemprop=name]", "[itemprop=author]"),
        dates=("[itemprop=dateCreated]", "[itemprop=datePublished]"),
        texts=("[itemprop=text]",),
    ),
    Family(
        "microformats2",
        items=".h-entry .h-entry, .h-entry .h-cite, .p-comment",
        authors=(".p-author .p-name", ".p-author"),
        dates=(".dt-published",),
        texts=(".e-content", ".p-content", ".p-summary"),
        reply_to=".u-in-reply-to",
    ),
    Family(
        "drupal-and-movable-type",
        items="article.comment, div.comment",
        own=".comment-inner, .inner",
        authors=(".comment__author", ".username", ".vcard.author", ".comment-author", ".author"),
        dates=(
            "time[datetime]",
            "abbr.published[title]",
            ".comment__time",
            ".comment-time",
            ".submitted",
            ".comment-date",
            ".published",
        ),
        texts=(
            ".field--name-comment-body",
            ".field-name-comment-body",
            ".comment-content",
            ".comment-text",
            ".content",
        ),
        header=(".comment__meta", ".comment-header", ".comment-submitted", ".attribution", ".asset-meta"),
        beside=(("div",), "indented"),
        needs_parts=True,
    ),
)

#: A comment's own element id, read as the site's id: "comment-421882" -> "421882" (also
#: ``li-comment-5``, reddit's ``t1_abc``, Blogger's ``c7123``).
_PAGE_ID = re.compile(r"(?:(?:^|[-_])(?:comment|t1)[-_]?|^c(?=[0-9]+$))([0-9A-Za-z]+)$")
_DEPTH_CLASS = re.compile(r"(?:^|\s)depth-(\d+)(?:\s|$)")
_SAYS = re.compile(r"\s*(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)
_NAME_ON_DATE = re.compile(r"^(?P<author>.+?)\s+on\s+(?P<date>.+?)\s+(?:said|says|wrote)\s*:?$", re.IGNORECASE)
_HEADER_PARTS = re.compile(r"\s*(?:[|·•]|\s[—–-]\s|\s{3,})\s*")
_STOCK_WORDS = frozenset({"reply", "edit", "report", "permalink", "link", "share", "like", "quote"})
_DECLARED = re.compile(
    r"(\d[\d,.]*|one|no)\s+(?:comments?|responses?|thoughts?|replies|reactions?|opinions?)\b", re.IGNORECASE
)
_COUNT_WORDS = {"one": 1, "no": 0}
_PUBLISHED_CANDIDATES = 20
_DECLARED_AT = (
    ".comments-title, .comment-reply-title + h2, #comments-title, .commentsheader, h2#comments, h3#comments,"
    " #comments > h2, #comments > h3, .comments-area > h2, .comments-area > h3, .entry-comments > h3"
)
_CONTAINERS = ".comment-list, .commentlist, ol.comments, ul.comments, .comments-list, #comments ol, #comments ul"
#: The characters ``str.split()`` splits at, but the space (tests/readers/test_html_text.py checks the list).
_SPACE_BUT_BLANK = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_BREAK = "\x01"  # where a <br> was, while a comment's text is gathered
#: Between the text nodes ``_plain_text_and_words`` reads: in none of them (the page's NULs are
#: removed, and the parser reads a reference to one as U+FFFD).
_NODES_APART = "\x00"
_BLANK_OR_APART = " " + _NODES_APART
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
#: What the parser reads as a comment node (a comment, ``<!...>``, ``<?...>``, ``</`` and no name);
#: a doctype makes none.
_COMMENT_NODE = re.compile(rb"<(?:!(?![dD][oO][cC][tT][yY][pP][eE])|\?|/[^A-Za-z>])")
_INDENT_PIXELS = 40  # Hacker News's spacer image: 40 pixels a level
#: Elements whose text is a paragraph of its own (or holds paragraphs).
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "main",
        "nav",
        "figure",
        "figcaption",
        "details",
        "summary",
        "address",
        "hr",
        "center",
        "form",
    ]
)
_ARTICLE_BODY = "[itemprop=articleBody], .entry-content, .post-content, .article-body, .article-content"
_ARTICLE = f"{_ARTICLE_BODY}, article, main"
_LIST_TAGS = frozenset({"ul", "ol"})
# Encodings: a byte-order mark, then a declaration in the head; the HTML standard's names for a few.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_DECLARED_BYTES = 8192
_WHATWG = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
}
_SNIFF = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body|meta|title|!--)", re.IGNORECASE
)
_SLASH_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_YEAR_IN = re.compile(r"\b(?:1[89]|2\d)\d{2}\b")
_MONTH_DAY = re.compile(r"^(?P<month>[A-Za-z]{3,9}\.?)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b,?", re.IGNORECASE)
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September")
_MONTH_NAMES += ("October", "November", "December")


def sniff(head: bytes) -> bool:
    """Markup from its first bytes: a doctype, ``<html>``, ``<head>`` and the like."""
    return bool(_SNIFF.match(head))


def read(page: OwnedBytes, source: str, options: ReadOptions) -> list[Thread]:
    """The page's one Thread."""
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        raise InputError(f"reading HTML needs selectolax: {INSTALL}", source=source) from None
    problems: list[Problem] = []
    data = as_utf8(bytes(page.take()), options, source, problems)
    cut = html_pieces.cut(data)
    if cut is None:
        return [_Page(LexborHTMLParser(data), data, source, options, problems).thread()]
    del data  # a big page: its bytes held by the cut alone, let go before the frame is built (_frame)
    try:  # its comments read a piece at a time, if the checks allow
        return [_Page(LexborHTMLParser(cut.outer), cut.data, source, options, list(problems), cut=cut).thread()]
    except html_pieces.Whole:
        return [_Page(LexborHTMLParser(cut.data), cut.data, source, options, problems).thread()]


def source_text(data: bytes, options: ReadOptions) -> str:
    """The page as text in the encoding it declares, for ``check``'s look at the raw input."""
    return as_utf8(data, options, "", []).decode("utf-8", "replace")


def as_utf8(raw: bytes, options: ReadOptions, source: str, problems: list[Problem]) -> bytes:
    """The page as UTF-8, from the encoding it declares (``--encoding`` other than UTF-8 wins);
    bytes that do not decode are shown as U+FFFD and reported, NUL characters removed."""
    from commentscope.readers import _valid_utf8

    encoding, how = _encoding(raw, options)
    if encoding == "utf-8" and _valid_utf8(raw):
        data = raw
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            problems.append(
                Problem(
                    "html_bad_bytes",
                    f"not {how} {encoding} text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
                    "bytes that do not decode are shown as U+FFFD",
                )
            )
            text = raw.decode(encoding, "replace")
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source=source) from None
        data = text.encode("utf-8", "surrogatepass")
    data = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in data:
        problems.append(Problem("html_nul_bytes", f"{data.count(0)} NUL characters removed"))
        data = data.replace(b"\x00", b"")
    return data


def _encoding(raw: bytes, options: ReadOptions) -> tuple[str, str]:
    if options.encoding.replace("-", "").replace("_", "").lower() != "utf8":
        return options.encoding, "--encoding"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return (name if name != "utf-8-sig" else "utf-8"), "byte-order-marked"
    declared = _META_CHARSET.search(raw[:_DECLARED_BYTES])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            codecs.lookup(_WHATWG.get(name, name))
        except LookupError:
            return "utf-8", f"declared {name!r} (unknown), read as"
        return _WHATWG.get(name, name), "declared"
    return "utf-8", "undeclared, read as"


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def text_of(node: LexborNode) -> str:
    """A node's readable text: each block element (a paragraph, a list item, a quote) its own
    paragraph, ``<br>`` a line break, white space inside a line collapsed."""
    return _text_and_words(node)[0]


def _text_and_words(node: LexborNode) -> tuple[str, int]:
    """``text_of`` and its words as ``len(text.split())`` counts them, counted from the split that
    collapses each line's white space, so the text is not split again for the frame. The tree is
    walked with a stack of child iterators, never recursively, so a deep nesting is no risk."""
    ids = _tag_ids()  # lexbor's numbers for the tags: cheaper to read than names
    text, br, comment, blocks = ids.text, ids.br, ids.comment, ids.blocks
    paragraphs: list[str] = []
    run: list[str] = []
    words = 0
    stack = [node.iter(include_text=True)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            words += _end_paragraph(run, paragraphs)
            continue
        tag = child.tag_id
        if tag == text:
            run.append(child.text_content or "")
        elif tag == br:
            run.append(_BREAK)
        elif tag in blocks:
            words += _end_paragraph(run, paragraphs)
            stack.append(child.iter(include_text=True))
        elif tag != comment:
            run.append(child.text() or "")
    return "\n\n".join(paragraphs), words


class _TagIds(NamedTuple):
    text: int
    br: int
    comment: int
    image: int
    blocks: frozenset[int]  # _BLOCK_TAGS
    by_name: dict[str, int]  # each of these tags' number, and the lists'


@functools.cache
def _tag_ids() -> _TagIds:
    """Lexbor's numbers for a text node, a comment node and some tags (every standard tag has
    one fixed number), read off a small page."""
    from selectolax.lexbor import LexborHTMLParser

    page = LexborHTMLParser("<body>x<!--c--></body>")
    ids = {child.tag: child.tag_id for child in page.body.iter(include_text=True)}  # type: ignore[union-attr]
    ids.update((name, page.create_node(name).tag_id) for name in _BLOCK_TAGS | _LIST_TAGS | {"br", "img"})
    return _TagIds(
        ids["-text"],
        ids["br"],
        ids["-comment"],
        ids["img"],
        frozenset(ids[name] for name in _BLOCK_TAGS),
        ids,
    )


def _end_paragraph(run: list[str], paragraphs: list[str]) -> int:
    """The run of text so far as one paragraph (if it holds any), and its words."""
    if not run:
        return 0
    if len(run) == 1 and _BREAK not in run[0]:  # most paragraphs: one run of text
        text = run[0]
        run.clear()
        if not text or text.isspace():  # between the paragraphs
            return 0
        if _collapsed(text):
            paragraphs.append(text)
            return text.count(" ") + 1
        tokens = text.split()
        if tokens:
            paragraphs.append(" ".join(tokens))
        return len(tokens)
    lines = [line.split() for line in "".join(run).split(_BREAK)]
    run.clear()
    block: list[str] = []
    for tokens in [*lines, []]:  # an empty line between breaks (<br><br>, Blogger's) ends a paragraph
        if tokens:
            block.append(" ".join(tokens))
        elif block:
            paragraphs.append("\n".join(block))
            block = []
    return sum(map(len, lines))


def _plain_text_and_words(node: LexborNode) -> tuple[str, int]:
    """``_text_and_words`` of a node whose only elements are paragraphs (``<p>``) and whose text
    nodes are each a paragraph of their own (``_Plain``): its texts taken by one call, not a walk."""
    texts = node.text(separator=_NODES_APART, skip_empty=True)
    if not texts:
        return "", 0
    if _all_collapsed(texts):  # most: each text its own collapsed form, so the paragraphs as they are
        return texts.replace(_NODES_APART, "\n\n"), texts.count(" ") + texts.count(_NODES_APART) + 1
    paragraphs: list[str] = []
    words = 0
    for text in texts.split(_NODES_APART):
        words += _end_paragraph([text], paragraphs)
    return "\n\n".join(paragraphs), words


def _all_collapsed(texts: str) -> bool:
    """Whether every text between the ``_NODES_APART`` in ``texts`` is its own collapsed form
    and holds no ``_BREAK``, for ASCII texts, where every white space but the blank is a control
    character: a few scans of the whole, not a few of each text."""
    return (
        texts.isascii()
        and texts[0] not in _BLANK_OR_APART
        and texts[-1] not in _BLANK_OR_APART
        and "  " not in texts
        and " " + _NODES_APART not in texts
        and _NODES_APART + " " not in texts
        and _NODES_APART * 2 not in texts
        and len(texts.encode().translate(None, _PRINTABLE_ASCII)) == texts.count(_NODES_APART)
    )


class _Plain:
    """Which texts ``_plain_text_and_words`` may read: those whose node holds no element but
    paragraphs (``<p>``) of text, where the tree holds no comment node and nothing was taken out
    of the node or its paragraphs. There no two text nodes stand side by side (a comment node or
    a piece of furniture taken out between two would join them into one paragraph), so each text
    node is a paragraph of its own."""

    def __init__(self, tree: LexborHTMLParser, selectors: list[str], possible: bool, emptied: set[int]) -> None:
        self.possible = possible and bool(selectors)
        self.mixed = set(emptied)  # the elements that held another element (or lost one) a level or two down
        if self.possible:  # one query: an element in a text's node, or in one of its paragraphs
            for node in tree.css(", ".join(f"{selector} > :not(p), {selector} > p > *" for selector in selectors)):
                self.mixed.update(_two_up(node))

    def of(self, node: LexborNode) -> bool:
        return self.possible and node.mem_id not in self.mixed


def _two_up(node: LexborNode) -> list[int]:
    """The ids of a node's parent and its parent's parent."""
    ids = []
    for _ in range(2):
        node = node.parent
        if node is None:
            break
        ids.append(node.mem_id)
    return ids


def _collapsed(text: str) -> bool:
    """Whether a text is its own collapsed form (words one space apart, none at the ends), found
    by scans that cost half of a split and join; most paragraphs are so."""
    return (
        bool(text)
        and text[0] != " "
        and text[-1] != " "
        and "  " not in text
        and (text.isprintable() or not _SPACE_BUT_BLANK.search(text))  # each of those is unprintable
    )


class _Above:
    """The comment a node belongs to: the nearest comment element at or above it, or the one
    just before a ``children`` list or an ``indented`` block that holds it (WordPress.com and
    Drupal put the replies beside their parent). Remembered for every element passed on the way
    up, so that a comment's parts and replies share one walk."""

    def __init__(self, items: dict[int, int], family: Family) -> None:
        self.items = items
        self._known: dict[int, int | None] = dict(items)  # a comment element belongs to itself
        tags, self._beside_class = family.beside
        self._beside_tags = frozenset(_tag_ids().by_name[tag] for tag in tags)

    def of(self, node: LexborNode, include_self: bool = True) -> int | None:
        known, items, beside_tags, beside_class = self._known, self.items, self._beside_tags, self._beside_class
        path: list[int] = []
        current = node if include_self else node.parent
        owner: int | None = None
        while current is not None:
            key = current.mem_id
            if key in known:
                owner = known[key]
                break
            path.append(key)
            if current.tag_id in beside_tags and beside_class in (current.attributes.get("class") or "").split():
                before = current.prev
                while before is not None and not before.is_element_node:
                    before = before.prev
                if before is not None and before.mem_id in items:
                    owner = items[before.mem_id]
                    break
            current = current.parent
        for key in path:
            known[key] = owner
        return owner

    def forget(self) -> None:
        """Let the remembered walks go (a few hundred thousand entries on a big page) once the
        parts are found: the memory they hold counts while the tree is still held."""
        self._known = dict(self.items)


@dataclass
class _Raw:
    """One comment as read, before the frame."""

    page_id: str | None
    parent: int | None  # index of the parent in the list read
    depth: int
    author: str | None  # "" where a name element shows what stands for none ("Anonymous")
    stamp: str | None  # a machine-readable time
    shown: str | None  # the visible date text
    text: str
    kind: str = "comment"
    anchor: str | None = None  # an element id, for the line number
    depth_class: int | None = None  # from a depth-N class
    words: int = 0  # of the text, as len(text.split()) counts them

    @property
    def nameless_and_undated(self) -> bool:
        """No author and no date, machine-readable or shown: only a text can keep such a block."""
        return not self.author and self.shown is None and self.stamp is None


class _PiecesRead(NamedTuple):
    raws: list[tuple[Any, ...]]  # each comment's _Raw fields, in order
    counts: Counter[str]
    problems: list[Problem]


@dataclass
class _Page:
    tree: LexborHTMLParser
    data: bytes
    source: str
    options: ReadOptions
    problems: list[Problem]
    counts: Counter[str] = field(default_factory=Counter)
    #: where the page was cut when ``tree`` is the outer page's (``html_pieces``)
    cut: html_pieces.Cut | None = None
    outer: html_pieces.Outer | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.cut is not None:
            self.outer = html_pieces.check_outer(self.tree, f"{FAMILIES[0].items}, {FURNITURE}")

    def thread(self) -> Thread:
        article = self._article()
        language = self._language()
        raws, family = self._comments_in_pieces() if self.outer is not None else self._comments()
        container = None if raws else self._container()
        del self.tree  # by far the most memory: let it go before the frame is built
        comments, timezone = self._frame(raws, article, language)
        if article.declared_comments is not None and article.declared_comments != len(comments):
            self.problems.append(
                Problem("count_mismatch", f"page declares {article.declared_comments} comments, read {len(comments)}")
            )
        if family == "generic":
            self.problems.append(
                Problem(
                    "html_generic_fallback",
                    f"no known comment markup; {len(comments)} comments read by the generic rule "
                    "(repeated blocks with an author and a date): check them",
                )
            )
        if container is not None:
            self.problems.append(
                Problem(
                    "html_nothing_read",
                    f"a comments section ({container}) is on the page, but no comment could be read from it",
                )
            )
        self.counts["comments_read"] = len(comments)
        return Thread(
            article=article,
            comments=comments,
            problems=self.problems,
            diagnostics=Diagnostics(unit="blocks", counts=self.counts),
            timezone=timezone,
        )

    # --- article -------------------------------------------------------------------------

    def _language(self) -> str:
        root = self.tree.css_first("html")
        return ((root.attributes.get("lang") if root is not None else None) or "").lower()

    def _meta(self, *selectors: str) -> str | None:
        head = self.tree.head or self.tree.root
        for selector in selectors:
            node = head.css_first(selector) if head is not None else None
            if node is not None:
                value = _clean(node.attributes.get("content") or node.attributes.get("href"))
                if value:
                    return value
        return None

    def _first_text(self, selector: str) -> str | None:
        node = self._first(selector)
        return None if node is None else _clean(text_of(self._without_comments(node)))

    def _first(self, selector: str, scope: LexborNode | None = None) -> LexborNode | None:
        """The first element a selector finds in the page (or in ``scope``), as the whole page's
        tree gives it: on the outer page, one found before the comment list (``html_pieces``)."""
        if self.outer is None or (scope is not None and scope.mem_id not in self.outer.chain_ids):
            return (scope or self.tree).css_first(selector)
        found = (scope or self.tree).css_first(f"{selector}, #{html_pieces.SENTINEL_ID}")
        if found is None or found.mem_id == self.outer.sentinel.mem_id:  # the comments may hold the first
            raise html_pieces.Whole
        return found

    def _without_comments(self, node: LexborNode) -> LexborNode:
        """A node whose text is read: on the outer page, never one that holds the comment list."""
        if self.outer is not None and node.mem_id in self.outer.chain_ids:
            raise html_pieces.Whole
        return node

    def _article(self) -> Article:
        title = self._meta("meta[property='og:title']") or self._first_text("h1") or self._first_text("title")
        published_text = self._meta(
            "meta[property='article:published_time']", "meta[itemprop=datePublished]", "meta[name=date]"
        )
        if published_text is None:
            candidates = self._before_comments(
                "article time[datetime], .entry-date[datetime], time.published[datetime]"
            )
            for node in candidates[:_PUBLISHED_CANDIDATES]:  # past the first few, they are comments' times
                if not self._inside_comment(node):
                    published_text = node.attributes.get("datetime")
                    break
            else:
                if self.outer is not None and len(candidates) < _PUBLISHED_CANDIDATES:
                    raise html_pieces.Whole  # the next candidates may be in the comments
        published = None
        if published_text:
            stamp = pd.to_datetime(published_text, utc=True, errors="coerce", format="ISO8601")
            published = None if pd.isna(stamp) else stamp.tz_convert(None)
        declared = None
        header = self._first(_DECLARED_AT)
        if header is not None:
            found = _DECLARED.search(self._without_comments(header).text() or "")
            if found:
                word = found.group(1).lower()
                declared = _COUNT_WORDS[word] if word in _COUNT_WORDS else int(re.sub(r"[,.]", "", word))
        return Article(
            source=self.source,
            title=title,
            byline=self._meta("meta[name=author]") or self._first_text("[rel=author]") or self._first_text(".byline"),
            body=self._body(),
            declared_comments=declared,
            url=self._meta("link[rel=canonical]", "meta[property='og:url']"),
            published=published,
        )

    def _body(self) -> str:
        """The article's text: its marked-up body if it has one, else its ``<article>``."""
        node = self._first(_ARTICLE)
        if node is None or self._inside_comment(node):
            return ""
        node = self._first(_ARTICLE_BODY, node) or node
        return text_of(
            _without(self._without_comments(node), "script, style, noscript, template, svg, form, #comments")
        )

    def _before_comments(self, selector: str) -> list[LexborNode]:
        """Every element a selector finds; on the outer page, those before the comment list."""
        if self.outer is None:
            return self.tree.css(selector)
        found = self.tree.css(f"{selector}, #{html_pieces.SENTINEL_ID}")
        return found[: [node.mem_id for node in found].index(self.outer.sentinel.mem_id)]

    def _inside_comment(self, node: LexborNode) -> bool:
        while node is not None:
            classes = node.attributes.get("class") or ""
            if node.attributes.get("id") in ("comments", "respond") or "comment" in classes.split():
                return True
            node = node.parent
        return False

    def _container(self) -> str | None:
        for node in self.tree.css(_CONTAINERS):
            if node.css_first("li") is not None:
                return node.tag + "".join(f".{name}" for name in (node.attributes.get("class") or "").split())
        if self.tree.css_first("#disqus_thread") is not None:
            return "#disqus_thread, filled by a script the saved page does not run"
        return None

    # --- comments ------------------------------------------------------------------------

    def _comments(self) -> tuple[list[_Raw], str | None]:
        for family in FAMILIES:
            items = _distinct(self.tree.css(family.items))
            if items and (not family.needs_parts or _hold_parts(family, items)):
                self.counts["comment_blocks"] = len(items)
                return self._read_family(family, items), family.name
        raws = self._json_ld()
        if raws:
            return raws, "jsonld"
        items = self._generic_items()
        if items:
            self.counts["comment_blocks"] = len(items)
            return self._read_family(_GENERIC, items), "generic"
        return [], None

    def _read_family(self, family: Family, items: list[LexborNode]) -> list[_Raw]:
        """Every comment of one family."""
        raws, indents = self._read_tree(self.tree, family, items, _COMMENT_NODE.search(self.data) is None)
        return self._settle(family, raws, indents)

    def _comments_in_pieces(self) -> tuple[list[_Raw], str | None]:
        """The comments as ``_comments`` finds them in the whole page, read from the page's
        comment list a piece at a time (``html_pieces``), the pieces shared among the cores; only
        WordPress's lists are cut."""
        assert self.cut is not None and self.outer is not None
        family = FAMILIES[0]
        if self.tree.css_first(family.items) is not None:  # comments outside the list too
            raise html_pieces.Whole
        self.counts["comment_blocks"] = 0
        self.counts["furniture"] += len(self.tree.css(FURNITURE))  # the outer page's, not taken out
        around = self.outer.opening_tags()
        shares = np.array_split(np.arange(self.cut.count), min(spare_cores(self.options.processes), self.cut.count))
        read = functools.partial(self._read_pieces, around)
        raws: list[_Raw] = []
        for part in in_processes(read, [range(share[0], share[-1] + 1) for share in shares]):
            offset = len(raws)
            for fields in part.raws:
                raw = _Raw(*fields)
                raw.parent = None if raw.parent is None else raw.parent + offset
                raws.append(raw)
            self.counts.update(part.counts)
            self.problems += part.problems
        if not raws:
            raise html_pieces.Whole
        return self._settle(family, raws, []), family.name

    def _read_pieces(self, around: bytes, which: range) -> _PiecesRead:
        """The comments of some of the pieces, with what reading them counted and found (kept apart
        from the page's own, as the part may be read in a forked child)."""
        from selectolax.lexbor import LexborHTMLParser

        assert self.cut is not None and self.outer is not None
        family = FAMILIES[0]
        counts, problems = self.counts, self.problems
        self.counts, self.problems = Counter(), []
        try:
            raws: list[_Raw] = []
            for piece in self.cut.pieces(around, which):
                tree = LexborHTMLParser(piece)
                html_pieces.check_piece(tree, self.outer)
                items = _distinct(tree.css(family.items))
                self.counts["comment_blocks"] += len(items)
                offset = len(raws)
                plain = _COMMENT_NODE.search(piece, len(html_pieces.DOCTYPE)) is None
                for raw in self._read_tree(tree, family, items, plain)[0]:
                    raw.parent = None if raw.parent is None else raw.parent + offset
                    raws.append(raw)
                del tree, items  # a node keeps its tree
            if not self.options.texts:  # their words are counted: nothing reads them (ReadOptions.texts)
                for raw in raws:
                    if not raw.nameless_and_undated:  # else its text is what keeps it (``_settle``)
                        raw.text = ""
            # as tuples: pickled back from a forked part in a third of the time that objects take
            return _PiecesRead([tuple(vars(raw).values()) for raw in raws], self.counts, self.problems)
        finally:
            self.counts, self.problems = counts, problems

    def _read_tree(
        self, tree: LexborHTMLParser, family: Family, items: list[LexborNode], plain: bool
    ) -> tuple[list[_Raw], list[int | None]]:
        """The comments of one family in a tree, as read, and their indents. The tree is searched
        by a few selector queries over the whole of it (each costs about as much as any other),
        not a query per comment: furniture first (taken out), then each part's choices in order,
        the next one queried only while some comment still lacks that part. ``plain``: the tree's
        markup holds no comment node (``_Plain``)."""
        index_of = {item.mem_id: index for index, item in enumerate(items)}
        owners = _Above(index_of, family)
        nested = family.parent == "nest"
        parents = [owners.of(item, include_self=False) if nested else None for item in items]
        indents = [self._indent(item, family) for item in items] if family.parent == "indent" else []
        if family.reply_to:
            parents = self._replies_to(items, family.reply_to, parents, owners)
        emptied = self._remove_furniture(tree)
        fields = (family.authors, family.dates, family.texts)
        found: list[list[LexborNode | None]] = [[None] * len(items) for _ in fields]
        queried: list[str] = []
        for place, choices in enumerate(fields):
            for selector in choices:
                if all(node is not None for node in found[place]):
                    break
                queried.append(selector)
                for node in tree.css(selector):
                    owner = owners.of(node)
                    if owner is not None and found[place][owner] is None:
                        found[place][owner] = node
        owners.forget()
        authors, dates, texts = found
        plain_texts = _Plain(tree, [selector for selector in queried if selector in family.texts], plain, emptied)
        raws: list[_Raw | None] = [None] * len(items)
        for index, item in enumerate(items):
            attributes = item.attributes
            classes = attributes.get("class") or ""
            kind = "trackback" if "trackback" in classes else "pingback" if "pingback" in classes else "comment"
            author = _author(authors[index])
            stamp = None if dates[index] is None else _stamp(dates[index])
            shown = None
            if dates[index] is None and author is not None:  # "Name January 5, 2021 at 3:04 pm" in one element
                found = _name_and_date(author, names_only=True)
                if found:
                    author, shown = found
            if kind == "pingback" and not author:
                link = item.css_first("a")
                author = _clean(link.text()) if link is not None else None
            depth_match = _DEPTH_CLASS.search(classes)
            raws[index] = _Raw(
                page_id=_page_id(attributes),
                parent=parents[index],
                depth=0,
                author=author,
                stamp=stamp,
                shown=shown,
                text="",
                kind=kind,
                anchor=attributes.get("id"),
                depth_class=int(depth_match.group(1)) - 1 if depth_match else None,
            )
        if any(raw.stamp is None and node is not None for raw, node in zip(raws, dates, strict=True) if raw):
            # not every time is machine-readable: the visible ones are read for all (see _times)
            for raw, node in zip(raws, dates, strict=True):
                if raw is not None and node is not None:
                    raw.shown = _clean(node.text())
        # Texts last to first, so that a reply nested in its parent's element is read and taken
        # out before the parent's text is.
        for index in range(len(items) - 1, -1, -1):
            raw, item = raws[index], items[index]
            assert raw is not None
            body = texts[index]
            plain = body is not None and plain_texts.of(body)  # a text part: only its own text there
            if body is None:
                body = self._own(item, family, owners)
                if raw.page_id is None:
                    raw.page_id = _page_id(body.attributes)
                    raw.anchor = raw.anchor or body.attributes.get("id")
                if authors[index] is None and dates[index] is None and raw.kind == "comment":
                    author, shown, header = self._header_line(body, index_of)
                    raw.author, raw.shown = author, shown
                    if header is not None:
                        header.decompose()
                else:
                    for part in (authors[index], dates[index]):
                        if part is not None:
                            part.decompose()
                    if family.header:  # one query for all the header's parts, outermost last
                        for node in reversed(body.css(", ".join(family.header))):
                            if owners.of(node) == index:
                                node.decompose()
            raw.text, raw.words = _plain_text_and_words(body) if plain else _text_and_words(body)
            if raw.parent is not None:
                item.decompose()
        return [raw for raw in raws if raw is not None], indents

    def _settle(self, family: Family, raws: list[_Raw], indents: list[int | None]) -> list[_Raw]:
        """The comments kept (an empty block is skipped, unless it holds replies), parents and depths."""
        kept: list[int | None] = []
        result: list[_Raw] = []
        for index, raw in enumerate(raws):
            empty = raw.nameless_and_undated and not raw.text
            if empty and raw.kind == "comment" and not (index + 1 < len(raws) and raws[index + 1].parent == index):
                kept.append(None)
                self._skip(raw.anchor, "holds no author, date or text")
                continue
            # a deleted comment that still holds replies keeps its place
            raw.parent = None if raw.parent is None else kept[raw.parent]
            kept.append(len(result))
            result.append(raw)
        if family.parent == "indent":
            self._parents_from_indent(indents, result, kept)
        else:
            self._link_parents(result)
        return result

    @staticmethod
    def _replies_to(
        items: list[LexborNode], selector: str, parents: list[int | None], owners: _Above
    ) -> list[int | None]:
        """Parents from ``in-reply-to`` links to another comment's id, where there are any."""
        index_by_id = {item.attributes.get("id"): index for index, item in enumerate(items)}
        result = list(parents)
        for index, item in enumerate(items):
            link = item.css_first(selector)
            mine = link is not None and owners.of(link) == index
            target = (link.attributes.get("href") or "") if mine and link is not None else ""
            if target.startswith("#") and index_by_id.get(target[1:], index) < index:
                result[index] = index_by_id[target[1:]]
        return result

    def _remove_furniture(self, tree: LexborHTMLParser) -> set[int]:
        """Avatars, Reply and Edit links, moderation notices, scripts, styles, forms and images
        out of the page once its article has been read, counted; the ids of the elements they
        were taken out of and of those elements' parents (``_Plain``). The pieces go last to
        first, so that a piece inside another goes before it."""
        pieces = tree.css(FURNITURE)
        image = _tag_ids().image
        emptied: set[int] = set()
        for node in reversed(pieces):
            if node.tag_id != image:  # an image has no text to take out
                emptied.update(_two_up(node))
                node.decompose()
        self.counts["furniture"] += len(pieces)
        return emptied

    def _skip(self, anchor: str | None, reason: str) -> None:
        self.counts["skipped_blocks"] += 1
        name = anchor or "without an id"
        self.problems.append(Problem("html_skipped", f"comment block {name} skipped: {reason}", self._line(anchor)))

    @staticmethod
    def _own(item: LexborNode, family: Family, owners: _Above) -> LexborNode:
        """The part of a comment's element that holds it without its replies, else the element."""
        if family.own:
            own = item.css_first(family.own)
            if own is not None and owners.of(own, include_self=False) == owners.items[item.mem_id]:
                return own
        return item

    def _link_parents(self, raws: list[_Raw]) -> None:
        """Depths from the parents; flat markup (no comment inside another) nests by its
        ``depth-N`` classes, each comment answering the last one a level up."""
        flat = all(raw.parent is None for raw in raws) and any(raw.depth_class for raw in raws)
        last_at: dict[int, int] = {}
        for index, raw in enumerate(raws):
            wanted = raw.depth_class
            if flat and wanted:
                raw.parent = last_at.get(wanted - 1)
                if raw.parent is None:
                    self.problems.append(
                        Problem(
                            "orphan_reply",
                            f"comment {raw.anchor} has no comment above it at depth {wanted - 1}; kept as top level",
                            self._line(raw.anchor),
                        )
                    )
            raw.depth = 0 if raw.parent is None else raws[raw.parent].depth + 1
            if wanted is not None and wanted != raw.depth and not flat:
                self.problems.append(
                    Problem(
                        "html_depth_mismatch",
                        f"comment {raw.anchor} is nested at depth {raw.depth} but its class says depth-{wanted + 1}",
                        self._line(raw.anchor),
                    )
                )
            last_at = {level: at for level, at in last_at.items() if level < raw.depth}
            last_at[raw.depth] = index

    @staticmethod
    def _indent(item: LexborNode, family: Family) -> int:
        """Hacker News: a row's depth, from its indent cell's attribute or its spacer's width."""
        cell = item.css_first(family.indent or "")
        if cell is None:
            return 0
        indent = cell.attributes.get("indent") or ""
        if indent.isdigit():
            return int(indent)
        spacer = cell.css_first("img[width]")
        width = (spacer.attributes.get("width") or "") if spacer is not None else ""
        return int(width) // _INDENT_PIXELS if width.isdigit() else 0

    @staticmethod
    def _parents_from_indent(indents: list[int], raws: list[_Raw], kept: list[int | None]) -> None:
        """Each row answers the last row one level up."""
        last_at: dict[int, int] = {}
        for depth, raw_index in zip(indents, kept, strict=True):
            if raw_index is None:
                continue
            depth = min(depth, len(last_at))
            raw = raws[raw_index]
            raw.depth = depth
            raw.parent = last_at.get(depth - 1) if depth else None
            last_at = {level: index for level, index in last_at.items() if level < depth}
            last_at[depth] = raw_index

    def _header_line(
        self, own: LexborNode, index_of: dict[int, int]
    ) -> tuple[str | None, str | None, LexborNode | None]:
        """A custom header: name, date and Reply on one line, or ``Name on DATE said:``."""
        child = own.child
        while child is not None:
            if child.is_element_node and child.mem_id not in index_of:
                line = _clean(child.text())
                if line:
                    found = _name_and_date(line)
                    return (*found, child) if found else (None, None, None)
            child = child.next
        return None, None, None

    # --- JSON-LD and the generic rule ------------------------------------------------------

    def _json_ld(self) -> list[_Raw]:
        raws: list[_Raw] = []
        by_id: dict[str, int] = {}
        pending: list[tuple[int, str]] = []
        for script in self.tree.css("script[type='application/ld+json']"):
            try:
                data = json.loads(script.text() or "null")
            except ValueError:
                self.problems.append(Problem("html_bad_json_ld", "a JSON-LD block is not valid JSON; skipped"))
                continue
            stack: list[tuple[Any, int | None]] = [(data, None)]
            found: list[tuple[dict[str, Any], int | None]] = []
            while stack:  # depth-first, in document order
                value, parent = stack.pop()
                if isinstance(value, list):
                    stack.extend((entry, parent) for entry in reversed(value))
                elif isinstance(value, dict):
                    types = value.get("@type")
                    is_comment = "Comment" in (types if isinstance(types, list) else [types])
                    if is_comment:
                        found.append((value, parent))
                        raws.append(_json_ld_raw(value, parent))
                        me = len(raws) - 1
                        if isinstance(value.get("@id"), str):
                            by_id[value["@id"]] = me
                        reply_to = value.get("parentItem")
                        reply_to = reply_to.get("@id") if isinstance(reply_to, dict) else reply_to
                        if isinstance(reply_to, str):
                            pending.append((me, reply_to))
                        stack.extend((child, me) for child in reversed(_as_list(value.get("comment"))))
                    else:
                        stack.extend((child, parent) for child in reversed(list(value.values())))
        for me, reply_to in pending:
            if reply_to in by_id:
                raws[me].parent = by_id[reply_to]
        for raw in raws:
            raw.depth = 0 if raw.parent is None else raws[raw.parent].depth + 1
        self.counts["comment_blocks"] = len(raws)
        return raws

    def _generic_items(self) -> list[LexborNode]:
        """Blocks that each hold an author-like and a date-like element, repeated: the most common
        kind (tag and class) of the nearest ``li``, ``article`` or ``div`` above a ``time`` that also
        holds an author-like element, if it repeats. Each element is walked up a few levels only,
        so the rule stays linear however deep the page nests."""
        near_authors: set[int] = set()
        for node in self.tree.css(", ".join(_GENERIC.authors)):
            for _ in range(_GENERIC_LEVELS):
                node = node.parent
                if node is None:
                    break
                near_authors.add(node.mem_id)
        blocks: dict[tuple[str, str], list[LexborNode]] = {}
        for node in self.tree.css("time"):
            for _ in range(_GENERIC_LEVELS):
                node = node.parent
                if node is None:
                    break
                if node.tag in ("li", "article", "div") and node.mem_id in near_authors:
                    key = (node.tag or "", node.attributes.get("class") or "")
                    blocks.setdefault(key, []).append(node)
                    break
        if not blocks:
            return []
        found = _distinct(max(blocks.values(), key=len))
        if len(found) < 2:
            return []
        # In page order, as every family's items are: a block found from a later time element can
        # hold an earlier one (broken markup nests them so), and a parent must come before its replies.
        order = {node.mem_id: place for place, node in enumerate(self.tree.css("li, article, div"))}
        return sorted(found, key=lambda node: order[node.mem_id])

    # --- the frame -------------------------------------------------------------------------

    def _line(self, anchor: str | None) -> int | None:
        """The line of the element with this id (an unquoted or single-quoted id is found too)."""
        if not anchor:
            return None
        key = anchor.encode()
        for spelled in (b'"' + key + b'"', b"'" + key + b"'", b"=" + key):
            offset = self.data.find(b"id=" + spelled if spelled[0] != 61 else b"id" + spelled)
            if offset >= 0:
                return self.data.count(b"\n", 0, offset) + 1
        return None

    def _lines(self, anchors: list[str | None]) -> list[int]:
        """Lines of many elements in document order, in one pass: each found after the one before,
        and a comment without an id given the line of the one before it."""
        lines, line, at = [], 1, 0
        for anchor in anchors:
            if anchor:
                key = anchor.encode()
                offset = self.data.find(b'id="' + key + b'"', at)
                if offset < 0:
                    offset = self.data.find(b"id='" + key + b"'", at)
                if offset >= 0:
                    line += self.data.count(b"\n", at, offset)
                    at = offset
            lines.append(line)
        return lines

    def _frame(self, raws: list[_Raw], article: Article, language: str) -> tuple[pd.DataFrame, str | None]:
        count = len(raws)
        self._report_missing_parts(raws)
        timestamps, timezone = self._times(raws, article, language)
        page_ids = [raw.page_id for raw in raws]
        use_page_ids = all(page_ids) and len(set(page_ids)) == count
        lines = self._lines([raw.anchor for raw in raws])
        if self.cut is not None:  # read in pieces: the page's bytes are the biggest thing left
            self.data = self.cut.data = b""
        texts = [raw.text for raw in raws] if self.options.texts else [""] * count  # see _read_pieces
        tree = build_tree(np.array([-1 if raw.parent is None else raw.parent for raw in raws], dtype=np.int64))
        if use_page_ids:
            ids = [spelled_id(ident) for ident in page_ids]  # type: ignore[arg-type]
            numbers = pd.array([None] * count, dtype="Int64")
        else:  # the textpage way: top level by position from 1, replies parent.k
            top = tree.parent < 0
            tops = np.cumsum(top)
            ids = tree.paths(tops).to_pylist()
            numbers = pd.array(tops, dtype="Int64")
            numbers[~top] = pd.NA
        frame = pd.DataFrame(
            {
                "id": pd.array(ids, dtype=_STR),
                "parent_id": pd.array([None if raw.parent is None else ids[raw.parent] for raw in raws], dtype=_STR),
                "depth": tree.depth,
                "position": tree.position,
                "number": numbers,
                "author": _strings([raw.author or None for raw in raws]),
                "timestamp": timestamps,
                "text": _strings(texts),
                "words": np.array([raw.words for raw in raws], dtype=np.int64),
                "line": np.array(lines, dtype=np.int64),
                "kind": pd.array([raw.kind for raw in raws], dtype=_STR),
            }
        )
        return frame, timezone  # readers.load_threads puts it in the schema (records.conform)

    def _report_missing_parts(self, raws: list[_Raw]) -> None:
        """A theme whose date or name element no family rule knows: said, never left silently
        empty. Comments without a date are reported, and a page on which no comment has a name."""
        comments = [
            raw for raw in raws if raw.kind == "comment" and (raw.author or raw.words or raw.stamp or raw.shown)
        ]
        undated = [raw for raw in comments if not (raw.stamp or raw.shown)]
        if undated:
            self.problems.append(
                Problem(
                    "html_dates_not_found",
                    f"{len(undated)} of {len(raws)} comments show no date the reader could find; their times are empty",
                    self._line(undated[0].anchor),
                )
            )
        if len(comments) > 1 and all(raw.author is None for raw in comments):
            self.problems.append(
                Problem(
                    "html_names_not_found",
                    f"none of the {len(comments)} comments shows a name the reader could find: all read as anonymous",
                    self._line(comments[0].anchor),
                )
            )

    def _times(self, raws: list[_Raw], article: Article, language: str) -> tuple[np.ndarray, str | None]:
        """Machine-readable times (in UTC when they carry a zone) when every dated comment has
        one, else the visible dates read like the text reader's."""
        result = np.full(len(raws), np.datetime64("NaT", "us"), dtype="datetime64[us]")
        dated = [index for index, raw in enumerate(raws) if raw.stamp or raw.shown]
        if not dated:
            return result, None
        if all(raws[index].stamp for index in dated):
            stamps = [raws[index].stamp or "" for index in dated]
            zoned = all(_ZONED.search(stamp) for stamp in stamps)
            if not zoned:  # some without a zone: every time as its clock shows it
                stamps = [_ZONED.sub("", stamp) for stamp in stamps]
            # utc=True throughout, so that zones left in odd stamps cannot mix: naive stamps keep their clock
            parsed = pd.to_datetime(pd.Series(stamps), utc=True, errors="coerce", format="ISO8601").dt.tz_convert(None)
            if parsed.notna().all():
                result[dated] = parsed.to_numpy().astype("datetime64[us]")
                return result, "UTC" if zoned else None
        from commentscope.readers.dates import parse_dates  # here: most pages' times need none of its patterns

        shown = [raws[index].shown or raws[index].stamp or "" for index in dated]
        shown, assumed = _complete_dates(shown, article, language, self.problems)
        parsed_shown = parse_dates(shown)
        if article.published is None:  # a date without a year, and no article date to take one from
            for index, text in enumerate(shown):
                if not _YEAR_IN.search(text) and not np.isnat(parsed_shown[index]):  # the year was guessed
                    parsed_shown[index] = np.datetime64("NaT", "us")
                    shown[index] = f"{text} (no year, and the page gives no date of its own)"
        if assumed and article.published is not None:
            # a comment a few days into the next year: its date falls before the article's
            day = np.datetime64(article.published.floor("D"), "us")
            early = [index for index in assumed if parsed_shown[index] < day]
            for index in early:
                parsed_shown[index] = np.datetime64(pd.Timestamp(parsed_shown[index]) + pd.DateOffset(years=1), "us")
        result[dated] = parsed_shown
        for index, value, text in zip(dated, parsed_shown, shown, strict=True):
            if np.isnat(value):
                line = self._line(raws[index].anchor)
                if not self.options.lenient:
                    raise ParseError(f"cannot read the date {_quoted(text)}", source=self.source, line=line)
                self.problems.append(Problem("unreadable_date", f"cannot read the date {_quoted(text)}", line))
        return result, None


def _quoted(text: str) -> str:
    """A date as messages show it: quoted, with any note after it outside the quotes."""
    date, note, rest = text.partition(" (no year")
    return repr(date) + (f" ({note.strip(' (')}{rest}" if note else "")


def _complete_dates(
    shown: list[str], article: Article, lang: str, problems: list[Problem]
) -> tuple[list[str], list[int]]:
    """Numeric dates spelled out, day first when a day above 12 comes first on the page (or,
    with none either way, when the page's language is not US English); the article's year
    added where a date shows none (the next one for a date before the article's)."""
    numeric = [_SLASH_DATE.search(text) for text in shown]
    firsts = [int(found.group(1)) for found in numeric if found]
    seconds = [int(found.group(2)) for found in numeric if found]
    day_first = bool(firsts) and (
        any(first > 12 for first in firsts)
        or (not any(second > 12 for second in seconds) and bool(lang) and lang not in ("en-us", "en"))
    )
    completed = []
    for text, found in zip(shown, numeric, strict=True):
        if found:
            day, month = (found.group(1), found.group(2)) if day_first else (found.group(2), found.group(1))
            if 1 <= int(month) <= 12:
                text = text.replace(found.group(0), f"{_MONTH_NAMES[int(month) - 1]} {int(day)}, {found.group(3)}")
        completed.append(text)
    missing_year = [index for index, text in enumerate(completed) if not _YEAR_IN.search(text)]
    if missing_year and article.published is not None:
        year = article.published.year
        for index in missing_year:
            completed[index] = _MONTH_DAY.sub(
                lambda m: f"{m.group('month')} {m.group('day')}, {year}", completed[index], count=1
            )
        problems.append(
            Problem(
                "html_year_assumed",
                f"{len(missing_year)} comment dates show no year; taken from the article's date ({year}, "
                "or the next year for a date before it)",
            )
        )
        return completed, missing_year
    return completed, []


_GENERIC_LEVELS = 4
_ZONED = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_GENERIC = Family(
    "generic",
    items="",
    authors=("[class*=author]", "[class*=user]", "[class*=name]", "cite", "[rel=author]"),
    dates=("time[datetime]", "time"),
    texts=("[class*=content]", "[class*=text]", "[class*=body]"),
    header=("[class*=author]", "[class*=meta]", "time"),
)


def _distinct(nodes: list[LexborNode]) -> list[LexborNode]:
    """Nodes once each, in document order: a group selector returns a node once per selector it matches."""
    seen: set[int] = set()
    return [node for node in nodes if not (node.mem_id in seen or seen.add(node.mem_id))]


def _strings(values: list[str | None]) -> pd.api.extensions.ExtensionArray:
    return pd.arrays.ArrowStringArray(pa.array(values, pa.large_string()), dtype=_STR)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _json_ld_raw(value: dict[str, Any], parent: int | None) -> _Raw:
    author = value.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    identifier = value.get("@id") or value.get("url") or value.get("identifier")
    page_id = None
    if isinstance(identifier, str):
        found = _PAGE_ID.search(identifier.rsplit("#", 1)[-1])
        page_id = found.group(1) if found else identifier
    stamp = value.get("dateCreated") or value.get("datePublished")
    text = value.get("text") or value.get("commentText") or ""
    text, words = _markup_text(text) if isinstance(text, str) else ("", 0)
    return _Raw(
        page_id=page_id,
        parent=parent,
        depth=0,
        author=_clean(author) if isinstance(author, str) else None,
        stamp=stamp if isinstance(stamp, str) else None,
        shown=None,
        text=text,
        words=words,
    )


def _markup_text(markup: str) -> tuple[str, int]:
    """The text of a fragment of markup (JSON-LD's ``text`` may hold some), and its words."""
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(markup).body
    return ("", 0) if body is None else _text_and_words(body)


def _hold_parts(family: Family, items: list[LexborNode]) -> bool:
    """Whether most items hold one of the family's name or date parts."""
    parts = ", ".join((*family.authors, *family.dates))
    return 2 * sum(item.css_first(parts) is not None for item in items) > len(items)


def _name_and_date(line: str, names_only: bool = False) -> tuple[str | None, str] | None:
    """A header line's author (as ``_named`` gives it) and date: ``Name | date | Reply``,
    ``Name on DATE said:``, and, where the line is a name element's (``names_only``), ``Name
    date`` with no sign between them; None when it holds no date."""
    from commentscope.readers.dates import looks_like_date  # here: its patterns are slow to compile

    found = _NAME_ON_DATE.match(line)
    if found and looks_like_date(found.group("date")):
        return _named(found.group("author")), found.group("date")
    parts = [part for part in _HEADER_PARTS.split(line) if part and part.lower() not in _STOCK_WORDS]
    for place, part in enumerate(parts):
        if looks_like_date(part):  # with the parts after it that it goes on into ("May 1, 2020 - 3:04 pm")
            end = next(end for end in range(len(parts), place, -1) if looks_like_date(" ".join(parts[place:end])))
            return _named(" ".join(parts[:place])), " ".join(parts[place:end])
    words = [word for word in line.split() if word.lower() not in _STOCK_WORDS] if names_only else []
    for cut in range(1, len(words)):  # "Name January 5, 2021 at 3:04 pm": no sign between them
        if looks_like_date(" ".join(words[cut:])):
            return _named(" ".join(words[:cut])), " ".join(words[cut:])
    return None


def _named(text: str) -> str | None:
    """A name as read; "" for what a site shows in place of one ("Anonymous": a name element
    found, which the frame leaves empty), None for none."""
    name = _clean(_SAYS.sub("", text))
    return "" if name is not None and name.lower() in layout.NOT_A_NAME else name


def _author(node: LexborNode | None) -> str | None:
    return None if node is None else _named(node.text() or "")


def _stamp(node: LexborNode) -> str | None:
    """A machine-readable time on a node or in it: ``datetime``, ``content``, HN's ``title``."""
    value = _machine_time(node)
    if value is None:
        inner = node.css_first("time[datetime]")  # only where the node itself holds none
        value = None if inner is None else _machine_time(inner)
    return value


def _machine_time(node: LexborNode) -> str | None:
    attributes = node.attributes
    value = attributes.get("datetime") or attributes.get("content") or attributes.get("title")
    if value:
        value = value.split()[0] if "T" in value else value
        if _ISO_DAY.match(value):
            return value
    return None


def _page_id(attributes: dict[str, str | None]) -> str | None:
    """The site's id of a comment from its element's attributes."""
    ident = attributes.get("id") or attributes.get("data-fullname")
    if not ident:
        return None
    found = _PAGE_ID.search(ident)
    if found:
        return found.group(1)
    return ident if ident.isdigit() else None


def _without(node: LexborNode, selector: str) -> LexborNode:
    """A copy of a node with some descendants taken out (the page keeps them)."""
    copy = node.clone()
    for unwanted in reversed(copy.css(selector)):
        unwanted.decompose()
    return copy
