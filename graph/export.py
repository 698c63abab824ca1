"""The graph for other tools: node-link JSON, GraphML (Gephi, yEd) and a Cypher script.

Each export holds the entities and the commitments announced by `as_of`, with the
status at that date; `live_only` keeps just those that count (DESIGN.md as_of).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import networkx as nx

from graph.build import Snapshot
from schemas.enums import CommitmentKind, ValueBasis

# Relationship types in Neo4j: fixed vocabulary, never taken from input.
RELATIONSHIP_TYPES: dict[CommitmentKind, str] = {
    CommitmentKind.EQUITY_INVESTMENT: "INVESTS_IN",
    CommitmentKind.COMPUTE_PURCHASE: "BUYS_COMPUTE_FROM",
    CommitmentKind.CLOUD_CONTRACT: "BUYS_CLOUD_FROM",
    CommitmentKind.CHIP_SUPPLY: "BUYS_CHIPS_FROM",
    CommitmentKind.WARRANT: "HOLDS_WARRANT_IN",
    CommitmentKind.LOAN: "LENDS_TO",
    CommitmentKind.BACKSTOP: "BACKSTOPS",
    CommitmentKind.OTHER: "COMMITS_TO",
    CommitmentKind.STOCK_MERGER: "ACQUIRES_IN_STOCK",
}


def export_graph(
    snapshot: Snapshot, *, as_of: dt.date, live_only: bool = False
) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph with scalar attributes only (what GraphML and JSON can carry)."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(as_of=as_of.isoformat())
    for entity in snapshot.entities.values():
        graph.add_node(
            entity.id,
            name=entity.name,
            kind=entity.kind.value,
            sectors=",".join(entity.sectors),
            country=entity.country or "",
            ticker=entity.ticker or "",
        )
    for c in snapshot.live(as_of, include_inactive=not live_only):
        status = c.status_at(as_of)
        assert status is not None
        graph.add_edge(
            c.from_,
            c.to,
            key=c.id,
            id=c.id,
            kind=c.kind.value,
            usd=float(c.total_usd()),
            usd_low=float(c.total_usd(ValueBasis.LOW)),
            usd_high=float(c.total_usd(ValueBasis.HIGH)),
            disclosed=c.amount is not None,
            up_to=bool(c.amount and c.amount.up_to),
            estimate=bool(c.amount and c.amount.estimate),
            status=status.value,
            counts=c.counts_at(as_of),
            binding="" if c.binding is None else str(c.binding).lower(),
            announced=c.announced.isoformat(),
            source_url=c.sources[0].url,  # not `source`: node-link JSON uses that key
        )
    return graph


def to_node_link(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    return data


def to_graphml(graph: nx.MultiDiGraph[str]) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _literal(value: object) -> str:
    """A Cypher literal: JSON string escapes are Cypher string escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=True)


def _map(attrs: dict[str, object]) -> str:
    # Keys are our own attribute names (identifiers), never input.
    return "{" + ", ".join(f"{k}: {_literal(v)}" for k, v in attrs.items()) + "}"


def to_cypher(graph: nx.MultiDiGraph[str]) -> str:
    """A script that recreates the graph in Neo4j (run it with cypher-shell or Browser)."""
    lines = [
        f"// AI Financing Graph export, as of {graph.graph['as_of']}",
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;",
    ]
    for node, attrs in graph.nodes(data=True):
        lines.append(f"MERGE (e:Entity {{id: {_literal(node)}}}) SET e += {_map(attrs)};")
    for u, v, attrs in graph.edges(data=True):
        rel = RELATIONSHIP_TYPES[CommitmentKind(attrs["kind"])]
        props = {k: val for k, val in attrs.items() if k != "id"}
        lines.append(
            f"MATCH (a:Entity {{id: {_literal(u)}}}), (b:Entity {{id: {_literal(v)}}}) "
            f"MERGE (a)-[r:{rel} {{id: {_literal(attrs['id'])}}}]->(b) SET r += {_map(props)};"
        )
    return "\n".join(lines) + "\n"
