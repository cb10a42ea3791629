"""Write a synthetic WordPress page (the core HTML5 comment walker) of N comments, for benchmarks.

Usage: python benchmarks/generate_html.py N out.html [--seed S]

The comments nest up to ten levels in ``ol.children``, about 20% are anonymous, each has one to
four paragraphs, an avatar, a ``time[datetime]`` and a Reply link; a header, a sidebar before and
a sidebar and footer after stand around them, as on a real page. Authors, depths and bodies come
from ``generate.py``'s seeded generator, so the same N and seed give the same bytes, and the page
is streamed to the file, never held whole.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
from collections.abc import Iterator
from pathlib import Path

from generate import START, Comments, depths

MAX_DEPTH = 9  # depth 0 to 9: ten levels
SIDEBAR_LINKS = 40


def _sidebar(rng: random.Random, name: str) -> str:
    links = "".join(
        f'<li><a href="/archive/{rng.randrange(10_000)}/">Archive entry {index}</a></li>'
        for index in range(SIDEBAR_LINKS)
    )
    widget = f'<section class="widget"><h2>Recent posts</h2><ul>{links}</ul></section>'
    return f'<aside class="widget-area {name}">{widget}</aside>\n'


def _comment(cid: int, depth: int, author: str | None, posted: dt.datetime, text: str) -> str:
    name = html.escape(author) if author else "Anonymous"
    who = (
        f'<b class="fn"><a href="https://example.org/~{cid}" class="url">{name}</a></b>'
        if author
        else '<b class="fn">Anonymous</b>'
    )
    body = "".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in text.split("\n\n"))
    stamp = posted.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    shown = posted.strftime("%B %-d, %Y at %-I:%M %p").replace("AM", "am").replace("PM", "pm")
    return (
        f'<li id="comment-{cid}" class="comment even depth-{depth + 1}">\n'
        f'<article id="div-comment-{cid}" class="comment-body">\n'
        '<footer class="comment-meta"><div class="comment-author vcard">'
        f'<img alt="" src="https://example.org/avatar/{cid}.png" class="avatar avatar-50 photo" height="50" width="50">'
        f'{who} <span class="says">says:</span></div>\n'
        f'<div class="comment-metadata"><a href="#comment-{cid}"><time datetime="{stamp}">{shown}</time></a></div>'
        "</footer>\n"
        f'<div class="comment-content">{body}</div>\n'
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="#comment-{cid}">Reply</a></div>\n'
        "</article>\n"
    )


def page(total: int, seed: int) -> Iterator[str]:
    """The page in pieces: head, sidebar, article, the comment list, sidebar, footer."""
    rng = random.Random(seed)
    shape = [min(depth, MAX_DEPTH) for depth in depths(total, rng, "tree")]
    title = f"A generated thread of {total} comments"
    yield (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title} – Example Blog</title>"
        f'<meta property="og:title" content="{title}">'
        '<link rel="canonical" href="https://example.org/generated/">'
        '<meta property="article:published_time" content="2024-03-01T07:00:00+00:00">'
        '<meta name="author" content="Bench Mark">'
        "<style>.comment { margin: 0 }</style></head>\n<body>\n"
        '<header class="site-header"><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header>\n'
    )
    yield _sidebar(rng, "before")
    yield (
        f'<main><article class="post"><h1 class="entry-title">{title}</h1>'
        '<div class="entry-content"><p>An article body.</p><p>A second paragraph of it.</p></div></article>\n'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{total} thoughts on “{title}”</h2>\n'
        '<ol class="comment-list">\n'
    )
    comments = Comments(total, rng)
    posted = START
    open_depth = -1  # depth of the innermost comment whose <li> is still open
    for cid, depth in enumerate(shape, start=1):
        if depth > open_depth + 1:  # the shape never skips a level, but the cap above may flatten it
            depth = open_depth + 1
        if depth > open_depth and depth > 0:  # the first reply to the comment above
            yield '<ol class="children">\n'
        while open_depth >= depth:
            yield "</li>\n" if open_depth == depth else "</li>\n</ol>\n"
            open_depth -= 1
        posted += dt.timedelta(minutes=rng.randint(0, 30))
        yield _comment(cid, depth, comments.author(), posted, comments.text())
        open_depth = depth
    while open_depth >= 0:
        yield "</li>\n" if open_depth == 0 else "</li>\n</ol>\n"
        open_depth -= 1
    yield "</ol>\n</div></main>\n"
    yield _sidebar(rng, "after")
    yield '<footer class="site-footer"><p>Example Blog. Powered by a generator.</p></footer>\n</body></html>\n'


def write(total: int, out: Path, seed: int = 1) -> Path:
    """Stream the page to ``out`` and return it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as file:
        file.writelines(page(total, seed))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic WordPress HTML page of N comments.")
    parser.add_argument("n", type=int, help="number of comments")
    parser.add_argument("out", type=Path, help="file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
