"""Write a Pushshift-style reddit dump: one comment object per line, grouped into threads by link_id.

    python benchmarks/generate_dump.py 1000000 2000 benchmarks/out/RC_dump.ndjson [--zst]

Same arguments and ``--seed``, same bytes. Threads get a share of the comments that falls off
with their rank (a few big threads, many small ones); a comment answers the post (30%) or an
earlier comment of its thread; lines come in time order, as the monthly dumps do.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

WORDS = [
    "the",
    "a",
    "tide",
    "harbour",
    "ferry",
    "bread",
    "oven",
    "council",
    "bridge",
    "plot",
    "garden",
    "rain",
    "wind",
    "spring",
    "note",
    "calendar",
    "time",
    "today",
    "really",
    "think",
    "agree",
    "source",
    "link",
    "update",
    "edit",
    "thanks",
    "because",
    "maybe",
    "never",
    "always",
    "water",
    "market",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("comments", type=int)
    parser.add_argument("threads", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--zst", action="store_true", help="also write OUTPUT.zst")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    weights = 1.0 / np.arange(1, args.threads + 1) ** 0.8
    thread_of = rng.choice(args.threads, size=args.comments, p=weights / weights.sum())
    seen = np.zeros(args.threads, dtype=np.int64)  # comments so far in each thread
    count_in = np.empty(args.comments, dtype=np.int64)
    for i, t in enumerate(thread_of):  # the k-th comment of its thread
        count_in[i] = seen[t]
        seen[t] += 1
    order_in = np.argsort(thread_of, kind="stable")  # comment numbers of each thread, in order
    starts = np.concatenate([[0], np.cumsum(seen)])
    top = (rng.random(args.comments) < 0.3) | (count_in == 0)
    pick = (rng.random(args.comments) * np.maximum(count_in, 1)).astype(np.int64)
    parent = np.where(top, -1, order_in[starts[thread_of] + pick])
    authors = rng.zipf(1.6, size=args.comments) % 20000
    lengths = rng.integers(3, 60, size=args.comments)
    words = rng.integers(0, len(WORDS), size=int(lengths.sum()))
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    created = 1_650_000_000 + np.sort(rng.integers(0, 30 * 86400, size=args.comments))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        for i in range(args.comments):
            body = " ".join(WORDS[w] for w in words[offsets[i] : offsets[i + 1]])
            row = {
                "id": _base36(i + 1_000_000),
                "parent_id": f"t3_{_base36(int(thread_of[i]) + 10_000)}"
                if top[i]
                else f"t1_{_base36(int(parent[i]) + 1_000_000)}",
                "link_id": f"t3_{_base36(int(thread_of[i]) + 10_000)}",
                "author": f"user{authors[i]}",
                "created_utc": int(created[i]),
                "body": body,
                "score": int(rng.integers(-5, 100)),
                "subreddit": "benchmarks",
            }
            out.write(json.dumps(row) + "\n")
    if args.zst:
        import zstandard

        with args.output.open("rb") as plain, open(f"{args.output}.zst", "wb") as packed:
            zstandard.ZstdCompressor(level=3).copy_stream(plain, packed)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, digit = divmod(number, 36)
        out = digits[digit] + out
    return out or "0"


if __name__ == "__main__":
    main()
