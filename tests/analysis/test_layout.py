import numpy as np

from commentscope.analysis.layout import network_view, reply_pairs, tree_layout


def rows_of(layout):
    return [tuple(row) for row in layout.nodes[["row", "parent", "depth", "size", "y"]].itertuples(index=False)]


def test_tree_layout_places_each_subtree_below_its_parent(small):
    layout = tree_layout(small, 100)
    # (row, parent node, depth, size, y): a subtree runs from y to y + size
    assert rows_of(layout) == [
        (0, -1, 0, 5, 0),
        (1, 0, 1, 3, 1),
        (2, 1, 2, 1, 2),
        (3, 1, 2, 1, 3),
        (4, 0, 1, 1, 4),
        (5, -1, 0, 2, 5),
        (6, 5, 1, 1, 6),
        (7, -1, 0, 1, 7),
    ]
    assert (layout.comments, layout.subthreads, layout.subthreads_shown, layout.truncated) == (8, 3, 3, False)
    assert layout.comments_left_out == 0


def test_tree_layout_draws_the_largest_subthreads_that_fit(small):
    layout = tree_layout(small, 7)
    assert layout.nodes["row"].tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert (layout.subthreads_shown, layout.comments_left_out, layout.truncated) == (2, 1, False)


def test_tree_layout_cuts_a_subthread_larger_than_the_budget(small):
    layout = tree_layout(small, 3)
    assert rows_of(layout) == [(0, -1, 0, 3, 0), (1, 0, 1, 2, 1), (2, 1, 2, 1, 2)]
    assert (layout.subthreads_shown, layout.comments_left_out, layout.truncated) == (1, 5, True)


def test_tree_layout_of_a_deep_chain_and_a_wide_star(make_chain, make_star):
    chain = tree_layout(make_chain(3000), 500)
    assert len(chain.nodes) == 500 and chain.nodes["y"].tolist() == list(range(500))
    assert chain.nodes["size"].tolist() == list(range(500, 0, -1))
    star = tree_layout(make_star(5000), 100)
    assert len(star.nodes) == 100 and star.subthreads == 5000 and star.subthreads_shown == 100
    assert np.array_equal(star.nodes["y"], np.arange(100))
    assert tree_layout(make_star(5).iloc[0:0], 10).nodes.empty


def test_reply_pairs_keep_the_anonymous_side(small):
    # 1.1 Bob->Ann, 1.1.1 Ann->Bob, 1.1.2 anonymous->Bob, 1.2 Cat->Ann, 2.1 Bob->anonymous
    pairs = reply_pairs(small)
    assert list(pairs.itertuples(index=False, name=None)) == [
        ("Ann", "Bob", 1),
        ("Bob", "Ann", 1),
        ("Bob", None, 1),
        ("Cat", "Ann", 1),
        (None, "Bob", 1),
    ]


def test_network_view_keeps_the_busiest_and_marks_mutual_pairs(small):
    view = network_view(small, 10)
    # replies made + received: Bob 2+2, Ann 1+2, anonymous 1+1, Cat 1+0
    assert view.people["name"].tolist() == ["Bob", "Ann", None, "Cat"]
    assert view.people["replies_made"].tolist() == [2, 1, 1, 1]
    assert view.people["replies_received"].tolist() == [2, 2, 1, 0]
    assert view.pairs["mutual"].tolist() == [True, True, False, False, False]
    top = network_view(small, 2)
    assert list(top.pairs[["source", "target"]].itertuples(index=False, name=None)) == [("Ann", "Bob"), ("Bob", "Ann")]
    assert (top.people_total, top.pairs_total) == (4, 5)
