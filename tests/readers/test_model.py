"""The format-neutral Thread: the builder's path ids, the nullable columns, the central schema step."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.model import COMMENT_COLUMNS, Article, Thread, validate_comments
from commentscope.readers import load_threads
from commentscope.readers.records import Records, build_threads, build_tree, conform, path_ids

FORMATS = Path(__file__).parents[2] / "samples" / "formats"


def _records(rows: list[tuple[str, str | None]], **extra: list) -> dict:
    count = len(rows)
    return {
        "thread": ["t"] * count,
        "id": [i for i, _ in rows],
        "parent": [p for _, p in rows],
        "author": ["a"] * count,
        "time": [1_700_000_000 + n for n in range(count)],
        "text": ["x"] * count,
        "kind": ["comment"] * count,
        "line": list(range(1, count + 1)),
        **extra,
    }


def test_the_builder_derives_depth_position_and_paths_and_keeps_the_sources_ids() -> None:
    rows = [("a", None), ("b", "a"), ("c", None), ("d", "b"), ("e", "a")]
    (thread,) = build_threads(_records(rows, score=[5, None, 2.0, 1, 0], author_id=[7, None, "u3", None, None]), "f")
    frame = thread.comments
    assert list(frame.columns) == COMMENT_COLUMNS
    assert frame[["id", "parent_id", "path", "depth", "position"]].astype(object).values.tolist() == [
        ["a", np.nan, "c0", 0, 0],
        ["b", "a", "c0.1", 1, 1],
        ["d", "b", "c0.1.1", 2, 2],
        ["e", "a", "c0.2", 1, 3],
        ["c", np.nan, "c4", 0, 4],
    ]
    assert frame["score"].tolist() == [5, pd.NA, 1, 0, 2]
    assert frame["author_id"].tolist()[:3] == ["7", np.nan, np.nan]  # a user's id, not a comment's: as given
    assert frame["author_id"].iloc[4] == "u3"
    validate_comments(frame)


def test_site_numbers_name_the_top_level_paths_when_every_comment_has_a_distinct_one() -> None:
    rows = [("x", None), ("y", "x"), ("z", None)]
    (thread,) = build_threads(_records(rows), "f", extra={"number": [16, None, 17]})
    assert thread.comments["path"].tolist() == ["c16", "c16.1", "c17"]
    (thread,) = build_threads(_records(rows), "f", extra={"number": [16, None, 16]})
    assert thread.comments["path"].tolist() == ["c0", "c0.1", "c2"]


def test_the_builder_always_checks_ids_parents_and_cycles() -> None:
    rows = [("a", "c"), ("b", "a"), ("c", "b"), ("a", None), ("d", "nowhere")]
    (thread,) = build_threads(_records(rows), "f", lenient=True)
    assert sorted({p.kind for p in thread.problems}) == ["cycle", "duplicate_id", "missing_parent"]
    validate_comments(thread.comments)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(min_value=-1, max_value=30), min_size=1, max_size=30))
def test_any_parent_list_gives_a_valid_tree(parents: list[int]) -> None:
    rows = [(str(i), None if p < 0 else str(p)) for i, p in enumerate(parents)]
    (thread,) = build_threads(_records(rows), "f", lenient=True)
    validate_comments(thread.comments)
    frame = thread.comments
    assert sorted(frame["position"]) == list(range(len(rows)))
    by_id = frame.set_index("id")
    for path, parent in zip(frame["path"], frame["parent_id"], strict=True):
        if isinstance(parent, str):
            assert path.rsplit(".", 1)[0] == by_id.loc[parent, "path"]


def test_path_ids_number_replies_from_one_in_row_order() -> None:
    parents = np.array([-1, 0, 0, 1, -1])
    depths = np.array([0, 1, 1, 2, 0])
    assert path_ids(parents, depths, np.array([3, 0, 0, 0, 9])).to_pylist() == ["c3", "c3.1", "c3.2", "c3.1.1", "c9"]


def test_build_tree_from_parent_rows_derives_depth_position_and_paths() -> None:
    """A reader that read the nesting itself (a page's indents) hands rows, in page order or not."""
    tree = build_tree(np.array([-1, 0, -1, 0, 1]))
    assert tree.depth.tolist() == [0, 1, 0, 1, 2]
    assert tree.position.tolist() == [0, 1, 4, 3, 2]  # depth first: row 4 answers row 1, row 2 is last
    assert tree.paths(np.array([1, 0, 2, 0, 0])).to_pylist() == ["c1", "c1.1", "c2", "c1.2", "c1.1.1"]
    assert not (tree.duplicate.any() or tree.missing_parent.any() or tree.cyclic.any())


def test_build_tree_mends_rows_that_break_the_tree() -> None:
    """A parent row outside the page, a circle of rows and a repeated id are kept, placed and marked."""
    tree = build_tree(np.array([-1, 7, 3, 2]), ids=pa.array(["a", "b", "c", "a"]))
    assert tree.missing_parent.tolist() == [False, True, False, False]
    assert tree.cyclic.tolist() == [False, False, True, True]
    assert tree.parent.tolist() == [-1, -1, -1, 2]  # the circle cut at its first row
    assert tree.depth.tolist() == [0, 0, 0, 1]
    assert tree.duplicate.tolist() == [False, False, False, True]
    assert tree.ids.to_pylist() == ["a", "b", "c", "a~2"]


def test_build_tree_from_parent_ids_looks_each_up_in_its_own_thread() -> None:
    ids = pa.array(["1", "2", "1", "2"])
    tree = build_tree(pa.array([None, "1", None, "1"]), ids, threads=np.array([0, 0, 1, 1]))
    assert tree.parent.tolist() == [-1, 0, -1, 2]
    assert tree.position.tolist() == [0, 1, 0, 1]
    assert not tree.duplicate.any()


def _thread(frame: pd.DataFrame) -> Thread:
    return Thread(Article(source="made.txt"), frame)


def test_conform_adds_what_a_reader_may_leave_out_and_orders_the_columns() -> None:
    frame = pd.DataFrame(
        {
            "kind": ["comment", "comment"],
            "id": ["c-1", "c-2"],
            "parent_id": pd.array([None, "c-1"], dtype="str"),
            "depth": [0, 1],
            "position": [0, 1],
            "author": ["A", "B"],
            "timestamp": pd.to_datetime(["2020-01-01", "2020-01-02"]).astype("datetime64[us]"),
            "text": ["x", "y"],
            "words": [1, 1],
            "line": [3, 9],
        }
    )
    comments = conform(_thread(frame)).comments
    assert list(comments.columns) == COMMENT_COLUMNS
    assert comments["path"].tolist() == ["c0", "c0.1"]
    assert comments[["number", "author_id", "score"]].isna().all().all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": ["a", "a"]}, "not unique"),
        ({"parent_id": [None, "zz"]}, "unknown comments"),
        ({"depth": [0, 2]}, "depth"),
        ({"parent_id": ["b", "a"], "depth": [1, 1]}, "depth"),
    ],
)
def test_a_broken_tree_is_refused(change: dict, message: str) -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "parent_id": [None, "a"], "depth": [0, 1], "path": ["0", "0.1"]})
    frame = frame.assign(**change).assign(position=[0, 1], author="A", text="x", words=1, line=1, kind="comment")
    frame = frame.assign(timestamp=pd.NaT, number=None, author_id=None, score=None)[COMMENT_COLUMNS]
    with pytest.raises(ValueError, match=message):
        validate_comments(frame)


