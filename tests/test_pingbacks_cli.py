"""Pingbacks and trackbacks through the front door: comments of the page, nobody among its people.

samples/converters/pingbacks.txt holds Owen (twice) and Mara answering each other, Lena answering
a pingback, a dated trackback and an anonymous comment: seven comments, three people.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app

runner = CliRunner()
PINGBACK = "Weekend Reading – Green Streets Blog"
TRACKBACK = "Neighbourhood Notes"
PEOPLE = ["Owen Achebe", "Mara Jensen", "Lena Ruiz"]


@pytest.fixture
def page(samples: Path) -> str:
    return str(samples / "converters" / "pingbacks.txt")


def run_json(*args: str):
    result = runner.invoke(app, [*args, "-f", "json"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_comments_and_tree_keep_the_pingbacks(page: str) -> None:
    comments = run_json("comments", page)
    assert [(row["author"], row["kind"], row["depth"], row["timestamp"]) for row in comments] == [
        ("Owen Achebe", "comment", 0, "2024-03-03T08:15:00"),
        ("Mara Jensen", "comment", 1, "2024-03-03T09:40:00"),
        ("Owen Achebe", "comment", 2, "2024-03-03T10:05:00"),
        (PINGBACK, "pingback", 0, None),
        ("Lena Ruiz", "comment", 1, "2024-03-04T19:50:00"),
        (TRACKBACK, "trackback", 0, "2024-03-05T06:00:00"),
        (None, "comment", 0, "2024-03-05T12:30:00"),
    ]
    assert comments[3]["text"] == "[…] the council opened the plots on Friday, and the tanks […]"
    tree = run_json("tree", page)
    assert [node["author"] for node in tree] == ["Owen Achebe", PINGBACK, TRACKBACK, None]
    assert [reply["author"] for reply in tree[1]["replies"]] == ["Lena Ruiz"]


def test_stats_count_pingbacks_as_comments_and_not_as_people(page: str) -> None:
    stats = run_json("stats", page)
    assert {key: stats[key] for key in ("declared_comments", "comments", "top_level", "replies", "pingbacks")} == {
        "declared_comments": 7,
        "comments": 7,  # the pingbacks count toward the page's total
        "top_level": 4,
        "replies": 3,
        "pingbacks": 2,  # one pingback, one trackback
    }
    assert {key: stats[key] for key in ("anonymous", "commenters", "top_commenter")} == {
        "anonymous": 1,
        "commenters": 3,  # Owen, Mara, Lena; neither linking site
        "top_commenter": "Owen Achebe",
    }
    # named comments by people: Owen 2, Mara 1, Lena 1
    assert stats["comments_per_commenter"] == round(4 / 3, 4)
    assert stats["one_time_share"] == round(2 / 3, 4)
    assert stats["gini_comments"] == round(2 * (1 + 2 + 6) / (3 * 4) - 4 / 3, 4)
    assert stats["reciprocity"] == 1.0  # Owen and Mara: Lena's reply to the pingback is no pair
    assert stats["longest_exchange"] == 3  # Owen, Mara, Owen
    assert stats["new_commenters_per_hour"] == round(2 / (35 + 35 / 60), 4)  # Owen 03 08:15 .. Lena 04 19:50


def test_commenters_list_people_only(page: str) -> None:
    rows = {row["author"]: row for row in run_json("commenters", page)}
    assert list(rows) == [*PEOPLE, None]
    lena = rows["Lena Ruiz"]
    # her reply to the pingback is a reply she made, to nobody among the people
    assert (lena["replies_made"], lena["distinct_partners"]) == (1, 0)
    assert (rows[None]["comments"], rows[None]["replies_received"]) == (1, 0)
    assert sum(row["comments"] for row in rows.values()) == 5  # 7 comments less the two link notices


def test_network_has_no_pingback_node_nor_edge(page: str) -> None:
    assert run_json("network", page) == [
        {"source": "Mara Jensen", "target": "Owen Achebe", "replies": 1},
        {"source": "Owen Achebe", "target": "Mara Jensen", "replies": 1},
    ]
    result = runner.invoke(app, ["network", page], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Reciprocity: 100% of pairs answered both ways" in result.stdout
    assert PINGBACK not in result.stdout and TRACKBACK not in result.stdout
    mutual = run_json("network", page, "--mutual")
    assert [(row["person_a"], row["person_b"]) for row in mutual] == [("Mara Jensen", "Owen Achebe")]


def test_threads_participants_and_timeline_commenters_leave_pingbacks_out(page: str) -> None:
    threads = run_json("threads", page)
    assert [(row["author"], row["size"], row["participants"]) for row in threads] == [
        ("Owen Achebe", 3, 2),
        (PINGBACK, 2, 1),  # the subthread is the pingback's, its one participant Lena
        (TRACKBACK, 1, 0),
        (None, 1, 0),
    ]
    timeline = run_json("timeline", page)
    assert [(row["comments"], row["commenters"]) for row in timeline] == [(3, 2), (1, 1), (2, 0)]


def test_hypergraph_leaves_the_link_notices_out(page: str) -> None:
    features = run_json("hypergraph", page)
    assert features["comments_used"] == 5
    # hypernodes Owen, Mara, Lena and one anonymous: only Owen and Mara answer a person
    assert features["mean[outdegree over C->C responses]"] == 0.5
    assert features["count[dyadic interaction motif]"] == 1


def test_a_wordpress_html_page_counts_its_pingback_apart(samples: Path) -> None:
    page = str(samples / "html" / "wordpress-html5.html")
    stats = run_json("stats", page)
    assert (stats["comments"], stats["pingbacks"], stats["commenters"], stats["anonymous"]) == (5, 1, 3, 1)
    authors = [row["author"] for row in run_json("commenters", page)]
    assert "Weekly transit roundup" not in authors and len(authors) == 4


def test_the_corpus_totals_leave_pingbacks_out_too(page: str, samples: Path) -> None:
    rows = run_json("stats", page, str(samples / "html" / "wordpress-html5.html"), "--totals")
    totals = rows[-1]
    assert (totals["comments"], totals["pingbacks"], totals["commenters"]) == (12, 3, 6)
