"""All Cypher the Neo4j store runs: named constants, parameters only.

Labels and relationship types come from fixed vocabularies (schemas.enums and
graph.export.RELATIONSHIP_TYPES); a query text never contains user input. Where a
query needs a label or type, every variant is written out here from the vocabulary.
"""

from __future__ import annotations

from graph.export import RELATIONSHIP_TYPES
from schemas.enums import EntityKind

ENTITY_LABELS: dict[EntityKind, str] = {kind: kind.value.capitalize() for kind in EntityKind}

SCHEMA = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE",
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:Meta) REQUIRE m.key IS UNIQUE",
    # Relationship property uniqueness is Enterprise-only; a range index finds them fast.
    *(
        f"CREATE INDEX commitment_id_{rel.lower()} IF NOT EXISTS FOR ()-[r:{rel}]-() ON (r.id)"
        for rel in RELATIONSHIP_TYPES.values()
    ),
)

# One MERGE per label: `SET e:$label` needs Neo4j 5.24+ dynamic labels; spelling each
# out keeps the label out of the parameters and works on every 5.x.
MERGE_ENTITIES = {
    kind: f"""
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
SET e += row.props
WITH e, row
REMOVE e:{":".join(label for k, label in ENTITY_LABELS.items() if k is not kind)}
SET e:{label}
"""
    for kind, label in ENTITY_LABELS.items()
}

# A commitment is one relationship; a changed kind or endpoint means delete and recreate.
# Typed, so each lookup uses that type's index on r.id rather than scanning every
# relationship.
DELETE_COMMITMENTS = {
    kind: f"""
UNWIND $ids AS cid
MATCH ()-[r:{rel} {{id: cid}}]->()
DELETE r
"""
    for kind, rel in RELATIONSHIP_TYPES.items()
}

MERGE_COMMITMENTS = {
    kind: f"""
UNWIND $rows AS row
MATCH (a:Entity {{id: row.from}}), (b:Entity {{id: row.to}})
CREATE (a)-[r:{rel}]->(b)
SET r = row.props
"""
    for kind, rel in RELATIONSHIP_TYPES.items()
}

MERGE_EVENTS = """
UNWIND $rows AS row
MERGE (ev:Event {id: row.id})
SET ev += row.props
WITH ev, row
OPTIONAL MATCH (ev)-[old:INVOLVES]->()
DELETE old
WITH DISTINCT ev, row
UNWIND row.entities AS entity_id
MATCH (e:Entity {id: entity_id})
MERGE (ev)-[:INVOLVES]->(e)
"""

# The data version is a fresh UUID per write, never a counter: after a CLEAR a counter
# would restart and a reader could take new data for the snapshot it already holds.
LOCK_DATA = """
MERGE (m:Meta {key: 'data'})
ON CREATE SET m.version = ''
SET m.locked = datetime()
RETURN m.version AS version
"""
BUMP_VERSION = "MATCH (m:Meta {key: 'data'}) SET m.version = randomUUID(), m.updated = datetime()"
SET_FLAG = "MERGE (m:Meta {key: $key}) SET m.value = $value"
GET_FLAG = "MATCH (m:Meta {key: $key}) RETURN m.value AS value"
VERSION = "OPTIONAL MATCH (m:Meta {key: 'data'}) RETURN coalesce(m.version, '') AS version"

# In id order, so listings and float sums do not depend on where records sit on disk.
ALL_ENTITIES = "MATCH (e:Entity) RETURN e.doc AS doc ORDER BY e.id"
ALL_COMMITMENTS = "MATCH ()-[r]->() WHERE r.doc IS NOT NULL RETURN r.doc AS doc ORDER BY r.id"
ALL_EVENTS = "MATCH (ev:Event) RETURN ev.doc AS doc ORDER BY ev.id"
COUNTS = """
CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
CALL () { MATCH ()-[r]->() WHERE r.doc IS NOT NULL RETURN count(r) AS commitments }
CALL () { MATCH (ev:Event) RETURN count(ev) AS events }
RETURN entities, commitments, events
"""

# The status at $as_of is the last change dated on or before it (DESIGN.md as_of).
_STATUS_AT = """
[i IN range(0, size(r.status_dates) - 1) WHERE r.status_dates[i] <= $as_of] AS done
WITH *, CASE WHEN size(done) = 0 THEN null ELSE r.status_values[done[-1]] END AS status
"""
_COUNTS = """
r.announced <= $as_of
AND (status IN $live_statuses OR (status = 'completed' AND r.kind IN $at_risk_kinds))
"""

# Exposure pairs (exposed, counterparty, usd) among the live commitments touching the
# entities in $ids: investors are exposed to investees, recipients to payers.
EXPOSURE_PAIRS = f"""
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.doc IS NOT NULL AND (a.id IN $ids OR b.id IN $ids)
WITH r, a, b, {_STATUS_AT}
WHERE {_COUNTS}
WITH CASE WHEN r.kind IN $contract_kinds THEN b.id ELSE a.id END AS exposed,
     CASE WHEN r.kind IN $contract_kinds THEN a.id ELSE b.id END AS counterparty,
     r
RETURN exposed, counterparty, sum(r[$usd_field]) AS usd,
       collect(DISTINCT r.kind) AS kinds, collect(r.id) AS commitments
ORDER BY exposed, counterparty
"""

# Entities within $depth hops of $id along any relationship (a superset of the
# exposure neighbourhood; the exact look-through is computed on these pairs).
NEIGHBOURHOOD = """
MATCH (start:Entity {id: $id})
OPTIONAL MATCH (start)-[*1..6]-(other:Entity)
WITH start, collect(DISTINCT other.id) AS others
RETURN [start.id] + others AS ids
"""

LIVE_MONEY_FLOW = f"""
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.doc IS NOT NULL
WITH r, a, b, {_STATUS_AT}
WHERE {_COUNTS}
RETURN a.id AS source, b.id AS target, sum(r[$usd_field]) AS usd, collect(r.id) AS commitments
"""

TIMELINE_CHANGES = """
MATCH (a:Entity)-[r]->(b:Entity)
WHERE r.doc IS NOT NULL AND ($entity IS NULL OR $entity IN [a.id, b.id])
UNWIND range(0, size(r.status_dates) - 1) AS i
WITH r, a, b, i
WHERE ($since IS NULL OR r.status_dates[i] >= $since)
  AND ($until IS NULL OR r.status_dates[i] <= $until)
RETURN r.id AS commitment, r.doc AS doc, i AS index
"""

TIMELINE_EVENTS = """
MATCH (ev:Event)
WHERE ($since IS NULL OR ev.date >= $since) AND ($until IS NULL OR ev.date <= $until)
  AND ($entity IS NULL OR EXISTS { (ev)-[:INVOLVES]->(:Entity {id: $entity}) })
RETURN ev.doc AS doc
"""

ENTITY_EXISTS = "MATCH (e:Entity {id: $id}) RETURN e.id AS id"
CLEAR = "MATCH (n) WHERE n:Entity OR n:Event OR n:Meta DETACH DELETE n"
