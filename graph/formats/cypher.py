"""The graph as a Cypher script that writes the Neo4j store's own model
(graph.store.graph_model: kind labels, the same relationship properties, each record's
history up to `as_of`), so the Browser style and the saved queries in neo4j/queries/ work
on an exported graph as on an imported one.
"""

from __future__ import annotations

import datetime as dt
import json

from graph.formats.network import known_at
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
    for c in known_at(snapshot, as_of, live_only):
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
