"""Write a synthetic comment page of N comments, for benchmarks.

Usage: python benchmarks/generate.py N out.txt [--seed S] [--chain | --star]

Default shape: top-level comments newest first, replies under them oldest first and
nested up to a dozen levels, about 20% anonymous, one to four paragraphs each, a few
heavy commenters and many light ones. ``--chain`` is one reply chain N deep and
``--star`` one comment with N-1 direct replies. Each comment goes through
``commentscope.page_generator.comment_lines`` and straight to the file, so the format has one
definition and a 200k-comment page never sits in memory. The same N and seed give the
same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from commentscope.model import Article, empty_comments
from commentscope.page_generator import FOOTER, comment_lines, write_page

MAX_DEPTH = 12
ANONYMOUS = 0.2
HEAVY_COMMENTERS = 12
HEAVY_SHARE = 0.3
START = dt.datetime(2024, 3, 1, 8, 0)


def _words(text: str) -> list[str]:
    return text.split()


_FIRST = _words(
    "Anna Ben Chloé Dmitri Eve Farid Greta Hugo Ines José Kai Lena Marta Nils Olu Priya Quinn Rosa Sven"
    " Tomás Uma Vic Wen Xavier Yara Zoë"
)
_LAST = _words(
    "Abbott Brennan Castro Dubois Eriksen Fischer García Hansen Ibáñez Jensen Kowalski Larsen Moreau"
    " Novak O’Brien Petrov Quist Rossi Silva Tanaka Ueda Varga Weber Xu Young Zimmermann"
)
_WORDS = _words(
    "the a of and to in is that it was for on are as with they be at one have this from or had by word"
    " but what some we can out other were all there when up use your how said an each she which do their"
    " time if will way about many then them write would like so these her long make thing see him two has"
    " look more day could go come did number sound no most people my over know water than call first who"
    " may down side been now find council housing budget policy minister report evidence argument article"
    " author point question answer fact don’t isn’t “really” ‘quite’ — – … café naïve déjà façade résumé"
    " coöperate"
)


def author_names(count: int) -> Iterator[str]:
    """Distinct plausible names; past first x last combinations a number tells them apart."""
    for index in range(count):
        first = _FIRST[index % len(_FIRST)]
        last = _LAST[(index // len(_FIRST)) % len(_LAST)]
        round_ = index // (len(_FIRST) * len(_LAST))
        yield f"{first} {last}" + (f" {round_ + 1}" if round_ else "")


class Comments:
    """Random authors and bodies from one seeded generator."""

    def __init__(self, total: int, rng: random.Random) -> None:
        self.rng = rng
        names = list(author_names(HEAVY_COMMENTERS + max(50, total // 3)))
        self.heavy, self.light = names[:HEAVY_COMMENTERS], names[HEAVY_COMMENTERS:]

    def author(self) -> str | None:
        roll = self.rng.random()
        if roll < ANONYMOUS:
            return None
        pool = self.heavy if roll < ANONYMOUS + HEAVY_SHARE else self.light
        return pool[self.rng.randrange(len(pool))]

    def text(self) -> str:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            words = rng.choices(_WORDS, k=rng.randint(10, 80))
            words[0] = words[0].capitalize()
            paragraphs.append(" ".join(words) + rng.choice(".?!"))
        return "\n\n".join(paragraphs)


def depths(total: int, rng: random.Random, shape: str) -> Iterator[int]:
    """Depth of each comment in page order: a random tree, a chain or a star."""
    if shape == "chain":
        yield from range(total)
        return
    if shape == "star":
        yield 0
        yield from (1 for _ in range(total - 1))
        return
    previous = -1
    for _ in range(total):
        if previous < 0 or rng.random() < 0.3:
            depth = 0
        else:
            # Mostly one level down or a sibling; sometimes back up a few levels.
            depth = min(MAX_DEPTH, max(1, previous + rng.choice((1, 1, 1, 1, 0, 0, -1, -3))))
        previous = depth
        yield depth


def page(total: int, seed: int, shape: str = "tree") -> Iterator[str]:
    """The page text in pieces: article, header, comments, footer."""
    rng = random.Random(seed)
    shape_depths = list(depths(total, rng, shape))  # ints only: ~8 bytes a comment
    top_level = shape_depths.count(0)
    article = Article(
        source="generated",
        title=f"A generated thread of {total} comments",
        byline="Bench Mark",
        body="An article body.\n\nA second paragraph of it.",
    )
    yield write_page(article, empty_comments(), header=False).removesuffix(FOOTER + "\n")
    yield f"{total} comments for “{article.title}\n\n"
    comments = Comments(total, rng)
    number = top_level
    posted = START
    for depth in shape_depths:
        if depth == 0:
            posted = START + dt.timedelta(minutes=7 * number)  # newest first, replies later than their parent
            written_number: int | None = number
            number -= 1
        else:
            posted += dt.timedelta(minutes=rng.randint(0, 30))
            written_number = None
        yield from comment_lines(depth, written_number, comments.author(), posted, comments.text())
    yield FOOTER + "\n"


def write(total: int, out: Path, seed: int = 1, shape: str = "tree") -> Path:
    """Stream the page to ``out`` and return it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as file:
        file.writelines(page(total, seed, shape))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic comment page of N comments.")
    parser.add_argument("n", type=int, help="number of comments")
    parser.add_argument("out", type=Path, help="file to write")
    parser.add_argument("--seed", type=int, default=1)
    shapes = parser.add_mutually_exclusive_group()
    shapes.add_argument("--chain", action="store_const", const="chain", dest="shape", help="one reply chain N deep")
    shapes.add_argument(
        "--star", action="store_const", const="star", dest="shape", help="one comment with N-1 direct replies"
    )
    args = parser.parse_args()
    write(args.n, args.out, args.seed, args.shape or "tree")


if __name__ == "__main__":
    main()
