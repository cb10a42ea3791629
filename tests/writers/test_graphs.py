"""GraphML and GEXF 1.3 files read back with networkx and compared with the reports they come from.

No installable package ships the GEXF 1.3 XSD (networkx, gexfpy and pygexf do not), so the GEXF
structure is checked here by hand against the 1.3 schema: namespace and version, the order of
meta, attributes, nodes and edges, and every attvalue pointing at a declared attribute.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from conftest import build_export
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commentscope.analysis import commenter_table, reply_network
from commentscope.writers.graphs import ANONYMOUS_LABEL, comment_graph, people_graph, write_graph

nx = pytest.importorskip("networkx", reason="networkx is not installed (it comes with the test extra)")

GEXF = "{http://gexf.net/1.3}"


def written(graph, fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / f"graph.{fmt}"
    with path.open("w", encoding="utf-8") as handle:
        write_graph(graph, fmt, handle)
    return path


def read(path: Path):
    return nx.read_graphml(path) if path.suffix == ".graphml" else nx.read_gexf(path)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_people_graph_reads_back(export, fmt: str, tmp_path: Path) -> None:
    comments = export.comments
    commenters, network = commenter_table(comments), reply_network(comments)
    graph = read(written(people_graph(network, commenters), fmt, tmp_path))
    assert graph.is_directed()
    named = commenters[~commenters["anonymous"]]
    assert set(graph.nodes) == {*named["author"], ANONYMOUS_LABEL}
    for row in commenters.itertuples(index=False):
        node = graph.nodes[ANONYMOUS_LABEL if row.anonymous else row.author]
        assert node["anonymous"] is bool(row.anonymous)
        assert (node["comments"], node["replies_made"], node["replies_received"]) == (
            row.comments,
            row.replies_made,
            row.replies_received,
        )
    edges = {(source, target): data["weight"] for source, target, data in graph.edges(data=True)}

    def person(name: object) -> object:
        return ANONYMOUS_LABEL if pd.isna(name) else name

    assert edges == {
        (person(row.source), person(row.target)): float(row.replies) for row in network.itertuples(index=False)
    }
    assert graph.degree(ANONYMOUS_LABEL) == network[["source", "target"]].isna().any(axis=1).sum()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("pages", [["small.txt"], ["small.txt", "awkward.txt", "formats/wordpress.xml"]])
def test_comment_graph_reads_back(fmt: str, pages: list[str], tmp_path: Path) -> None:
    comments = build_export(pages).comments
    graph = read(written(comment_graph(comments), fmt, tmp_path))
    several = "source" in comments
    ids = (comments["source"] + "#" + comments["id"]) if several else comments["id"]
    assert list(graph.nodes) == ids.tolist()
    for node, row in zip(ids, comments.itertuples(index=False), strict=True):
        data = graph.nodes[node]
        anonymous = not isinstance(row.author, str)
        assert data["anonymous"] is anonymous
        assert data.get("author") == (None if anonymous else row.author)
        assert data["timestamp"] == row.timestamp.isoformat()
        assert (data["depth"], data["kind"], data["words"]) == (row.depth, row.kind, row.words)
        assert data.get("source") == (row.source if several else None)
    replies = comments["parent_id"].notna()
    parents = (comments["source"] + "#" + comments["parent_id"]) if several else comments["parent_id"]
    assert sorted((u, v) for u, v in graph.edges()) == sorted(zip(ids[replies], parents[replies], strict=True))


def test_gexf_follows_the_1_3_schema(export, tmp_path: Path) -> None:
    comments = export.comments
    root = ElementTree.parse(
        written(people_graph(reply_network(comments), commenter_table(comments)), "gexf", tmp_path)
    ).getroot()
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    assert [child.tag for child in root] == [f"{GEXF}meta", f"{GEXF}graph"]
    graph = root.find(f"{GEXF}graph")
    assert graph.get("defaultedgetype") == "directed"
    assert [child.tag for child in graph] == [f"{GEXF}attributes", f"{GEXF}nodes", f"{GEXF}edges"]
    declared = {attribute.get("id"): attribute.get("type") for attribute in graph.iter(f"{GEXF}attribute")}
    assert set(declared.values()) <= {"boolean", "long", "double", "string"}
    for value in graph.iter(f"{GEXF}attvalue"):
        assert value.get("for") in declared
    node_ids = [node.get("id") for node in graph.iter(f"{GEXF}node")]
    assert len(set(node_ids)) == len(node_ids)
    for edge in graph.iter(f"{GEXF}edge"):
        assert edge.get("source") in node_ids and edge.get("target") in node_ids
        assert float(edge.get("weight")) >= 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_awkward_names_survive(fmt: str, tmp_path: Path) -> None:
    import pandas as pd

    names = ['Ann & "Bo" <x>', "tab\there", "bell\x07", ANONYMOUS_LABEL]
    commenters = pd.DataFrame(
        {
            "author": [*names, None],
            "anonymous": [False] * len(names) + [True],
            "comments": [1] * (len(names) + 1),
            "replies_made": [0] * (len(names) + 1),
            "replies_received": [0] * (len(names) + 1),
            "words": [3] * (len(names) + 1),
            "pages": [1] * (len(names) + 1),
        }
    )
    network = pd.DataFrame({"source": [names[0]], "target": [names[1]], "replies": [3]})
    graph = read(written(people_graph(network, commenters), fmt, tmp_path))
    assert set(graph.nodes) == {names[0], names[1], "bell\\x07", ANONYMOUS_LABEL, f"({ANONYMOUS_LABEL})"}
    assert graph.nodes[f"({ANONYMOUS_LABEL})"]["anonymous"] is True
    assert graph.nodes[ANONYMOUS_LABEL]["anonymous"] is False
    assert graph.edges[names[0], names[1], *([0] if graph.is_multigraph() else [])]["weight"] == 3.0


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="'dot' is not a graph format; choose from graphml, gexf"):
        write_graph(comment_graph(build_export(["small.txt"]).comments), "dot", io.StringIO())


def test_node_ids_that_would_repeat_are_refused() -> None:
    import pandas as pd

    from commentscope.errors import OutputError

    comments = pd.DataFrame(
        {
            "source": ["a", "a#b"],
            "id": ["b#c", "c"],
            "parent_id": pd.Series([None, None], dtype="str"),
            "depth": [0, 0],
            "author": ["x", "y"],
            "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 11:00"]),
            "kind": ["comment", "comment"],
            "words": [1, 1],
        }
    )
    with pytest.raises(OutputError, match="comment ids repeat"):
        comment_graph(comments)


# What XML 1.0 can carry as it is (the rest is written as visible escapes, tested above).
XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\r\ufffe\uffff",
    ),
    min_size=1,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(XML_TEXT, min_size=2, max_size=5, unique=True), fmt=st.sampled_from(["graphml", "gexf"]))
def test_any_names_round_trip(names: list[str], fmt: str, tmp_path_factory) -> None:
    import pandas as pd

    names = [name for name in names if name != ANONYMOUS_LABEL] or ["x"]
    commenters = pd.DataFrame(
        {
            "author": names,
            "anonymous": False,
            **{column: 1 for column in ("comments", "replies_made", "replies_received", "words", "pages")},
        }
    )
    network = pd.DataFrame({"source": names[:1], "target": names[-1:], "replies": [2]})
    graph = read(written(people_graph(network, commenters), fmt, tmp_path_factory.mktemp("g")))
    assert set(graph.nodes) == set(names)
    assert {(u, v) for u, v in graph.edges()} == {(names[0], names[-1])}
