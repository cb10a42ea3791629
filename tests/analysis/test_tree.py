import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis import json_nesting, reply_forest, reply_tree, tree_rows
from commentscope.errors import InputError


def shape(nodes):
    """(id, [children...]) pairs, walked with a stack so deep trees need no recursion."""
    out: list = []
    stack = [(nodes, out)]
    while stack:
        level, into = stack.pop()
        for node in level:
            kids: list = []
            into.append((node["id"], kids))
            stack.append((node["replies"], kids))
    return out


def test_whole_tree_in_document_order(small):
    forest = reply_tree(small)
    assert shape(forest) == [
        ("1", [("1.1", [("1.1.1", []), ("1.1.2", [])]), ("1.2", [])]),
        ("2", [("2.1", [])]),
        ("3", []),
    ]
    first = forest[0]
    assert list(first) == ["id", "author", "timestamp", "depth", "words", "replies_count", "text", "replies"]
    assert first["author"] == "Ann"
    assert first["timestamp"] == pd.Timestamp("2019-01-24 07:00")
    assert (first["depth"], first["words"], first["replies_count"], first["text"]) == (0, 3, 2, "one two three")
    assert type(first["depth"]) is int and type(first["words"]) is int and type(first["replies_count"]) is int
    assert forest[1]["author"] is None  # anonymous
    assert forest[2]["timestamp"] is None  # date unreadable


def test_root_selects_one_subtree(small):
    assert shape(reply_tree(small, root="1.1")) == [("1.1", [("1.1.1", []), ("1.1.2", [])])]
    assert shape(reply_tree(small, root="3")) == [("3", [])]


def test_max_depth_is_absolute_and_keeps_reply_counts(small):
    forest = reply_tree(small, max_depth=1)
    assert shape(forest) == [("1", [("1.1", []), ("1.2", [])]), ("2", [("2.1", [])]), ("3", [])]
    assert forest[0]["replies"][0]["replies_count"] == 2  # answered, though the answers are cut
    assert shape(reply_tree(small, root="1.1", max_depth=1)) == [("1.1", [])]
    assert reply_tree(small, root="1.1", max_depth=0) == []  # the root itself is deeper than 0
    assert shape(reply_tree(small, max_depth=0)) == [("1", []), ("2", []), ("3", [])]


def test_unknown_root_and_bad_depth(small):
    with pytest.raises(InputError, match=r"no comment with id '9\.9'"):
        reply_tree(small, root="9.9")
    with pytest.raises(InputError, match=r"no comment with id '9\.9'"):
        tree_rows(small, root="9.9")
    with pytest.raises(InputError, match="max depth must be 0 or more, not -1"):
        tree_rows(small, max_depth=-1)


def test_tree_rows_is_the_flat_selection(small):
    rows = tree_rows(small, root="1")
    assert rows["id"].tolist() == ["1", "1.1", "1.1.1", "1.1.2", "1.2"]
    assert rows["replies_count"].tolist() == [2, 2, 0, 0, 0]
    assert list(rows.columns) == [*small.columns, "replies_count"]
    assert rows.index.tolist() == [0, 1, 2, 3, 4]
    assert tree_rows(small, max_depth=1)["id"].tolist() == ["1", "1.1", "1.2", "2", "2.1", "3"]
    pd.testing.assert_frame_equal(tree_rows(small).drop(columns="replies_count"), small)


def test_corpus_roots_need_a_page_when_ids_repeat(corpus):
    frame = corpus(
        {
            "a": [("1", None, "A", None, "x"), ("1.1", "1", "B", None, "y")],
            "b": [("1", None, "C", None, "z")],
        }
    )
    with pytest.raises(InputError, match="comment id '1' occurs on several pages; name the page"):
        reply_tree(frame, root="1")
    forest = reply_tree(frame, root="1", source="a")
    assert shape(forest) == [("1", [("1.1", [])])]
    assert forest[0]["source"] == "a"
    assert next(iter(forest[0])) == "source"
    assert tree_rows(frame, root="1", source="b")["author"].tolist() == ["C"]
    assert shape(reply_tree(frame)) == [("1", [("1.1", [])]), ("1", [])]
    with pytest.raises(InputError, match=r"no comment with id '1\.1' in 'b'"):
        tree_rows(frame, root="1.1", source="b")


