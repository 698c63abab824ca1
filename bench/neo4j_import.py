"""The Neo4j import against its floor: the same rows written by bare `UNWIND $rows CREATE`.

Runs where NEO4J_URI points to a server this benchmark may clear (a test server: every
record the store writes is deleted before each run). The import is `Neo4jStore.
import_dataset` on the already validated dataset (the write part: plan, staged batches,
publish, marks off); the baseline sends the very same property maps through the same
driver, in transactions of the same batch size, with nothing but

    UNWIND $rows AS row CREATE (e:Entity) SET e = row.props
    UNWIND $rows AS row MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
    CREATE (a)-[r:COMMITS]->(b) SET r = row.props

Both are interleaved (baseline, import, baseline, ...) so both see the same load. The
server's heap is read over JMX, so the table says what the import fitted in.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench.cases import Result, compare
from graph.imports import validate_paths
from graph.load import DEFAULT_MAX_BYTES
from graph.store.graph_model import commitment_props, entity_props
from graph.store.neo4j import Neo4jStore
from graph.validate import merge
from neo4j import GraphDatabase, ManagedTransaction
from schemas.dataset import Dataset

SIZES = (100_000,)
BARE_ENTITIES = "UNWIND $rows AS row CREATE (e:Entity) SET e = row.props"
BARE_COMMITMENTS = """
UNWIND $rows AS row
MATCH (a:Entity {id: row.from}), (b:Entity {id: row.to})
CREATE (a)-[r:COMMITS]->(b) SET r = row.props
"""
HEAP = """
CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes
RETURN attributes.HeapMemoryUsage.value.properties.max AS max
"""


def available() -> bool:
    return bool(os.environ.get("NEO4J_URI"))


def _auth() -> tuple[str, str] | None:
    password = os.environ.get("NEO4J_PASSWORD")
    return (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None


def measure(path: Path, repeat: int) -> Result:
    uri = os.environ["NEO4J_URI"]
    dataset = merge(validate_paths([path], None, max_bytes=DEFAULT_MAX_BYTES))
    store = Neo4jStore(uri, auth=_auth())
    runs: list[float] = []
    base_runs: list[float] = []
    try:
        for _ in range(repeat):
            _clear(store)
            base_runs.append(_bare(uri, dataset, store.batch_size))
            _clear(store)
            start = time.perf_counter()
            store.import_dataset(dataset, files=[path.name])
            runs.append(time.perf_counter() - start)
        with GraphDatabase.driver(uri, auth=_auth(), telemetry_disabled=True) as driver:
            heap = driver.execute_query(HEAP).records[0]["max"]
        _clear(store)
    finally:
        store.close()
    result = compare(runs, base_runs, batch_size=store.batch_size, server_heap_bytes=heap)
    commitments = len(dataset.commitments)
    result["commitments"] = commitments
    result["commitments_per_s"] = commitments / result["seconds"]
    result["baseline_commitments_per_s"] = commitments / result["baseline_seconds"]
    return result


def _bare(uri: str, dataset: Dataset, batch: int) -> float:
    entities = [{"props": entity_props(e)} for e in dataset.entities]
    commitments = [
        {"from": c.from_, "to": c.to, "props": commitment_props(c)} for c in dataset.commitments
    ]
    with (
        GraphDatabase.driver(uri, auth=_auth(), telemetry_disabled=True) as driver,
        driver.session() as session,
    ):
        start = time.perf_counter()
        for query, rows in ((BARE_ENTITIES, entities), (BARE_COMMITMENTS, commitments)):
            for first in range(0, len(rows), batch):
                session.execute_write(_write, query, rows[first : first + batch])
        return time.perf_counter() - start


def _write(tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> None:
    tx.run(query, rows=rows).consume()


def _clear(store: Neo4jStore) -> None:
    """Everything the store and the baseline wrote, in transactions of 10k rows."""
    with (
        GraphDatabase.driver(store.uri, auth=_auth(), telemetry_disabled=True) as driver,
        driver.session() as session,
    ):
        # Auto-commit (CALL ... IN TRANSACTIONS needs it): one transaction is too large.
        # Relationships first, so a hub's do not all go in one inner transaction.
        for query in (
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 5000 ROWS",
            "MATCH (n) WHERE n:Entity OR n:Event OR n:Meta OR n:Withdrawn OR n:Log "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS",
        ):
            session.run(query).consume()
