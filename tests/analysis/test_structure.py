import numpy as np
import pytest

from commentscope.analysis._structure import parent_rows, reply_counts, subtree_sizes
from commentscope.errors import InputError


def test_parent_rows_and_sizes_of_the_small_thread(small):
    parents = parent_rows(small)
    # rows: 1, 1.1, 1.1.1, 1.1.2, 1.2, 2, 2.1, 3
    assert parents.tolist() == [-1, 0, 1, 1, 0, -1, 5, -1]
    assert subtree_sizes(small["depth"].to_numpy(), parents).tolist() == [5, 3, 1, 1, 1, 2, 1, 1]
    assert reply_counts(parents).tolist() == [2, 2, 0, 0, 0, 1, 0, 0]


def test_sizes_do_not_depend_on_row_order(small):
    shuffled = small.iloc[[7, 3, 0, 6, 2, 5, 4, 1]].reset_index(drop=True)
    sizes = subtree_sizes(shuffled["depth"].to_numpy(), parent_rows(shuffled))
    assert dict(zip(shuffled["id"], sizes.tolist(), strict=True)) == {
        "1": 5, "1.1": 3, "1.1.1": 1, "1.1.2": 1, "1.2": 1, "2": 2, "2.1": 1, "3": 1,
    }  # fmt: skip


def test_parents_are_looked_up_within_their_own_page(corpus):
    frame = corpus(
        {
            "a": [("1", None, "A", None, "x"), ("2", None, "B", None, "x")],
            "b": [("2", None, "C", None, "x"), ("2.1", "2", "D", None, "x")],
        }
    )
    assert parent_rows(frame).tolist() == [-1, -1, -1, 2]


def test_unknown_parent_and_repeated_ids_are_refused(small):
    orphan = small.copy()
    orphan.loc[1, "parent_id"] = "9"
    with pytest.raises(InputError, match="unknown parent comment '9'"):
        parent_rows(orphan)
    repeated = small.copy()
    repeated.loc[1, "id"] = "1"
    with pytest.raises(InputError, match="not unique"):
        parent_rows(repeated)


def test_chain_sizes_count_down(make_chain):
    frame = make_chain(3000)
    sizes = subtree_sizes(frame["depth"].to_numpy(), parent_rows(frame))
    assert np.array_equal(sizes, np.arange(3000, 0, -1))
