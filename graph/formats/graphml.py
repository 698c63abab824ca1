"""The graph as GraphML (Gephi, yEd, Cytoscape desktop)."""

from __future__ import annotations

import io

import networkx as nx

from graph.formats.network import without_unknowns


def to_graphml(graph: nx.MultiDiGraph[str]) -> str:
    """GraphML has no null: an unknown value is an absent attribute."""
    buffer = io.BytesIO()
    nx.write_graphml(without_unknowns(graph), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
