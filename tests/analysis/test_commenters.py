import pandas as pd
import pytest

from commentscope.analysis import COMMENTER_COLUMNS, commenter_table
from commentscope.errors import InputError

T = pd.Timestamp


def test_small_thread_by_hand(small):
    table = commenter_table(small)
    assert list(table.columns) == COMMENTER_COLUMNS
    rows = {None if pd.isna(row["author"]) else row["author"]: row.to_dict() for _, row in table.iterrows()}
    # Bob: 1.1, 2.1, 3. Answered by Ann (1.1.1) and anon (1.1.2): 2 replies, 1 named replier.
    # He answered Ann (1.1) and anon (2.1): 1 named partner.
    assert rows["Bob"] == {
        "author": "Bob",
        "anonymous": False,
        "comments": 3,
        "top_level": 1,
        "replies_made": 2,
        "replies_received": 2,
        "distinct_repliers": 1,
        "distinct_partners": 1,
        "words": 4,
        "mean_words": 1.33,
        "first_seen": T("2019-01-24 08:00"),
        "last_seen": T("2019-01-25 07:10"),  # comment 3 has no date
    }
    # Ann: 1 and 1.1.1; answered by Bob (1.1) and Cat (1.2); she answered Bob.
    assert rows["Ann"]["comments"] == 2
    assert (rows["Ann"]["replies_received"], rows["Ann"]["distinct_repliers"]) == (2, 2)
    assert (rows["Ann"]["replies_made"], rows["Ann"]["distinct_partners"]) == (1, 1)
    assert rows["Ann"]["mean_words"] == 2.0
    # Cat: 1.2, answering Ann; nobody answered her.
    assert [rows["Cat"][key] for key in ("comments", "top_level", "replies_made", "replies_received")] == [1, 0, 1, 0]
    assert (rows["Cat"]["distinct_repliers"], rows["Cat"]["distinct_partners"]) == (0, 1)
    # anonymous: 1.1.2 (answering Bob) and 2 (answered by Bob)
    anonymous = rows[None]
    assert [anonymous[key] for key in ("comments", "top_level", "replies_made", "replies_received")] == [2, 1, 1, 1]
    assert (anonymous["distinct_repliers"], anonymous["distinct_partners"]) == (1, 1)
    assert (anonymous["words"], anonymous["mean_words"]) == (6, 3.0)
    assert (anonymous["first_seen"], anonymous["last_seen"]) == (T("2019-01-24 09:00"), T("2019-01-25 07:00"))
    # most comments first, the anonymous row last
    assert table["author"].tolist()[:3] == ["Bob", "Ann", "Cat"]
    assert pd.isna(table["author"].iloc[-1])
    assert table["anonymous"].tolist() == [False, False, False, True]


def test_dtypes(small, build):
    expected = {
        "author": "str",
        "anonymous": "bool",
        "comments": "int64",
        "top_level": "int64",
        "replies_made": "int64",
        "replies_received": "int64",
        "distinct_repliers": "int64",
        "distinct_partners": "int64",
        "words": "int64",
        "mean_words": "float64",
        "first_seen": "datetime64[us]",
        "last_seen": "datetime64[us]",
    }
    for frame in (small, build([])):
        assert {name: str(dtype) for name, dtype in commenter_table(frame).dtypes.items()} == expected
    assert commenter_table(build([])).empty


def test_self_replies_count_as_replies_but_not_as_people(build):
    frame = build(
        [
            ("1", None, "Ann", "2019-01-01 10:00", "x"),
            ("1.1", "1", "Ann", "2019-01-01 10:05", "x"),  # Ann adds to her own comment
            ("1.1.1", "1.1", "Bob", "2019-01-01 10:10", "x"),
            ("1.1.2", "1.1", "Bob", "2019-01-01 10:20", "x"),
        ]
    )
    ann, bob = commenter_table(frame).to_dict("records")
    assert ann["author"] == "Ann" and ann["replies_received"] == 3  # 1.1 (herself), 1.1.1, 1.1.2
    assert (ann["distinct_repliers"], ann["distinct_partners"]) == (1, 0)
    assert bob["replies_made"] == 2 and bob["distinct_partners"] == 1


def test_no_anonymous_row_without_anonymous_comments(build):
    frame = build([("1", None, "Ann", None, "x")])
    table = commenter_table(frame)
    assert table["author"].tolist() == ["Ann"]
    assert table["first_seen"].isna().all()


