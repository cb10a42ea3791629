import math

import numpy as np
import pytest

from commentscope.analysis import STATS_GROUPS, h_index, structural_virality, thread_stats
from commentscope.model import Article, empty_comments

ARTICLE = Article(source="page.txt", title="A title", byline="By Someone", declared_comments=9)


def test_small_thread_by_hand(small):
    stats = thread_stats(small, ARTICLE)
    assert list(stats) == [
        "source", "title", "byline", "declared_comments", "comments", "top_level", "replies",
        "pingbacks", "anonymous", "commenters", "max_depth", "mean_depth", "h_index", "structural_virality",
        "largest_subthread", "first_comment", "last_comment", "span_hours",
        "median_reply_delay_minutes", "words_total", "words_median", "busiest_day", "busiest_hour",
        "busiest_hour_comments", "busiest_hour_of_day", "busiest_hour_of_day_comments",
        "top_commenter", "comments_per_commenter", "top2_share", "new_commenters_per_hour",
        "reentry_share", "median_reentry_minutes", "longest_exchange", "mutual_dyads", "reciprocity",
        "reply_delay_p10_minutes", "reply_delay_p25_minutes", "reply_delay_p75_minutes",
        "reply_delay_p90_minutes", "reply_delay_log10_spread", "median_first_reply_minutes",
        "replies_within_hour_share", "replies_within_day_share", "gini_comments", "top10pct_share",
        "one_time_share",
    ]  # fmt: skip
    assert stats == {
        "source": "page.txt",
        "title": "A title",
        "byline": "By Someone",
        "declared_comments": 9,
        "comments": 8,
        "top_level": 3,
        "replies": 5,
        "pingbacks": 0,
        "anonymous": 2,
        "commenters": 3,  # Ann, Bob, Cat
        "max_depth": 2,
        "mean_depth": 0.875,  # depths 0+1+2+2+1+0+1+0 = 7, over 8
        # levels 1, 2, 3 hold 3, 3, 2 comments: level 2 holds >= 2, level 3 holds < 3
        "h_index": 2,
        # subtree sizes 5,3,1,1,1,2,1,1 under an article root, n = 9:
        # sum of 2·s·(9−s) = 40 + 36 + 5·16 + 28 = 184, over 9·8 = 72 ordered pairs
        "structural_virality": round(184 / 72, 4),
        "largest_subthread": 5,  # comment 1 with 1.1, 1.1.1, 1.1.2, 1.2
        "first_comment": small["timestamp"][0],
        "last_comment": small["timestamp"][6],
        "span_hours": round(24 + 10 / 60, 4),  # 24 Jan 07:00 to 25 Jan 07:10; comment 3 has no date
        "median_reply_delay_minutes": 60.0,  # delays 60, 30, 60, 180, 10
        "words_total": 15,
        "words_median": 1.5,  # 1,1,1,1,2,2,3,4
        "busiest_day": "2019-01-24",  # 5 dated comments against 2
        "busiest_hour": "2019-01-24 08:00",  # the first of the clock hours holding two comments
        "busiest_hour_comments": 2,
        "busiest_hour_of_day": 7,  # 07:00, 07:00, 07:10, over both days
        "busiest_hour_of_day_comments": 3,
        "top_commenter": "Bob",  # 3 comments
        # named comments: Ann 2, Bob 3, Cat 1
        "comments_per_commenter": 2.0,
        "top2_share": round(5 / 6, 4),
        "new_commenters_per_hour": round(2 / 3, 4),  # arrivals 07:00, 08:00, 10:00
        "reentry_share": round(2 / 3, 4),  # Ann and Bob
        # dated returns: Ann 07:00 -> 08:30 (90), Bob 08:00 -> next day 07:10 (1390); undated 3 has no time
        "median_reentry_minutes": 740.0,
        "longest_exchange": 3,  # 1 Ann, 1.1 Bob, 1.1.1 Ann
        "mutual_dyads": 0,
        "reciprocity": 0.5,
        # delays 10, 30, 60, 60, 180
        "reply_delay_p10_minutes": 18.0,  # 10 + 0.4 * 20
        "reply_delay_p25_minutes": 30.0,
        "reply_delay_p75_minutes": 60.0,
        "reply_delay_p90_minutes": 132.0,  # 60 + 0.6 * 120
        "reply_delay_log10_spread": round(math.log10(132 / 18), 4),
        "median_first_reply_minutes": 35.0,  # 1 -> 1.1 after 60, 2 -> 2.1 after 10
        "replies_within_hour_share": 0.8,
        "replies_within_day_share": 1.0,
        "gini_comments": round(2 * 14 / 18 - 4 / 3, 4),  # sorted 1, 2, 3: Σ i·x = 14
        "top10pct_share": 0.5,  # Bob, the top 1 of 3: 3 / 6
        "one_time_share": round(1 / 3, 4),
    }
    assert type(stats["max_depth"]) is int and type(stats["busiest_hour_of_day"]) is int


