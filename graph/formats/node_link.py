"""The graph as networkx node-link JSON (`networkx.node_link_data(graph, edges="links")`).

The document says what it is (`format`, `networkx`) so a reader knows how to load it:
`networkx.node_link_graph(data, edges="links")` with networkx 3.6 (the README shows it).
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import networkx as nx

FORMAT = "networkx node-link"


def to_node_link(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    # Graph attributes sit under "graph"; node_link_graph reads them back as such.
    data["graph"] = {**data["graph"], "format": FORMAT, "networkx": version("networkx")}
    return data