def test_page_without_root_or_without_pages_is_refused(small):
    with pytest.raises(InputError, match="only be named together with a root"):
        tree_rows(small, source="a")
    with pytest.raises(InputError, match="single page"):
        tree_rows(small, root="1", source="a")


def test_empty(build):
    empty = build([])
    assert reply_tree(empty) == []
    rows = tree_rows(empty)
    assert rows.empty and list(rows.columns) == [*empty.columns, "replies_count"]


def test_deep_chain(make_chain):
    frame = make_chain(3000)
    forest = reply_tree(frame)
    node, depth = forest[0], 0
    while node["replies"]:
        assert len(node["replies"]) == 1 and node["replies_count"] == 1
        node, depth = node["replies"][0], depth + 1
    assert depth == 2999 and node["depth"] == 2999 and node["replies_count"] == 0
    middle = frame["id"][1500]
    assert len(tree_rows(frame, root=middle)) == 1500
    assert len(tree_rows(frame, root=middle, max_depth=1999)) == 500


def test_wide_star(make_star):
    frame = make_star(50_000)
    forest = reply_tree(frame)
    assert len(forest) == 50_000
    assert [node["id"] for node in forest[:3]] == ["1", "2", "3"]
    assert all(node["replies"] == [] for node in forest)
    assert shape(reply_tree(frame, root="50000")) == [("50000", [])]


def test_selected_comments_keep_their_ancestors_as_context(small):
    from commentscope.analysis.filters import CommentFilter, select_comments

    selected = select_comments(small, CommentFilter(authors=("Ann",), min_depth=1)).mask  # 1.1.1 alone
    forest = reply_tree(small, selected=selected)
    assert shape(forest) == [("1", [("1.1", [("1.1.1", [])])])]
    fields = ["id", "author", "timestamp", "depth", "words", "replies_count", "text", "context", "replies"]
    assert list(forest[0]) == fields
    node, path = forest[0], []
    while True:
        path.append((node["id"], node["context"], node["replies_count"]))
        if not node["replies"]:
            break
        node = node["replies"][0]
    assert path == [("1", True, 2), ("1.1", True, 2), ("1.1.1", False, 0)]  # replies counted in the whole thread
    rows = tree_rows(small, selected=selected)
    assert rows[["id", "context"]].values.tolist() == [["1", True], ["1.1", True], ["1.1.1", False]]


def test_selection_meets_root_and_max_depth(small):
    from commentscope.analysis.filters import CommentFilter, select_comments

    selected = select_comments(small, CommentFilter(pattern="seven|z")).mask  # 1.1.2 and 2.1
    assert tree_rows(small, selected=selected)["id"].tolist() == ["1", "1.1", "1.1.2", "2", "2.1"]
    assert tree_rows(small, root="1.1", selected=selected)["id"].tolist() == ["1.1", "1.1.2"]
    assert tree_rows(small, max_depth=1, selected=selected)[["id", "context"]].values.tolist() == [
        ["1", True],
        ["1.1", True],
        ["2", True],
        ["2.1", False],
    ]
    assert "context" not in tree_rows(small).columns
    nothing = tree_rows(small, selected=select_comments(small, CommentFilter(pattern="absent")).mask)
    assert nothing.empty and "context" in nothing.columns


# The nested JSON written from columns (reply_forest) is the JSON of the nested dicts (reply_tree).


def nested_json(nodes, indent=None) -> str:
    from commentscope.writers.text import WriteOptions, write_json

    buffer = io.StringIO()
    write_json(nodes, buffer, WriteOptions(json_indent=indent))
    return buffer.getvalue()


