"""The graph for other tools: node-link JSON, GraphML (Gephi, yEd) and a Cypher script.

Each export holds the entities and the commitments announced by `as_of`, with the status
at that date; `live_only` keeps just those that count then. The Cypher script writes the
Neo4j store's own model (graph.store.graph_model: kind labels, the same relationship
properties, each record's history up to `as_of`), so the Browser style and the saved
queries in neo4j/queries/ work on an exported graph as on an imported one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import networkx as nx

from graph.counting import counts, exposure_pair
from graph.snapshot import Snapshot
from graph.store import cypher
from graph.store.graph_model import (
    ENTITY_LABELS,
    EVENT_LINK,
    RELATIONSHIP_TYPES,
    commitment_props,
    entity_props,
    event_props,
)
from schemas.commitments import Commitment
from schemas.enums import MONEY_FLOW_KINDS, ValueBasis
from schemas.queries import ExportFormat, ExportQuery, resolve_as_of

MEDIA_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.GRAPHML: "application/graphml+xml",
    ExportFormat.CYPHER: "application/x-cypher",
}


@dataclass(frozen=True)
class Export:
    """An export's body: a JSON value for `json`, text for the others."""

    format: ExportFormat
    content: Any

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def _as_known_at(snapshot: Snapshot, as_of: dt.date, live_only: bool) -> Iterator[Commitment]:
    """The commitments announced by `as_of` (counting then, with `live_only`), each with
    its status history up to that date: what a reader could have known on the day."""
    for c in snapshot.commitments.values():
        if c.announced > as_of or c.status_at(as_of) is None:
            continue
        if live_only and not c.counts_at(as_of):
            continue
        known = [s for s in c.status if s.date <= as_of]
        yield c if len(known) == len(c.status) else c.model_copy(update={"status": known})


def export(snapshot: Snapshot, query: ExportQuery, *, today: dt.date) -> Export:
    as_of = resolve_as_of(query.as_of, today)
    if query.format is ExportFormat.CYPHER:
        return Export(query.format, to_cypher(snapshot, as_of=as_of, live_only=query.live_only))
    graph = export_graph(snapshot, as_of=as_of, live_only=query.live_only)
    if query.format is ExportFormat.GRAPHML:
        return Export(query.format, to_graphml(graph))
    return Export(query.format, to_node_link(graph))


def export_graph(
    snapshot: Snapshot, *, as_of: dt.date, live_only: bool = False
) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph with scalar attributes only (what GraphML and JSON can carry).

    An undisclosed amount is None (null in JSON, absent in GraphML), never 0; `counted_usd`
    is what the commitment counts for at `as_of` (a whole only for its remainder beyond
    its parts, less stated overlaps), None when undisclosed or not counting then.
    """
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(as_of=as_of.isoformat())
    adjusted = snapshot.adjustments(as_of, ValueBasis.POINT)
    for entity in snapshot.entities.values():
        graph.add_node(
            entity.id,
            name=entity.name,
            kind=entity.kind.value,
            sectors=",".join(entity.sectors),
            country=entity.country or "",
            ticker=entity.ticker or "",
        )
    for c in _as_known_at(snapshot, as_of, live_only):
        counts_then = counts(c, as_of)
        counted = adjusted[c.id].usd if c.id in adjusted else c.amount_usd()
        graph.add_edge(
            c.from_,
            c.to,
            key=c.id,
            id=c.id,
            kind=c.kind.value,
            usd=_float(c.amount_usd()),
            usd_low=_float(c.amount_usd(ValueBasis.LOW)),
            usd_high=_float(c.amount_usd(ValueBasis.HIGH)),
            counted_usd=_float(counted) if counts_then else None,
            disclosed=c.amount is not None,
            up_to=bool(c.amount and c.amount.up_to),
            estimate=bool(c.amount and c.amount.estimate),
            status=c.status[-1].status.value,
            counts=counts_then,
            # Who stands to lose if the other party fails ("" where no money flows).
            exposed=exposure_pair(c)[0] if c.kind in MONEY_FLOW_KINDS else "",
            binding="" if c.binding is None else str(c.binding).lower(),
            announced=c.announced.isoformat(),
            source_url=c.sources[0].url,  # not `source`: node-link JSON uses that key
            # The lead source's kind and publisher, and every source's page (space-separated:
            # GraphML holds no lists), so a picture can say what its figures rest on.
            source_kind=c.sources[0].kind.value,
            source_publisher=c.sources[0].publisher,
            source_urls=" ".join(s.url for s in c.sources),
        )
    return graph


def to_node_link(graph: nx.MultiDiGraph[str]) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    return data


def _float(usd: Decimal | None) -> float | None:
    return None if usd is None else float(usd)


def to_graphml(graph: nx.MultiDiGraph[str]) -> str:
    """GraphML has no null: an unknown value is an absent attribute."""
    known = graph.copy()
    for _, _, attrs in known.edges(data=True):
        for name in [name for name, value in attrs.items() if value is None]:
            del attrs[name]
    buffer = io.BytesIO()
    nx.write_graphml(known, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _literal(value: object) -> str:
    """A Cypher literal: JSON string escapes are Cypher string escapes."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return f"date({json.dumps(value.isoformat())})"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=True)


def _map(props: dict[str, object]) -> str:
    # Keys are the model's own property names (identifiers), never input.
    return "{" + ", ".join(f"{k}: {_literal(v)}" for k, v in props.items()) + "}"


def to_cypher(snapshot: Snapshot, *, as_of: dt.date, live_only: bool = False) -> str:
    """A script that recreates the graph in Neo4j as the store writes it (run it with
    cypher-shell or paste it into Browser); running it twice changes nothing."""
    lines = [
        f"// AI Financing Graph export, as of {as_of.isoformat()}: the Neo4j store's model",
        *(f"{statement};" for statement in cypher.SCHEMA),
    ]
    for entity in snapshot.entities.values():
        lines.append(
            f"MERGE (e:Entity {{id: {_literal(entity.id)}}}) SET e += {_map(entity_props(entity))}"
            f" SET e:{ENTITY_LABELS[entity.kind]};"
        )
    for c in _as_known_at(snapshot, as_of, live_only):
        lines.append(
            f"MATCH (a:Entity {{id: {_literal(c.from_)}}}), (b:Entity {{id: {_literal(c.to)}}}) "
            f"MERGE (a)-[r:{RELATIONSHIP_TYPES[c.kind]} {{id: {_literal(c.id)}}}]->(b) "
            f"SET r = {_map(commitment_props(c))};"
        )
    for event in snapshot.events.values():
        if event.date > as_of:
            continue
        event_id = _literal(event.id)
        lines.append(f"MERGE (ev:Event {{id: {event_id}}}) SET ev += {_map(event_props(event))};")
        for entity_id in event.entities:
            lines.append(
                f"MATCH (ev:Event {{id: {event_id}}}), (e:Entity {{id: {_literal(entity_id)}}}) "
                f"MERGE (ev)-[:{EVENT_LINK}]->(e);"
            )
    return "\n".join(lines) + "\n"
