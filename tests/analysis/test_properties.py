"""Random trees: the linear-time formulas agree with brute force."""

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st
from random_trees import document_order

from commentscope.analysis import h_index, reply_tree, thread_stats, tree_rows
from commentscope.model import Article


@st.composite
def threads(draw):
    """Rows in document order: each comment is top level or answers an earlier one."""
    size = draw(st.integers(min_value=0, max_value=25))
    parents: list[int | None] = []
    for k in range(size):
        parents.append(draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None)
    order = document_order(parents)
    authors = draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=size, max_size=size))
    rows = [
        (f"c{k}", None if parents[k] is None else f"c{parents[k]}", authors[k], None, "w " * (k % 3 + 1)) for k in order
    ]
    return rows, parents


def brute_force_virality(parents: list[int | None]) -> float | None:
    """Breadth-first search from every node of the article-rooted tree."""
    n = len(parents) + 1  # node 0 is the article, comment k is node k + 1
    if n == 1:
        return None
    adjacent: list[list[int]] = [[] for _ in range(n)]
    for k, parent in enumerate(parents):
        above = 0 if parent is None else parent + 1
        adjacent[above].append(k + 1)
        adjacent[k + 1].append(above)
    total = 0
    for start in range(n):
        distance = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for other in adjacent[node]:
                if other not in distance:
                    distance[other] = distance[node] + 1
                    queue.append(other)
        total += sum(distance.values())
    return total / (n * (n - 1))


@settings(max_examples=60, deadline=None)
@given(threads())
def test_virality_h_index_and_tree_agree_with_brute_force(build, thread):
    rows, parents = thread
    frame = build(rows)
    stats = thread_stats(frame, Article(source="x"))
    expected = brute_force_virality(parents)
    assert stats["structural_virality"] == (None if expected is None else round(expected, 4))
    depths = frame["depth"].tolist()
    levels = {depth + 1: depths.count(depth) for depth in set(depths)}
    assert stats["h_index"] == max([h for h, count in levels.items() if count >= h], default=0)
    assert h_index(frame["depth"].to_numpy()) == stats["h_index"]
    # walking the nested tree depth-first gives back the flat rows in document order
    walked, stack = [], list(reversed(reply_tree(frame)))
    while stack:
        node = stack.pop()
        walked.append(node["id"])
        assert node["replies_count"] == len(node["replies"])
        stack.extend(reversed(node["replies"]))
    assert walked == tree_rows(frame)["id"].tolist() == [row[0] for row in rows]


def test_brute_force_itself_on_a_path():
    # article - c0 - c1: distances 1, 1, 2 over 3 unordered pairs
    assert brute_force_virality([None, 0]) == 4 / 3