@pytest.mark.parametrize("indent", [None, 0, 2])
@pytest.mark.parametrize(
    "options",
    [{}, {"max_depth": 1}, {"root": "1.1"}, {"root": "3"}, {"max_depth": 0}, {"root": "1.1", "max_depth": 0}],
)
def test_the_forest_from_columns_is_the_nested_tree(small, options, indent):
    assert nested_json(reply_forest(small, **options), indent) == nested_json(reply_tree(small, **options), indent)


def test_the_forest_of_a_selection_of_a_corpus(corpus):
    from commentscope.analysis.filters import CommentFilter, select_comments

    frame = corpus(
        {
            "a": [("1", None, "A", None, "x"), ("1.1", "1", "B", None, "y"), ("2", None, "B", None, "w")],
            "b": [("1", None, "C", None, "z"), ("1.1", "1", "B", None, "v")],
        }
    )
    selected = select_comments(frame, CommentFilter(authors=("B",))).mask
    for indent in (None, 1):
        assert nested_json(reply_forest(frame, selected=selected), indent) == nested_json(
            reply_tree(frame, selected=selected), indent
        )
    assert '"context": true' in nested_json(reply_forest(frame, selected=selected))
    assert nested_json(reply_forest(frame, root="1", source="b")) == nested_json(
        reply_tree(frame, root="1", source="b")
    )


def test_an_empty_forest(build, small):
    assert nested_json(reply_forest(build([]))) == nested_json(reply_tree(build([]))) == "[]\n"
    assert nested_json(reply_forest(small, root="1.1", max_depth=0), 2) == "[]\n"
    assert json_nesting(reply_forest(build([]))) == json_nesting(reply_tree(build([]))) == 1


def test_a_deep_chain_and_a_wide_star_from_columns(make_chain, make_star):
    chain = make_chain(3000)
    assert nested_json(reply_forest(chain)) == nested_json(reply_tree(chain))
    assert json_nesting(reply_forest(chain)) == json_nesting(reply_tree(chain)) == 1 + 2 * 3000
    star = make_star(20_000)  # more rows than a block
    assert nested_json(reply_forest(star), 1) == nested_json(reply_tree(star), 1)


def test_rows_out_of_the_trees_order_are_nested_as_the_dicts_nest_them(build):
    rows = [("1", None, "A", None, "a"), ("2", None, "B", None, "b"), ("1.1", "1", "C", None, "c")]
    frame = build(rows)  # 1.1 answers 1 but comes after 2: the tree puts it under 1
    forest = reply_forest(frame)
    assert forest.rows["id"].tolist() == ["1", "1.1", "2"] and forest.levels.tolist() == [0, 1, 0]
    assert nested_json(forest) == nested_json(reply_tree(frame))
    frame = frame.iloc[[2, 0, 1]].reset_index(drop=True)  # a reply above its parent heads a tree of its own
    assert nested_json(reply_forest(frame), 2) == nested_json(reply_tree(frame), 2)


@st.composite
def shuffled_threads(draw):
    """Random threads, their rows in the tree's order or shuffled so that parents still come first."""
    size = draw(st.integers(min_value=0, max_value=30))
    parents = [draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None for k in range(size)]
    depth: list[int] = []
    for parent in parents:
        depth.append(0 if parent is None else depth[parent] + 1)
    ids = [f"c{k}" for k in range(size)]
    rows = [
        (ids[k], None if parents[k] is None else ids[parents[k]], draw(st.sampled_from(["A", "B", None])), None, "w")
        for k in range(size)
    ]
    return rows, draw(st.lists(st.booleans(), min_size=size, max_size=size)), draw(st.none() | st.integers(0, 4))


@settings(max_examples=150, deadline=None)
@given(shuffled_threads(), st.sampled_from([None, 0, 3]))
def test_random_forests_from_columns_are_the_nested_trees(build, thread, indent):
    rows, chosen, max_depth = thread
    frame = build(rows)
    for selected in (None, np.asarray(chosen, dtype=bool)):
        forest = reply_forest(frame, max_depth=max_depth, selected=selected)
        nodes = reply_tree(frame, max_depth=max_depth, selected=selected)
        assert nested_json(forest, indent) == nested_json(nodes, indent)
        assert json_nesting(forest) == json_nesting(nodes)