def test_sorting_and_top(small):
    by_author = commenter_table(small, sort_by="author")
    assert by_author["author"].tolist()[:3] == ["Ann", "Bob", "Cat"]
    assert by_author["anonymous"].tolist()[-1]
    by_first = commenter_table(small, sort_by="first_seen")
    assert by_first["author"].tolist()[:3] == ["Ann", "Bob", "Cat"]
    # ties on 2 replies received: Ann was first seen
    by_received = commenter_table(small, sort_by="replies_received", top=1)
    assert by_received["author"].tolist()[0] == "Ann"
    assert len(by_received) == 2 and by_received["anonymous"].tolist() == [False, True]
    only_anonymous = commenter_table(small, top=0)
    assert only_anonymous["anonymous"].tolist() == [True]


def test_bad_sort_and_top(small):
    with pytest.raises(InputError, match="cannot sort commenters by 'anonymous'; choose one of: author, comments"):
        commenter_table(small, sort_by="anonymous")
    with pytest.raises(InputError, match="cannot sort commenters by 'pages'"):
        commenter_table(small, sort_by="pages")  # only for a corpus
    with pytest.raises(InputError, match="top must be 0 or more, not -2"):
        commenter_table(small, top=-2)


def test_corpus_adds_pages_and_keeps_parents_per_page(corpus):
    frame = corpus(
        {
            "a": [("1", None, "Ann", None, "x"), ("1.1", "1", "Bob", None, "x"), ("2", None, None, None, "x")],
            "b": [("1", None, "Cat", None, "x"), ("1.1", "1", "Ann", None, "x"), ("1.2", "1", None, None, "x")],
        }
    )
    table = commenter_table(frame)
    assert list(table.columns) == [*COMMENTER_COLUMNS, "pages"]
    rows = {row["author"] if isinstance(row["author"], str) else None: row for row in table.to_dict("records")}
    assert rows["Ann"]["pages"] == 2 and rows["Ann"]["comments"] == 2
    # page b's 1.1 answers page b's Cat, not page a's Ann
    assert rows["Ann"]["distinct_partners"] == 1 and rows["Cat"]["replies_received"] == 2
    assert rows["Cat"]["distinct_repliers"] == 1  # Ann; the anonymous reply is not a person
    assert rows["Ann"]["distinct_repliers"] == 1  # Bob
    assert rows[None]["pages"] == 2
    assert commenter_table(frame, sort_by="pages")["author"].tolist()[0] == "Ann"


def test_names_sort_ignoring_case_and_accents(build):
    frame = build([("1", None, "bob", None, "x"), ("2", None, "Émile", None, "x"), ("3", None, "Ann", None, "x")])
    assert commenter_table(frame, sort_by="author")["author"].tolist() == ["Ann", "bob", "Émile"]
    assert commenter_table(frame)["author"].tolist() == ["Ann", "bob", "Émile"]  # ties on 1 comment, all undated


def test_selected_comments_describe_their_authors(small):
    from commentscope.analysis.filters import CommentFilter, select_comments

    selection = select_comments(small, CommentFilter(until=pd.Timestamp("2019-01-24 08:30").to_pydatetime()))
    table = commenter_table(small, selected=selection.mask)  # 1 Ann, 1.1 Bob, 1.1.1 Ann
    rows = {row["author"]: row for row in table.to_dict("records")}
    assert list(rows) == ["Ann", "Bob"]  # Cat and the anonymous comments are outside the selection
    assert (rows["Ann"]["comments"], rows["Ann"]["replies_made"], rows["Ann"]["replies_received"]) == (2, 1, 2)
    # Bob's selected 1.1 drew 1.1.1 (Ann, selected) and 1.1.2 (anonymous, not selected): both count
    assert (rows["Bob"]["comments"], rows["Bob"]["replies_received"], rows["Bob"]["distinct_repliers"]) == (1, 2, 1)
    assert rows["Bob"]["first_seen"] == rows["Bob"]["last_seen"] == pd.Timestamp("2019-01-24 08:00")
    assert rows["Ann"]["words"] == 4
    everything = commenter_table(small, selected=select_comments(small, CommentFilter()).mask)
    assert everything.equals(commenter_table(small))
