import pandas as pd
import pytest

from commentscope.analysis import reply_tree, tree_rows
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
