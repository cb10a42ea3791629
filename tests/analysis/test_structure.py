import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis._structure import parent_rows, reply_counts, subtree_sizes
from commentscope.errors import InputError
from commentscope.ordering import lexsort, stable_order
from commentscope.readers.records import build_tree


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


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.lists(
            st.one_of(
                st.lists(st.integers(-3, 3), min_size=n, max_size=n),
                st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n),
                st.lists(st.sampled_from([-1.5, 0.0, 2.25, float("nan")]), min_size=n, max_size=n),
                st.lists(st.sampled_from([0, 2**63 + 1, 2**64 - 1]), min_size=n, max_size=n).map(
                    lambda values: np.array(values, dtype=np.uint64)
                ),
            ),
            min_size=1,
            max_size=4,
        )
    )
)
def test_lexsort_orders_as_numpy_does(keys):
    arrays = tuple(np.array(key) for key in keys)
    assert lexsort(arrays).tolist() == np.lexsort(arrays).tolist()


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([20, 2**20, 2**40]).flatmap(lambda top: st.lists(st.integers(0, top), max_size=60)))
def test_stable_order_is_numpys_stable_argsort(keys):
    array = np.array(keys, dtype=np.int64)
    assert stable_order(array).tolist() == np.argsort(array, kind="stable").tolist()


def _random_page(parents_above: list[int]) -> pd.DataFrame:
    """A thread from each comment's parent among those before it (-1: top level), in page order."""
    tree = build_tree(np.array(parents_above, dtype=np.int64))
    order = np.argsort(tree.position)
    ids = np.array([f"c{k}" for k in range(len(parents_above))], dtype=object)
    parent_ids = [None if p < 0 else ids[p] for p in parents_above]
    return pd.DataFrame(
        {"id": ids[order], "parent_id": pd.array(parent_ids, dtype="str")[order], "depth": tree.depth[order]}
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-1, 30), min_size=1, max_size=60), st.randoms(use_true_random=False))
def test_parents_found_by_page_order_are_the_parents_named(draws, random):
    parents_above = [-1 if k == 0 else min(draw, k - 1) for k, draw in enumerate(draws)]
    page = _random_page(parents_above)
    rows = parent_rows(page)
    row_of = {name: row for row, name in enumerate(page["id"])}
    assert rows.tolist() == [-1 if pd.isna(p) else row_of[p] for p in page["parent_id"]]
    shuffled = page.iloc[random.sample(range(len(page)), len(page))].reset_index(drop=True)  # not page order
    row_of = {name: row for row, name in enumerate(shuffled["id"])}
    assert parent_rows(shuffled).tolist() == [-1 if pd.isna(p) else row_of[p] for p in shuffled["parent_id"]]


def test_a_repeated_id_in_page_order_reads_as_the_comment_just_above():
    page = pd.DataFrame(
        {"id": ["a", "a", "b"], "parent_id": pd.array([None, None, "a"], dtype="str"), "depth": [0, 0, 1]}
    )
    assert parent_rows(page).tolist() == [-1, -1, 1]
    out_of_order = page.iloc[[2, 0, 1]].reset_index(drop=True)
    with pytest.raises(InputError, match="not unique"):
        parent_rows(out_of_order)
