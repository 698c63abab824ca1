"""All Cypher the Neo4j store runs: named constants, parameters only.

Labels and relationship types come from the fixed vocabulary of graph.store.graph_model;
a query text never contains user input. Where a query needs a label or type, every
variant is written out here from the vocabulary.
"""

from __future__ import annotations

from graph.store.graph_model import ENTITY_LABELS, RELATIONSHIP_TYPES

# Whether a commitment (r) or an entity (e) is stored, to a reader: not staged by an import
# that has not published ($published is the token published last, '' once finished),
# not replaced by one that has.
SEEN = """(r.pending IS NULL OR r.pending = $published)
  AND (r.superseded IS NULL OR r.superseded <> $published)"""
SEEN_ENTITY = "(e.pending IS NULL OR e.pending = $published)"

SCHEMA = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE",
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:Meta) REQUIRE m.key IS UNIQUE",
    "CREATE CONSTRAINT withdrawn_key IF NOT EXISTS FOR (w:Withdrawn) REQUIRE w.key IS UNIQUE",
    "CREATE CONSTRAINT log_seq IF NOT EXISTS FOR (l:Log) REQUIRE l.seq IS UNIQUE",
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
WHERE {SEEN}
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

# A large import is written in batches (graph.store.neo4j, Imports): its new entities
# and commitments carry `pending: token`, what they replace `superseded: token`, until a
# small transaction publishes the token on the Meta node. The Meta node's `importing`
# token and `importing_at` heartbeat are the lease that serialises imports across
# processes. Each lease query writes the node before it reads the lease (`SET m.locked`):
# the write takes the node's lock, so two importers never both read it free and both
# take it (read committed would allow that lost update).
TAKE_LEASE = """
MERGE (m:Meta {key: 'data'})
ON CREATE SET m.version = ''
SET m.locked = datetime()
WITH m, m.importing AS holder, m.importing_at AS since
WITH m, holder, since,
     holder IS NULL OR since < datetime() - duration({seconds: $lease_seconds}) AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET m.importing = $token, m.importing_at = datetime())
RETURN free, holder, toString(since) AS since, coalesce(m.published, '') AS published
"""
RENEW_LEASE = """
MATCH (m:Meta {key: 'data'}) SET m.locked = datetime()
WITH m WHERE m.importing = $token
SET m.importing_at = datetime()
RETURN m.version AS version
"""
END_LEASE = """
MATCH (m:Meta {key: 'data'}) SET m.locked = datetime()
WITH m WHERE m.importing = $token
REMOVE m.importing, m.importing_at
"""
STAGE_ENTITIES = {
    kind: query.replace("SET e += row.props", "SET e += row.props, e.pending = $token")
    for kind, query in MERGE_ENTITIES.items()
}
STAGE_COMMITMENTS = {
    kind: query.replace("SET r = row.props", "SET r = row.props, r.pending = $token")
    for kind, query in MERGE_COMMITMENTS.items()
}
SUPERSEDE_COMMITMENTS = {
    kind: f"""
UNWIND $ids AS cid MATCH ()-[r:{rel} {{id: cid}}]->() WHERE {SEEN}
SET r.superseded = $token
"""
    for kind, rel in RELATIONSHIP_TYPES.items()
}
PUBLISH = """
MATCH (m:Meta {key: 'data'}) WHERE m.importing = $token
SET m.published = $token
"""
# After the publish, the marks come off (and what was superseded goes) in transactions of
# $batch rows, readers seeing the same records throughout; auto-commit only (CALL ... IN
# TRANSACTIONS cannot run inside a transaction; its scoped `CALL (r)` form needs Neo4j
# 5.23+, and neo4j/local and the compose file run 5.26). Run again by whoever takes the
# lease next if the importer dies first.
FINISH = (
    """
MATCH ()-[r]->() WHERE r.pending = $token
CALL (r) { REMOVE r.pending } IN TRANSACTIONS OF $batch ROWS
""",
    """
MATCH ()-[r]->() WHERE r.superseded = $token
CALL (r) { DELETE r } IN TRANSACTIONS OF $batch ROWS
""",
    """
MATCH (e:Entity) WHERE e.pending = $token
CALL (e) { REMOVE e.pending } IN TRANSACTIONS OF $batch ROWS
""",
)
FINISHED = """
MATCH (m:Meta {key: 'data'}) WHERE m.published = $token REMOVE m.published
"""


def _drop_staged(staged_by: str, *, reading: str = "") -> tuple[str, ...]:
    """Staged records whose mark `staged_by` picks dropped, and the marks they left on
    what they would have replaced removed, in transactions of $batch rows; `reading`
    binds what `staged_by` reads beyond the mark and the parameters."""
    steps = (
        ("()-[r]->()", "r.pending", "DELETE r"),
        ("()-[r]->()", "r.superseded", "REMOVE r.superseded"),
        ("(e:Entity)", "e.pending", "DETACH DELETE e"),
    )
    return tuple(
        f"""{reading}
MATCH {pattern} WHERE {staged_by.format(mark=mark)}
CALL ({mark[0]}) {{ {action} }} IN TRANSACTIONS OF $batch ROWS
"""
        for pattern, mark, action in steps
    )


