"""Random threads: the array formulas of threads and measures agree with brute force."""

from collections import Counter, deque

from hypothesis import given, settings
from hypothesis import strategies as st

from commentscope.analysis import hypergraph_features, subthread_table, thread_stats
from commentscope.model import Article


@st.composite
def threads(draw):
    """(rows in document order, parent index of each comment k, author of each k)."""
    size = draw(st.integers(min_value=0, max_value=25))
    parents: list[int | None] = [None] * size
    for k in range(1, size):
        parents[k] = draw(st.one_of(st.none(), st.integers(0, k - 1)))
    authors = draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=size, max_size=size))
    children: dict[int | None, list[int]] = {}
    for k, parent in enumerate(parents):
        children.setdefault(parent, []).append(k)
    order, stack = [], list(reversed(children.get(None, [])))
    while stack:  # document order: each comment right after its parent's earlier replies
        k = stack.pop()
        order.append(k)
        stack.extend(reversed(children.get(k, [])))
    when = [f"2020-01-01 {k // 60:02d}:{k % 60:02d}" for k in range(size)]  # comment k at minute k
    rows = [(f"c{k}", None if parents[k] is None else f"c{parents[k]}", authors[k], when[k], "x") for k in order]
    return rows, parents, authors


def missing_as_none(value):
    return None if value != value else value  # NaN is the one value unequal to itself


def path_up(k, parents):
    path = [k]
    while parents[path[-1]] is not None:
        path.append(parents[path[-1]])
    return path  # k, its parent, ..., its top-level comment


@settings(max_examples=60, deadline=None)
@given(threads())
def test_subthreads_against_brute_force(build, thread):
    rows, parents, authors = thread
    table = subthread_table(build(rows)).set_index("id")
    for root in (k for k, parent in enumerate(parents) if parent is None):
        members = [k for k in range(len(parents)) if path_up(k, parents)[-1] == root]
        levels = Counter(len(path_up(k, parents)) - 1 for k in members)
        row = table.loc[f"c{root}"]
        assert row["size"] == len(members) and row["width"] == max(levels.values())
        assert row["depth"] == max(levels)
        assert row["h_index"] == max([h for h in levels if h >= 1 and levels[h] >= h], default=0)
        assert row["participants"] == len({authors[k] for k in members} - {None})
        # all-pairs distances by breadth-first search inside the subthread
        adjacent = {k: [] for k in members}
        for k in members:
            if k != root:
                adjacent[k].append(parents[k])
                adjacent[parents[k]].append(k)
        total = 0
        for start in members:
            distance, queue = {start: 0}, deque([start])
            while queue:
                node = queue.popleft()
                for other in adjacent[node]:
                    if other not in distance:
                        distance[other] = distance[node] + 1
                        queue.append(other)
            total += sum(distance.values())
        m = len(members)
        expected = round(total / (m * (m - 1)), 4) if m > 1 else None
        assert missing_as_none(row["structural_virality"]) == expected
        replies = [k for k in members if k != root]  # comment k is dated minute k
        hours = round((max(replies) - min(replies)) / 60, 4) if replies else None
        assert missing_as_none(row["duration_hours"]) == hours


@settings(max_examples=60, deadline=None)
@given(threads())
def test_exchanges_and_motifs_against_brute_force(build, thread):
    rows, parents, authors = thread
    frame = build(rows)
    longest = 0
    for k in range(len(parents)):
        path = [authors[j] for j in path_up(k, parents)]  # from k upwards
        run = 1
        while (
            run < len(path)
            and path[run] is not None
            and path[0] is not None
            and path[run] != path[run - 1]
            and (run < 2 or path[run] == path[run - 2])
        ):
            run += 1
        longest = max(longest, run if run >= 2 else 0)
    assert thread_stats(frame, Article(source="p"))["longest_exchange"] == longest
    # ConvoKit's reciprocity motifs: replies whose grandparent has the same (named) author; anonymous never match
    deep = [k for k in range(len(parents)) if parents[k] is not None and parents[parents[k]] is not None]
    same = sum(1 for k in deep if authors[k] is not None and authors[k] == authors[parents[parents[k]]])
    features = hypergraph_features(frame, "p")
    assert features["count[reciprocity motif]"] == same
    assert features["count[external reciprocity motif]"] == len(deep) - same