def test_a_missing_required_column_is_named() -> None:
    with pytest.raises(ValueError, match=r"lack columns: .*text"):
        conform(_thread(pd.DataFrame({"id": ["a"], "parent_id": [None], "depth": [0]})))


def test_each_source_fills_the_ids_and_scores_it_has() -> None:
    (reddit,) = load_threads(str(FORMATS / "reddit_thread.json"))
    assert reddit.comments["score"].tolist() == [21, 8, 1, 4, 3]
    assert dict(reddit.diagnostics.counts) == {"read": 5, "more_stub": 1}
    (youtube,) = load_threads(str(FORMATS / "youtube_api.json"))
    assert youtube.comments[["author_id", "score"]].values.tolist()[:2] == [["UCkiln", 14], ["UCpottery", 6]]
    (downloader,) = load_threads(str(FORMATS / "youtube_downloader.jsonl"))
    assert downloader.comments["score"].tolist() == [25, 3, 0, 1]
    ferry, _ = load_threads(str(FORMATS / "disqus.xml"))
    assert ferry.comments["author_id"].iloc[0] == "inescalder"


def test_records_count_what_they_skip() -> None:
    records = Records()
    records.add("p", 1, None, "A", 1_700_000_000, "x")
    records.skip("p", "spam", 2)
    records.skip("q", "trashed")
    first, second = records.threads("f.xml")
    assert (dict(first.diagnostics.counts), first.diagnostics.total) == ({"read": 1, "spam": 2}, 3)
    assert (second.source, dict(second.diagnostics.counts), len(second.comments)) == (
        "f.xml#q",
        {"read": 0, "trashed": 1},
        0,
    )


