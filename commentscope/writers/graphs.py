"""Graphs as GraphML and GEXF 1.3, for Gephi, networkx, Cytoscape and igraph.

- ``people_graph(network, commenters) -> Graph``: who answers whom. Nodes are people (from
  ``commenter_table``, with ``comments``, ``replies_made``, ``replies_received``, ``words`` and
  ``pages``); the anonymous comments are one node, ``anonymous`` true and labelled ``(anonymous)``,
  with no edges (``reply_network`` cannot tell anonymous people apart). Edges go from replier to
  the person replied to (``reply_network``), their weight the number of replies.
- ``comment_graph(comments) -> Graph``: the reply tree. Nodes are comments with ``author`` (absent
  when anonymous, and ``anonymous`` true), ``timestamp`` (ISO 8601), ``depth``, ``kind``, ``words``
  and, across pages, ``source``; edges go from a reply to its parent. A node's id is the comment's
  id, or ``SOURCE#ID`` across pages (``OutputError`` should two come out the same).
- ``write_graph(graph, fmt, handle)`` writes either as ``fmt`` (``"graphml"`` or ``"gexf"``) to a
  text handle (``writers.files.open_output`` or standard output). Raises ``ValueError`` for
  another format.

Written directly rather than with networkx: both formats are a few elements, so no dependency is
added for users; rows are streamed out without building a graph object; and a missing value is left
out rather than refused (networkx's writers reject None) while types are declared as the frames
have them. Characters XML cannot carry (C0 controls) are written as visible ``\\xNN`` escapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from commentscope import __version__
from commentscope.errors import OutputError
from commentscope.writers.table import ANONYMOUS_LABEL
from commentscope.writers.text import WriteOptions

FORMATS = ("graphml", "gexf")


@dataclass
class Graph:
    """Nodes and edges with typed attributes; a None attribute value is left out of the file."""

    name: str
    #: attribute name -> "boolean", "long", "double" or "string" (the same words in both formats)
    node_types: dict[str, str]
    edge_types: dict[str, str]
    nodes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (id, label, attributes)
    edges: list[tuple[str, str, float | None, dict[str, Any]]] = field(
        default_factory=list
    )  # (from, to, weight, attrs)


def people_graph(network: pd.DataFrame, commenters: pd.DataFrame) -> Graph:
    """The reply network as a graph of people (see the module's docstring)."""
    counts = [name for name in ("comments", "replies_made", "replies_received", "words", "pages") if name in commenters]
    graph = Graph("people", {"anonymous": "boolean", **dict.fromkeys(counts, "long")}, {})
    anonymous_id = _free_id(set(commenters["author"].dropna()))
    for row in commenters.itertuples(index=False):
        values = {name: int(getattr(row, name)) for name in counts}
        if row.anonymous:
            graph.nodes.append((anonymous_id, ANONYMOUS_LABEL, {"anonymous": True, **values}))
        else:
            graph.nodes.append((row.author, row.author, {"anonymous": False, **values}))
    for source, target, replies in network[["source", "target", "replies"]].itertuples(index=False):
        # the network's null is every anonymous comment: the anonymous node
        graph.edges.append((_person(source, anonymous_id), _person(target, anonymous_id), float(replies), {}))
    return graph


def _person(name: Any, anonymous_id: str) -> str:
    return anonymous_id if pd.isna(name) else str(name)


def comment_graph(comments: pd.DataFrame) -> Graph:
    """The reply tree as a graph of comments (see the module's docstring)."""
    pages = "source" in comments
    types = {"anonymous": "boolean", "author": "string", "timestamp": "string", "depth": "long"}
    types |= {"kind": "string", "words": "long"} | ({"source": "string"} if pages else {})
    graph = Graph("comments", types, {})
    ids = comments["id"] if not pages else comments["source"] + "#" + comments["id"]
    node_ids = ids.tolist()
    if len(set(node_ids)) != len(node_ids):
        raise OutputError("comment ids repeat: each comment needs an id of its own for a graph")
    stamps = comments["timestamp"].to_numpy(dtype="datetime64[us]")
    missing = np.isnat(stamps)
    seconds_only = not (stamps[~missing].astype(np.int64) % 1_000_000).any()
    times = np.datetime_as_string(stamps, unit="s" if seconds_only else "us").astype(object)
    times[missing] = None
    authors = comments["author"].astype(object).where(comments["author"].notna(), None).tolist()
    sources = comments["source"].tolist() if pages else [None] * len(comments)
    for node, author, time, depth, kind, words, source in zip(
        node_ids, authors, times, comments["depth"], comments["kind"], comments["words"], sources, strict=True
    ):
        values = {"anonymous": author is None, "author": author, "timestamp": time, "depth": int(depth)}
        values |= {"kind": kind, "words": int(words)} | ({"source": source} if pages else {})
        graph.nodes.append((node, node, values))
    parents = comments["parent_id"] if not pages else comments["source"] + "#" + comments["parent_id"]
    for node, parent in zip(node_ids, parents.tolist(), strict=True):
        if isinstance(parent, str):
            graph.edges.append((node, parent, None, {}))
    return graph


def write_graph(graph: Graph, fmt: str, handle: IO[str]) -> None:
    """``graph`` as GraphML or GEXF 1.3 on ``handle``."""
    lines = {"graphml": _graphml, "gexf": _gexf}.get(fmt)
    if lines is None:
        raise ValueError(f"{fmt!r} is not a graph format; choose from {', '.join(FORMATS)}")
    handle.writelines(lines(graph))


def _graphml(graph: Graph) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    node_keys = {name: f"n{i}" for i, name in enumerate(["label", *graph.node_types])}
    node_types = {"label": "string", **graph.node_types}
    edge_keys = {name: f"e{i}" for i, name in enumerate(["weight", *graph.edge_types])}
    edge_types = {"weight": "double", **graph.edge_types}
    for keys, types, kind in ((node_keys, node_types, "node"), (edge_keys, edge_types, "edge")):
        for name, key in keys.items():
            yield (f'  <key id="{key}" for="{kind}" attr.name={_attr(name)} attr.type="{types[name]}"/>\n')
    yield f'  <graph id={_attr(graph.name)} edgedefault="directed">\n'
    for node, label, values in graph.nodes:
        data = "".join(
            f'<data key="{node_keys[name]}">{_text(_value(value))}</data>'
            for name, value in {"label": label, **values}.items()
            if value is not None
        )
        yield f"    <node id={_attr(node)}>{data}</node>\n"
    for source, target, weight, values in graph.edges:
        data = "".join(
            f'<data key="{edge_keys[name]}">{_text(_value(value))}</data>'
            for name, value in {"weight": weight, **values}.items()
            if value is not None
        )
        yield f"    <edge source={_attr(source)} target={_attr(target)}>{data}</edge>\n"
    yield "  </graph>\n</graphml>\n"


def _gexf(graph: Graph) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
    )
    yield (
        f"  <meta><creator>commentscope {_text(__version__)}</creator>"
        f"<description>{_text(graph.name)}</description></meta>\n"
    )
    yield '  <graph defaultedgetype="directed" mode="static">\n'
    node_ids = {name: str(i) for i, name in enumerate(graph.node_types)}
    edge_ids = {name: str(i) for i, name in enumerate(graph.edge_types)}
    for kind, types, ids in (("node", graph.node_types, node_ids), ("edge", graph.edge_types, edge_ids)):
        if types:
            yield f'    <attributes class="{kind}" mode="static">\n'
            for name, type_ in types.items():
                yield f'      <attribute id="{ids[name]}" title={_attr(name)} type="{type_}"/>\n'
            yield "    </attributes>\n"
    yield "    <nodes>\n"
    for node, label, values in graph.nodes:
        yield f"      <node id={_attr(node)} label={_attr(label)}>{_attvalues(values, node_ids)}</node>\n"
    yield "    </nodes>\n    <edges>\n"
    for number, (source, target, weight, values) in enumerate(graph.edges):
        weighted = "" if weight is None else f' weight="{_value(weight)}"'
        yield (
            f'      <edge id="{number}" source={_attr(source)} target={_attr(target)}{weighted}>'
            f"{_attvalues(values, edge_ids)}</edge>\n"
        )
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _attvalues(values: dict[str, Any], ids: dict[str, str]) -> str:
    inner = "".join(
        f'<attvalue for="{ids[name]}" value={_attr(_value(value))}/>'
        for name, value in values.items()
        if value is not None
    )
    return f"<attvalues>{inner}</attvalues>" if inner else ""


def _free_id(names: set[str]) -> str:
    """The anonymous node's id: its label, bracketed further while a commenter bears that name."""
    candidate = ANONYMOUS_LABEL
    while candidate in names:
        candidate = f"({candidate})"
    return candidate


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


# XML 1.0 carries no C0 control but tab, newline and carriage return, no lone surrogate, no U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(value: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


def _text(value: str) -> str:
    return _visible(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return quoteattr(_visible(str(value)), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def write_graphml(graph: Graph, handle: IO[str], options: WriteOptions) -> None:
    """The registry's GraphML writer."""
    write_graph(graph, "graphml", handle)


def write_gexf(graph: Graph, handle: IO[str], options: WriteOptions) -> None:
    """The registry's GEXF writer."""
    write_graph(graph, "gexf", handle)
