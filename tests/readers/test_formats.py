"""Each data format's sample, read through the front door: detected by content, its exact trees."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from commentscope.model import COMMENT_SCHEMA, validate_comments
from commentscope.readers import load_threads, registry

FORMATS = Path(__file__).resolve().parent.parent.parent / "samples" / "formats"

# file -> reader, then per Thread: key -> [(id, parent_id, depth, author, kind)] in page order
EXPECTED: dict[str, tuple[str, dict[str | None, list[tuple[str, str | None, int, str | None, str]]]]] = {
    "comments.csv": (
        "table",
        {
            None: [
                ("a1", None, 0, "Rosa Lind", "comment"),
                ("a2", "a1", 1, "Karl Ek", "comment"),
                ("a3", "a2", 2, None, "comment"),
                ("a4", None, 0, "Mei Tan", "comment"),
            ]
        },
    ),
    "wordpress.xml": (
        "wxr",
        {
            "12": [
                ("c31", None, 0, "Omar Hadid", "comment"),
                ("c32", "c31", 1, "marta", "comment"),
                ("c35", "c32", 2, None, "comment"),
                ("c34", None, 0, "Garden Blog", "pingback"),
            ],
            "15": [("c40", None, 0, "Lena Fischer", "comment")],
        },
    ),
    "disqus.xml": (
        "disqus",
        {
            "9001": [
                ("c5001", None, 0, "Ines Calder", "comment"),
                ("c5002", "c5001", 1, "Harbour Times", "comment"),
                ("c5003", "c5001", 1, "Someone", "deleted"),
                ("c5004", "c5003", 2, "Pat Reyes", "comment"),
            ],
            "9002": [("c5006", None, 0, "Ines Calder", "comment")],
        },
    ),
    "reddit_thread.json": (
        "reddit",
        {
            "1ab2cd": [
                ("k1", None, 0, "crumbcoat", "comment"),
                ("k2", "k1", 1, "loafwright", "comment"),
                ("k3", "k1", 1, None, "deleted"),
                ("k4", "k3", 2, "millstone", "comment"),
                ("k5", None, 0, "sourdough_sam", "comment"),
            ]
        },
    ),
    "pushshift.ndjson": (
        "pushshift",
        {
            "p1": [
                ("c1", None, 0, "tidewatcher", "comment"),
                ("c2", "c1", 1, "gullfriend", "comment"),
                ("c4", "c2", 2, "tidewatcher", "comment"),
                ("c3", None, 0, None, "deleted"),  # its parent t1_c9 is not in the file
            ],
            "p2": [("d1", None, 0, "dunehopper", "comment"), ("d2", "d1", 1, "ferryman", "comment")],
        },
    ),
    "hn_algolia.json": (
        "hackernews",
        {
            "4100": [
                ("c4101", None, 0, "ada_r", "comment"),
                ("c4103", "c4101", 1, "quietcompiler", "comment"),
                ("c4104", "c4101", 1, None, "deleted"),
                ("c4105", "c4104", 2, "tmoss", "comment"),
                ("c4102", None, 0, "brindle", "comment"),
            ]
        },
    ),
    "hn_firebase.jsonl": (
        "hackernews",
        {
            "8800": [
                ("c8801", None, 0, "pmora", "comment"),
                ("c8802", "c8801", 1, "lindqvist", "comment"),
                ("c8803", None, 0, None, "deleted"),
                ("c8804", "c8803", 1, "okonkwo", "comment"),
            ]
        },
    ),
    "youtube_api.json": (
        "youtube",
        {
            "vid42": [
                ("UgzA1", None, 0, "@kilnkeeper", "comment"),
                ("UgzA1.r1", "UgzA1", 1, "@pottery_with_june", "comment"),
                ("UgzA1.r2", "UgzA1", 1, "@kilnkeeper", "comment"),
                ("UgzB2", None, 0, "@slowhands", "comment"),
            ]
        },
    ),
    "youtube_downloader.jsonl": (
        "youtube",
        {
            None: [
                ("Ugw1", None, 0, "@mapleleaf", "comment"),
                ("Ugw1.a", "Ugw1", 1, "@crumbly", "comment"),
                ("Ugw1.b", "Ugw1", 1, "@newbaker", "comment"),
                ("Ugw2", None, 0, "@tunehunter", "comment"),
            ]
        },
    ),
    "convokit/utterances.jsonl": (
        "convokit",
        {
            "u1": [
                ("u1", None, 0, "mira", "comment"),
                ("u2", "u1", 1, "tobias", "comment"),
                ("u3", "u2", 2, "mira", "comment"),
            ],
            "u4": [("u4", None, 0, "hollis", "comment"), ("u5", "u4", 1, "tobias", "comment")],
        },
    ),
}


def _tree(thread) -> list[tuple]:
    frame = thread.comments
    return [
        (
            row.id,
            None if pd.isna(row.parent_id) else row.parent_id,
            row.depth,
            None if pd.isna(row.author) else row.author,
            row.kind,
        )
        for row in frame.itertuples()
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_is_detected_by_content_and_gives_its_exact_trees(name: str) -> None:
    path = FORMATS / name
    reader, trees = EXPECTED[name]
    assert registry.detect(path.read_bytes()[: registry.SNIFF_BYTES], "unnamed").name == reader
    threads = load_threads(str(path))
    sources = [str(path) if key is None else f"{path}#{key}" for key in trees]
    assert [thread.source for thread in threads] == sources
    for thread, key in zip(threads, trees, strict=True):
        assert _tree(thread) == trees[key]
        assert thread.timezone == (None if reader == "table" else "UTC")  # a CSV's naive times stay as written
        assert list(thread.comments.columns) == list(COMMENT_SCHEMA)
        assert [str(t) for t in thread.comments.dtypes] == [
            "str" if d == "str" else d for d, _ in COMMENT_SCHEMA.values()
        ]
        assert thread.comments["position"].tolist() == list(range(len(thread.comments)))
        validate_comments(thread.comments)


def test_wordpress_keeps_the_article_uses_gmt_and_counts_what_it_left_out() -> None:
    first, second = load_threads(str(FORMATS / "wordpress.xml"))
    assert first.article.title == "Water Butts for Every Plot"
    assert first.article.byline == "marta"
    assert first.article.url == "https://allotments.example.org/2023/04/water-butts/"
    assert first.article.body == "The committee has ordered forty water butts.\n\nCollection is on Saturday."
    assert first.article.published == pd.Timestamp("2023-04-02 08:00")
    comments = first.comments.set_index("id")
    assert comments.loc["c31", "timestamp"] == pd.Timestamp("2023-04-02 09:15")  # _gmt, not the local 10:15
    assert comments.loc["c31", "text"] == "Can I collect two? My plot is a double.\nThanks!"
    assert comments.loc["c34", "text"] == "[…] the allotment society is handing out water butts […]"
    assert first.problems == [] and second.problems == []
    assert (first.diagnostics.unit, dict(first.diagnostics.counts)) == ("records", {"read": 4, "spam": 1})
    assert dict(second.diagnostics.counts) == {"read": len(second.comments), "trashed": 1}
    assert comments.loc["c32", "author_id"] == "1" and pd.isna(comments.loc["c31", "author_id"])


def test_disqus_threads_carry_their_title_link_and_spam_count() -> None:
    ferry, market = load_threads(str(FORMATS / "disqus.xml"))
    assert (ferry.article.title, ferry.article.url) == (
        "New Ferry Timetable from June",
        "https://harbourtimes.example.net/ferry-timetable",
    )
    assert ferry.comments["timestamp"].iloc[0] == pd.Timestamp("2024-05-20 08:12")
    assert (
        ferry.comments["text"].iloc[0] == "The 7:40 sailing is gone. That was the only one that got me to work on time."
    )
    assert ferry.problems == [] and market.problems == []
    assert dict(ferry.diagnostics.counts) == {"read": len(ferry.comments), "spam": 1}
    assert ferry.diagnostics.adds_up is True


def test_reddit_more_stubs_are_counted_as_missing_replies() -> None:
    (thread,) = load_threads(str(FORMATS / "reddit_thread.json"))
    assert thread.article.title == "What is the best bread to bake at altitude?"
    assert thread.comments["timestamp"].iloc[0] == pd.Timestamp(1700000600, unit="s")
    assert [(p.kind, p.message) for p in thread.problems] == [
        ("missing_replies", "2 repl(ies) not in the file: reddit sent 1 'more' stub(s) in their place")
    ]


def test_pushshift_orphan_is_kept_top_level_and_reported() -> None:
    first, second = load_threads(str(FORMATS / "pushshift.ndjson"))
    assert [(p.kind, p.line) for p in first.problems] == [("missing_parent", 3)]
    assert "'c9'" in first.problems[0].message
    assert second.problems == []


def test_pushshift_zst_reads_the_same_as_plain(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    plain = (FORMATS / "pushshift.ndjson").read_bytes()
    packed = tmp_path / "RC_2022-04.zst"
    packed.write_bytes(zstandard.ZstdCompressor().compress(plain))
    got = load_threads(str(packed))
    want = load_threads(str(FORMATS / "pushshift.ndjson"))
    assert [t.source.split("#")[1] for t in got] == ["p1", "p2"]
    for a, b in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(a.comments, b.comments)


def test_hacker_news_texts_are_html_read_as_text() -> None:
    (algolia,) = load_threads(str(FORMATS / "hn_algolia.json"))
    texts = dict(zip(algolia.comments["id"], algolia.comments["text"], strict=True))
    assert texts["c4103"] == "Yes, CalDAV and ICS links.\n\nExchange is next."
    assert texts["c4105"] == "What did they say? Now I'm curious & confused."
    assert algolia.article.title == "Show HN: A calendar that only shows free time"
    (firebase,) = load_threads(str(FORMATS / "hn_firebase.jsonl"))
    assert firebase.article.title == "Ask HN: How do you keep notes across machines?"
    assert firebase.problems == []


def test_youtube_api_times_become_utc_and_the_downloader_uses_time_parsed() -> None:
    (api,) = load_threads(str(FORMATS / "youtube_api.json"))
    assert api.comments["timestamp"].tolist()[2] == pd.Timestamp("2023-09-02 06:30")  # +02:00 made UTC
    (downloaded,) = load_threads(str(FORMATS / "youtube_downloader.jsonl"))
    assert downloaded.comments["timestamp"].iloc[0] == pd.Timestamp(1650000000, unit="s")


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_namespaces_read_the_same(tmp_path: Path, version: str) -> None:
    text = (FORMATS / "wordpress.xml").read_text(encoding="utf-8")
    older = tmp_path / "export.xml"
    older.write_text(text.replace("wordpress.org/export/1.2/", f"wordpress.org/export/{version}/"), encoding="utf-8")
    got, want = load_threads(str(older)), load_threads(str(FORMATS / "wordpress.xml"))
    assert [_tree(thread) for thread in got] == [_tree(thread) for thread in want]