def _shuffled_dump(tmp_path: Path) -> Path:
    """Three threads' comments interleaved and out of page order, so the stack is reordered."""
    lines = []
    for k in range(30):
        thread, parent = f"t3_p{k % 3}", f"t1_c{k - 3}" if k >= 3 and k % 2 else f"t3_p{k % 3}"
        lines.append(
            f'{{"id": "c{k}", "parent_id": "{parent}", "link_id": "{thread}", "author": "u{k % 4}", '
            f'"created_utc": {1_650_000_000 + 60 * (30 - k)}, "body": "w {k}"}}'
        )
    path = tmp_path / "dump.ndjson"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_threads_read_together_share_one_stack_that_stands_for_them(tmp_path):
    from commentscope.analysis import page_stats
    from commentscope.model import stacked_comments

    threads = load_threads(_shuffled_dump(tmp_path))
    assert len(threads) == 3 and {id(thread.stack) for thread in threads} == {id(threads[0].stack)}
    stacked = stacked_comments(threads)
    assert stacked is threads[0].stack.comments
    pd.testing.assert_frame_equal(stacked, pd.concat([t.comments for t in threads], ignore_index=True))
    figures = page_stats(threads)
    copies = [Thread(t.article, t.comments.copy(), t.problems, t.diagnostics, t.timezone) for t in threads]
    assert stacked_comments(copies) is not stacked
    assert page_stats(copies) == figures


def test_a_stack_stops_standing_for_threads_that_change_and_does_not_travel(tmp_path):
    import pickle

    from commentscope.model import stacked_comments

    threads = load_threads(_shuffled_dump(tmp_path))
    threads[1].comments = threads[1].comments.iloc[:1]
    assert len(stacked_comments(threads)) == len(threads[0].comments) + 1 + len(threads[2].comments)
    assert len(stacked_comments(threads[:2])) == len(threads[0].comments) + 1  # not all the stack's threads
    assert pickle.loads(pickle.dumps(threads[0])).stack is None


@pytest.mark.parametrize("name", ["pushshift.ndjson", "comments.csv", "convokit/utterances.jsonl"])
def test_threads_read_without_texts_differ_only_in_their_texts(name, tmp_path):
    path = FORMATS / name
    whole, bare = load_threads(path), load_threads(path, texts=False)
    assert [t.source for t in whole] == [t.source for t in bare]
    for full, without in zip(whole, bare, strict=True):
        assert (without.comments["text"] == "").all() and (full.comments["text"] != "").any()
        pd.testing.assert_frame_equal(full.comments.drop(columns="text"), without.comments.drop(columns="text"))


@pytest.mark.parametrize(
    "change",
    [
        lambda frame: frame.__setitem__("words", 0),
        lambda frame: frame.loc.__setitem__((0, "words"), 0),
        lambda frame: frame.__delitem__("author") or frame.__setitem__("author", "someone"),
    ],
    ids=["a column set", "a cell set", "a column dropped and put back at the end"],
)
def test_a_frame_changed_in_place_is_read_as_it_is_now(change, tmp_path):
    from commentscope.analysis import page_stats
    from commentscope.model import stacked_comments

    threads = load_threads(_shuffled_dump(tmp_path))
    change(threads[0].comments)
    assert stacked_comments(threads) is not threads[0].stack.comments
    now = [Thread(t.article, t.comments.copy(), t.problems, t.diagnostics, t.timezone) for t in threads]
    assert page_stats(threads) == page_stats(now)