# What imports that never published left (read by no one), dropped by the next holder
# of the lease; never the records of the import published last, whose marks may not be
# off yet.
DROP_UNPUBLISHED = _drop_staged(
    "{mark} IS NOT NULL AND {mark} <> published",
    reading="""
OPTIONAL MATCH (m:Meta {key: 'data'})
WITH coalesce(m.published, '') AS published""",
)
# What one failed import staged ($token), dropped by that import: only its own, since an
# import that lost its lease must not drop the staging of the one that took it over.
DROP_OWN_STAGING = _drop_staged("{mark} = $token")

# The data version is a fresh UUID per write, never a counter: after a CLEAR a counter
# would restart and a reader could take new data for the snapshot it already holds.
LOCK_DATA = """
MERGE (m:Meta {key: 'data'})
ON CREATE SET m.version = ''
SET m.locked = datetime()
RETURN m.version AS version, coalesce(m.published, '') AS published,
       m.importing IS NOT NULL
         AND m.importing_at >= datetime() - duration({seconds: $lease_seconds}) AS importing
"""
BUMP_VERSION = """
MATCH (m:Meta {key: 'data'})
SET m.version = randomUUID(), m.updated = datetime()
RETURN m.version AS version
"""
SET_FLAG = "MERGE (m:Meta {key: $key}) SET m.value = $value"
GET_FLAG = "MATCH (m:Meta {key: $key}) RETURN m.value AS value"
VERSION = """
OPTIONAL MATCH (m:Meta {key: 'data'})
RETURN coalesce(m.version, '') AS version, coalesce(m.published, '') AS published
"""

# In id order, so listings and float sums do not depend on where records sit on disk.
ALL_ENTITIES = f"MATCH (e:Entity) WHERE {SEEN_ENTITY} RETURN e.doc AS doc ORDER BY e.id"
ALL_COMMITMENTS = f"""
MATCH ()-[r]->() WHERE r.doc IS NOT NULL AND {SEEN}
RETURN r.doc AS doc ORDER BY r.id
"""
ALL_EVENTS = "MATCH (ev:Event) RETURN ev.doc AS doc ORDER BY ev.id"

# The stored documents of the given ids, to plan an import inside its transaction (each
# commitment lookup through its type's index).
ENTITY_DOCS = f"""
UNWIND $ids AS id MATCH (e:Entity {{id: id}}) WHERE {SEEN_ENTITY}
RETURN e.id AS id, e.doc AS doc
"""
EVENT_DOCS = "UNWIND $ids AS id MATCH (ev:Event {id: id}) RETURN ev.id AS id, ev.doc AS doc"
STORED_COMMITMENT_IDS = f"""
MATCH ()-[r]->() WHERE r.doc IS NOT NULL AND {SEEN} RETURN r.id AS id, type(r) AS type
"""
COMMITMENT_DOCS = {
    kind: f"""
UNWIND $ids AS cid MATCH ()-[r:{rel} {{id: cid}}]->() WHERE {SEEN}
RETURN r.id AS id, r.doc AS doc
"""
    for kind, rel in RELATIONSHIP_TYPES.items()
}

# Withdrawn records are nodes of their own, outside the financing web: (:Withdrawn {key:
# 'kind:id', kind, id, doc, on, reason, at}); the log is (:Log {seq, entry}) nodes.
DETACH_ENTITIES = "UNWIND $ids AS id MATCH (e:Entity {id: id}) DETACH DELETE e"
DETACH_EVENTS = "UNWIND $ids AS id MATCH (ev:Event {id: id}) DETACH DELETE ev"
ADD_WITHDRAWN = "UNWIND $rows AS row CREATE (w:Withdrawn) SET w = row"
WITHDRAWN_ROWS = """
UNWIND $keys AS key MATCH (w:Withdrawn {key: key})
RETURN w.kind AS kind, w.id AS id, w.doc AS doc, w.on AS on, w.reason AS reason, w.at AS at
"""
# Which of the given keys are withdrawn, to plan an import (no documents read).
WITHDRAWN_IDS = "UNWIND $keys AS key MATCH (w:Withdrawn {key: key}) RETURN w.id AS id"
DELETE_WITHDRAWN = "UNWIND $keys AS key MATCH (w:Withdrawn {key: key}) DELETE w"
ALL_WITHDRAWN = """
MATCH (w:Withdrawn)
RETURN w.kind AS kind, w.id AS id, w.doc AS doc, w.on AS on, w.reason AS reason, w.at AS at
ORDER BY w.key
"""
APPEND_LOG = """
MATCH (m:Meta {key: 'data'})
SET m.log_seq = coalesce(m.log_seq, 0) + 1
CREATE (l:Log {seq: m.log_seq, entry: $entry})
"""
ALL_LOG = "MATCH (l:Log) RETURN l.seq AS seq, l.entry AS entry ORDER BY l.seq"

# Everything this store writes: for tests, whose one Community database is shared.
CLEAR = "MATCH (n) WHERE n:Entity OR n:Event OR n:Meta OR n:Withdrawn OR n:Log DETACH DELETE n"