def test_groups_cover_every_key_once_in_order(small):
    keys = [key for group in STATS_GROUPS.values() for key in group]
    assert sorted(keys) == sorted(thread_stats(small, ARTICLE))
    assert list(STATS_GROUPS) == [
        "article", "discussion shape", "people", "time", "participation", "back-and-forth", "reply times", "inequality",
    ]  # fmt: skip


def test_empty_thread():
    stats = thread_stats(empty_comments(), Article(source="empty.txt"))
    counts = {"comments", "top_level", "replies", "pingbacks", "anonymous", "commenters", "h_index"}
    counts |= {"largest_subthread"}
    counts |= {"longest_exchange", "mutual_dyads"}
    assert {key: stats[key] for key in counts} == dict.fromkeys(counts, 0)
    assert stats["words_total"] == 0
    others = set(stats) - counts - {"source", "words_total"}
    assert {key: stats[key] for key in others} == dict.fromkeys(others, None)


@pytest.mark.parametrize(
    ("depths", "expected"),
    [
        ([], 0),
        ([0], 1),  # level 1 holds 1
        ([0, 0, 0], 1),  # nothing at level 2
        ([0, 1, 1], 2),  # level 2 holds 2
        ([0, 0, 0, 1, 1, 2, 2], 2),  # level 3 holds 2 < 3
        ([0, 0, 0, 1, 1, 1, 2, 2, 2], 3),
        ([0, 1, 1, 1, 1, 1], 2),  # the largest level that qualifies, not the first failure
        ([0, 1, 2, 2, 2, 3], 3),  # level 2 holds only 1 but level 3 holds 3
    ],
)
def test_h_index(depths, expected):
    assert h_index(np.asarray(depths, dtype=np.int64)) == expected


def test_structural_virality_of_a_star_and_a_chain(build):
    # star: article + 3 top-level comments. Unordered distances: 3 of 1 (root-leaf),
    # 3 of 2 (leaf-leaf): 9 / 6 pairs = 1.5
    star = build([(str(k), None, "A", None, "x") for k in (1, 2, 3)])
    assert thread_stats(star, ARTICLE)["structural_virality"] == 1.5
    # chain: article - 1 - 1.1 - 1.1.1, a path of 4 nodes: distances 1,1,1,2,2,3 = 10 / 6
    chain3 = build([("1", None, "A", None, "x"), ("1.1", "1", "B", None, "x"), ("1.1.1", "1.1", "A", None, "x")])
    assert thread_stats(chain3, ARTICLE)["structural_virality"] == round(10 / 6, 4)
    assert structural_virality(np.array([], dtype=np.int64)) is None
    # one comment: the only pair is article-comment, distance 1
    assert structural_virality(np.array([1])) == 1.0


