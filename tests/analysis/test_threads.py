import math

import numpy as np
import pandas as pd
import pytest

from commentscope.analysis import SUBTHREAD_SCHEMA, subthread_table
from commentscope.errors import InputError
from commentscope.model import empty_comments


def rows(table: pd.DataFrame) -> list[dict]:
    """Records with NaN as None, so that rows compare with ==."""

    def value(v):
        return None if isinstance(v, float) and math.isnan(v) else v

    return [{k: value(v) for k, v in row.items()} for row in table.to_dict("records")]


def test_small_thread_by_hand(small):
    table = subthread_table(small)
    assert {name: str(dtype) for name, dtype in table.dtypes.items()} == SUBTHREAD_SCHEMA
    assert rows(table) == [
        {
            "id": "1",
            "author": "Ann",
            "size": 5,
            "depth": 2,
            "width": 2,  # 1.1 and 1.2, then 1.1.1 and 1.1.2
            "participants": 3,  # Ann, Bob, Cat; the anonymous 1.1.2 is nobody
            "first_reply_minutes": 60.0,  # 07:00 -> 1.1 at 08:00
            "duration_hours": 2.0,  # replies from 08:00 to 10:00
            "share": 0.625,  # 5 of 8
            # a tree of m = 5 rooted at 1: non-root subtree sizes 3, 1, 1, 1:
            # 2·3·2 + 3·(2·1·4) = 36 ordered paths over 5·4 pairs
            "structural_virality": 1.8,
            "h_index": 2,  # reply levels 1 and 2 hold 2 each
        },
        {
            "id": "2",
            "author": None,
            "size": 2,
            "depth": 1,
            "width": 1,
            "participants": 1,  # Bob; the anonymous root is nobody
            "first_reply_minutes": 10.0,
            "duration_hours": 0.0,  # one reply
            "share": 0.25,
            "structural_virality": 1.0,
            "h_index": 1,
        },
        {
            "id": "3",
            "author": "Bob",
            "size": 1,
            "depth": 0,
            "width": 1,
            "participants": 1,
            "first_reply_minutes": None,  # no reply (and no date)
            "duration_hours": None,
            "share": 0.125,
            "structural_virality": None,  # a single comment has no pairs
            "h_index": 0,
        },
    ]


def test_sort_and_limit(small):
    assert list(subthread_table(small, sort_by="size")["id"]) == ["1", "2", "3"]
    assert list(subthread_table(small, sort_by="first_reply_minutes")["id"]) == ["1", "2", "3"]  # missing last
    assert list(subthread_table(small, sort_by="author")["id"]) == ["1", "3", "2"]  # names in order, anonymous last
    assert list(subthread_table(small, sort_by="participants", limit=2)["id"]) == ["1", "2"]  # a tie keeps page order
    assert subthread_table(small, limit=0).empty


def test_bad_sort_and_limit(small):
    with pytest.raises(InputError, match="cannot sort subthreads by 'words'; choose one of: id, author, size"):
        subthread_table(small, sort_by="words")
    with pytest.raises(InputError, match="limit must be 0 or more"):
        subthread_table(small, limit=-1)


def test_a_chain_and_a_star(build, make_chain):
    # a path of 4 comments: distances 1,1,1,2,2,3 over 6 pairs; one comment on each reply level
    (chain,) = rows(subthread_table(make_chain(4)))
    assert (chain["depth"], chain["width"], chain["h_index"], chain["participants"]) == (3, 1, 1, 2)
    assert chain["structural_virality"] == round(10 / 6, 4)
    # a root with 3 direct replies: 3 pairs at 1 (root-leaf) and 3 at 2 (leaf-leaf)
    fan = build([("1", None, "A", None, "x"), *[(f"1.{k}", "1", "B", None, "x") for k in (1, 2, 3)]])
    (star,) = rows(subthread_table(fan))
    assert (star["width"], star["h_index"], star["participants"], star["structural_virality"]) == (3, 1, 2, 1.5)


def test_corpus_rows_carry_their_page_and_its_share(corpus):
    frame = corpus(
        {
            "a": [("1", None, "A", None, "x"), ("1.1", "1", "B", None, "x"), ("2", None, "A", None, "x")],
            "b": [("1", None, "C", None, "x")],
        }
    )
    table = subthread_table(frame)
    assert list(table.columns) == ["source", *SUBTHREAD_SCHEMA]
    assert list(zip(table["source"], table["id"], table["size"], table["share"], strict=True)) == [
        ("a", "1", 2, round(2 / 3, 4)),
        ("a", "2", 1, round(1 / 3, 4)),
        ("b", "1", 1, 1.0),
    ]


def test_empty_and_deep(make_chain):
    empty = subthread_table(empty_comments())
    assert empty.empty and {name: str(dtype) for name, dtype in empty.dtypes.items()} == SUBTHREAD_SCHEMA
    (deep,) = rows(subthread_table(make_chain(3000)))
    assert (deep["size"], deep["depth"], deep["width"], deep["share"]) == (3000, 2999, 1, 1.0)


def test_sizes_add_up_to_the_page(make_star):
    table = subthread_table(make_star(50_000))
    assert len(table) == 50_000 and table["size"].sum() == 50_000
    assert np.isnan(table["first_reply_minutes"]).all()
