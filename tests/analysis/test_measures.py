import numpy as np
import pytest

from commentscope.analysis.measures import MEASURE_GROUPS, literature_measures
from commentscope.analysis.network import reciprocity, reply_network
from commentscope.analysis.stats import thread_rows


def measures(frame):
    return literature_measures(thread_rows(frame))[0]


def exchange(frame) -> int:
    return measures(frame)["longest_exchange"]


def reply_chain(authors, build, minutes=None):
    """A chain 1 <- 1.1 <- 1.1.1 ... written by ``authors`` in turn; ``minutes`` after 00:00 each (or undated)."""
    rows, parent = [], None
    for k, author in enumerate(authors):
        cid = "1" if parent is None else parent + ".1"
        when = None if minutes is None else f"2020-01-01 {minutes[k] // 60:02d}:{minutes[k] % 60:02d}"
        rows.append((cid, parent, author, when, "x"))
        parent = cid
    return build(rows)


def test_keys_are_the_groups_in_order(small):
    assert list(measures(small)) == [key for group in MEASURE_GROUPS.values() for key in group]


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ("ABABA", 5),
        ("AB", 2),
        ("A", 0),  # nobody answered anybody
        ("AA", 0),  # answering oneself is not an exchange
        ("ABC", 2),  # three people: each pair exchanges once
        ("ABABCBCB", 5),  # A-B for 4, then B-C for C,B,C,B after the shared B: B,C,B,C,B = 5
        ("AB-BA", 2),  # "-" is anonymous: it cuts the chain
        ("ABAAB", 3),
    ],
)
def test_longest_exchange(authors, expected, build):
    frame = reply_chain([None if a == "-" else a for a in authors], build)
    assert exchange(frame) == expected


def test_longest_exchange_follows_reply_paths_not_page_order(build):
    # siblings under A, alternating in page order but each only one reply deep
    frame = build([("1", None, "A", None, "x"), ("1.1", "1", "B", None, "x"), ("1.2", "1", "A", None, "x")])
    assert exchange(frame) == 2


def test_mutual_dyads_need_two_replies_each_way(build):
    two_each_way = reply_chain("ABABA", build)  # B answers A twice (1.1, 1.1.1.1), A answers B twice
    assert measures(two_each_way)["mutual_dyads"] == 1
    assert measures(reply_chain("ABAB", build))["mutual_dyads"] == 0  # A answers B only once


def written(counts, build):
    """Top-level comments, person k writing counts[k] of them."""
    authors = [f"P{k}" for k, count in enumerate(counts) for _ in range(count)]
    return build([(str(i), None, author, None, "x") for i, author in enumerate(authors, 1)])


def test_inequality_by_hand(build):
    assert measures(written([4, 4, 4], build))["gini_comments"] == 0.0
    assert measures(written([7], build))["gini_comments"] == 0.0
    # 0, 0, 0, 10 is the most unequal four people can be: (k - 1) / k
    expected = round(2 * (1 + 2 + 3 + 40) / (4 * 13) - 5 / 4, 4)
    assert measures(written([1, 1, 1, 10], build))["gini_comments"] == expected
    assert measures(written([5, 1, 3, 1], build))["top2_share"] == 0.8
    nobody = measures(build([("1", None, None, None, "x")]))
    assert (nobody["gini_comments"], nobody["top2_share"]) == (None, None)


def test_top_ten_percent_rounds_up(build):
    # 11 people: the top 10% is 2 of them (10% of 11 rounded up)
    rows = [(str(k), None, f"P{k}", None, "x") for k in range(1, 12)]
    rows += [(str(k), None, "P1", None, "x") for k in range(12, 16)] + [("16", None, "P2", None, "x")]
    stats = measures(build(rows))
    assert stats["top10pct_share"] == round((5 + 2) / 16, 4)
    assert stats["one_time_share"] == round(9 / 11, 4) and stats["reentry_share"] == round(2 / 11, 4)


def test_anonymous_comments_are_nobody(build):
    frame = reply_chain([None, None, None], build, minutes=[0, 10, 20])
    stats = measures(frame)
    person = [
        "comments_per_commenter", "top2_share", "new_commenters_per_hour", "reentry_share",
        "median_reentry_minutes", "reciprocity", "gini_comments", "top10pct_share", "one_time_share",
    ]  # fmt: skip
    assert {key: stats[key] for key in person} == dict.fromkeys(person, None)
    assert (stats["longest_exchange"], stats["mutual_dyads"]) == (0, 0)
    # the replies still have their times
    assert (stats["reply_delay_p10_minutes"], stats["replies_within_hour_share"]) == (10.0, 1.0)


def test_reply_times(build):
    # delays 0, 90, 2000 minutes; then a reply dated before its parent (-5)
    frame = build(
        [
            ("1", None, "A", "2020-01-01 00:00", "x"),
            ("1.1", "1", "B", "2020-01-01 00:00", "x"),
            ("1.1.1", "1.1", "A", "2020-01-01 01:30", "x"),
            ("2", None, "C", "2020-01-02 00:00", "x"),
            ("2.1", "2", "D", "2020-01-03 09:20", "x"),
            ("2.1.1", "2.1", "C", "2020-01-03 09:15", "x"),
        ]
    )
    stats = measures(frame)
    # sorted -5, 0, 90, 2000: p10 at 0.3 of the way from -5 to 0
    assert stats["reply_delay_p10_minutes"] == -3.5
    assert stats["reply_delay_log10_spread"] is None  # undefined unless p10 > 0
    assert stats["replies_within_hour_share"] == 0.25  # only the 0; a reply before its parent is not "within"
    assert stats["replies_within_day_share"] == 0.5
    assert stats["median_first_reply_minutes"] == 1000.0  # 0 and 2000


def test_undated_comments_leave_times_undefined(build):
    stats = measures(reply_chain("ABAB", build))
    assert all(stats[key] is None for key in MEASURE_GROUPS["reply times"])
    assert stats["new_commenters_per_hour"] is None and stats["median_reentry_minutes"] is None
    assert stats["reentry_share"] == 1.0  # re-entry counts comments, dated or not


def test_linear_on_a_long_chain(make_chain):
    frame = make_chain(3000)  # alternating A, B all the way down
    assert exchange(frame) == 3000
    assert measures(frame)["mutual_dyads"] == 1


def test_reciprocity_and_dyads_agree_with_the_network_table(build):
    """Random threads: the array figures against the network table's pairs, counted directly."""
    rng = np.random.default_rng(7)
    for _ in range(30):
        rows = []
        for k in range(int(rng.integers(1, 40))):
            parent = rows[int(rng.integers(len(rows)))][0] if rows and rng.random() < 0.8 else None
            cid = str(k) if parent is None else f"{parent}.{k}"
            author = None if rng.random() < 0.2 else "ABCDE"[int(rng.integers(5))]
            rows.append((cid, parent, author, None, "x"))
        frame = build(rows)
        network = reply_network(frame, named_only=True)  # reciprocity is between named people
        stats = measures(frame)
        assert stats["reciprocity"] == reciprocity(network)
        count = {(s, t): n for s, t, n in network.itertuples(index=False) if s != t}
        strong = sum(1 for (s, t), n in count.items() if n >= 2 and count.get((t, s), 0) >= 2) // 2
        assert stats["mutual_dyads"] == strong