def test_corpus_virality_is_the_mean_over_pages(corpus):
    frame = corpus(
        {
            "star": [(str(k), None, "A", None, "x") for k in (1, 2, 3)],  # 1.5
            "chain": [("1", None, "A", None, "x"), ("1.1", "1", "B", None, "x"), ("1.1.1", "1.1", "A", None, "x")],
        }
    )
    stats = thread_stats(frame, Article(source="corpus"))
    assert stats["structural_virality"] == round((1.5 + 10 / 6) / 2, 4)
    assert stats["comments"] == 6
    assert stats["largest_subthread"] == 3
    assert stats["h_index"] == 1  # levels hold 4, 1, 1


def test_ties(build):
    frame = build(
        [
            ("1", None, "Zed", "2019-01-02 05:00", "x"),
            ("2", None, "Amy", "2019-01-02 09:00", "x"),
            ("3", None, "Amy", "2019-01-01 09:00", "x"),
            ("4", None, "Zed", "2019-01-01 05:00", "x"),
            ("5", None, None, "2019-01-01 04:00", "x"),
            ("6", None, None, "2019-01-01 04:10", "x"),
            ("7", None, None, "2019-01-01 04:20", "x"),
        ]
    )
    stats = thread_stats(frame, ARTICLE)
    # anonymous comments are 3 people, never a top commenter; Zed and Amy tie on 2, Zed came first
    assert stats["top_commenter"] == "Zed"
    # 5 comments on the 1st, 2 on the 2nd
    assert stats["busiest_day"] == "2019-01-01"
    # hours 4 (x3), 5 (x2), 9 (x2)
    assert (stats["busiest_hour"], stats["busiest_hour_comments"]) == ("2019-01-01 04:00", 3)
    assert (stats["busiest_hour_of_day"], stats["busiest_hour_of_day_comments"]) == (4, 3)
    only_anonymous = build([("1", None, None, "2019-01-01 04:00", "x")])
    assert thread_stats(only_anonymous, ARTICLE)["top_commenter"] is None


def test_top_commenter_tie_without_dates_goes_to_page_order(build):
    frame = build([("1", None, "Zed", None, "x"), ("2", None, "Amy", None, "x")])
    assert thread_stats(frame, ARTICLE)["top_commenter"] == "Zed"


def test_reply_delay_skips_unknown_times(build):
    frame = build(
        [
            ("1", None, "A", "2019-01-01 10:00", "x"),
            ("1.1", "1", "B", None, "x"),
            ("1.1.1", "1.1", "A", "2019-01-01 12:00", "x"),  # parent undated
            ("1.2", "1", "C", "2019-01-01 10:45", "x"),
        ]
    )
    assert thread_stats(frame, ARTICLE)["median_reply_delay_minutes"] == 45.0


def test_deep_chain(make_chain):
    stats = thread_stats(make_chain(3000), ARTICLE)
    assert stats["max_depth"] == 2999
    assert stats["largest_subthread"] == 3000
    assert stats["h_index"] == 1  # every level holds one comment
    # a path of n = 3001 nodes: mean distance (n + 1) / 3
    assert math.isclose(stats["structural_virality"], 3002 / 3, abs_tol=1e-4)
    assert stats["mean_depth"] == 1499.5


def test_wide_star(make_star):
    stats = thread_stats(make_star(50_000), ARTICLE)
    n = 50_001
    # root-leaf pairs at distance 1, leaf-leaf pairs at distance 2
    expected = (50_000 * 1 + 50_000 * 49_999 / 2 * 2) / (n * (n - 1) / 2)
    assert stats["structural_virality"] == round(expected, 4)
    assert stats["largest_subthread"] == 1
    assert stats["h_index"] == 1
    assert stats["commenters"] == 1
    assert stats["span_hours"] == round(49_999 / 60, 4)


def test_a_frame_held_in_arrow_chunks_gives_the_same_stats(small):
    import pandas as pd
    import pyarrow as pa

    chunked = pd.concat([small.iloc[:2], small.iloc[2:]], ignore_index=True)
    assert isinstance(pa.array(chunked["id"]), pa.ChunkedArray)
    assert thread_stats(chunked, ARTICLE) == thread_stats(small, ARTICLE)
