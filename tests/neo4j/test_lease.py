"""The Neo4j import lease on the real server: a held lease makes other writers wait or be
refused with a clear message; a stale one is taken over and what its holder staged is
dropped, unread all along. The lease is set by hand here, as a dead importer leaves it."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph.errors import ConflictError
from graph.imports import validate_paths
from graph.store.base import document
from graph.store.cypher import END_LEASE, TAKE_LEASE
from graph.store.neo4j import Neo4jStore
from graph.validate import merge
from neo4j import GraphDatabase
from schemas.dataset import Dataset
from tests.helpers import DATA
from tests.stores import NEO4J_URI, NO_NEO4J, clear_neo4j, neo4j_contents, neo4j_driver_auth

pytestmark = pytest.mark.neo4j

# What an importer that died mid-way leaves: its lease, a staged commitment between two
# stored entities, a staged new entity, and a stored commitment marked as replaced.
DEAD_IMPORTER = """
MATCH (m:Meta {key: 'data'})
SET m.importing = 'dead', m.importing_at = datetime() - duration({seconds: $age})
WITH m
MATCH (a:Entity {id: 'cloudco'}), (b:Entity {id: 'labco'})
CREATE (a)-[:LENDS_TO {id: 'staged-loan', doc: '{}', pending: 'dead'}]->(b)
CREATE (:Entity:Company {id: 'staged-co', doc: '{}', pending: 'dead'})
WITH m
MATCH ()-[r {id: 'labco-cloudco-cloud'}]->() SET r.superseded = 'dead'
"""


@pytest.fixture
def toy() -> Dataset:
    return merge(validate_paths([DATA / "toy.yaml"], None, max_bytes=2**20))


@pytest.fixture
def store(toy: Dataset) -> Iterator[Neo4jStore]:
    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    clear_neo4j()
    opened = Neo4jStore(NEO4J_URI, auth=neo4j_driver_auth(), lease_wait_seconds=0.5)
    opened.import_dataset(toy, files=["toy.yaml"])
    yield opened
    opened.close()
    clear_neo4j()


def read_back(store: Neo4jStore) -> dict[str, list[str]]:
    with store.read() as data:
        return {
            "entities": [document(e) for e in data.entities],
            "commitments": [document(c) for c in data.commitments],
        }


def ids(store: Neo4jStore) -> tuple[list[str], list[str]]:
    with store.read() as data:
        return [e.id for e in data.entities], [c.id for c in data.commitments]


def leave_a_dead_importer(age_seconds: float) -> None:
    assert NEO4J_URI
    with GraphDatabase.driver(NEO4J_URI, auth=neo4j_driver_auth()) as driver:
        driver.execute_query(DEAD_IMPORTER, age=age_seconds)


def test_what_an_import_staged_is_read_by_no_one(store: Neo4jStore) -> None:
    before = read_back(store)
    leave_a_dead_importer(age_seconds=0)
    assert read_back(store) == before
    entities, commitments = ids(store)
    assert "staged-co" not in entities and "staged-loan" not in commitments
    assert "labco-cloudco-cloud" in commitments  # marked replaced, but never published


def test_a_held_lease_refuses_other_writers_and_says_why(store: Neo4jStore, toy: Dataset) -> None:
    version = store.version()
    leave_a_dead_importer(age_seconds=0)
    changed = toy.model_copy(
        update={"entities": [toy.entities[0].model_copy(update={"name": "X"})]}
    )
    with pytest.raises(ConflictError, match=r"another import has been writing .* try again"):
        store.import_dataset(changed, files=["changed.yaml"])
    with pytest.raises(ConflictError, match="an import is being written"):
        store.withdraw(
            [("entity", "neoco")], reason="test", on=dt.date(2026, 1, 1), expected_version=version
        )
    assert store.version() == version


def test_a_stale_lease_is_taken_over_and_its_staging_dropped(
    store: Neo4jStore, toy: Dataset
) -> None:
    assert NEO4J_URI
    clean = neo4j_contents(NEO4J_URI)
    leave_a_dead_importer(age_seconds=3600)
    # The same file again: nothing to write, but the lease is taken and the dead
    # importer's records go, and the mark on the stored commitment comes off.
    summary = store.import_dataset(toy, files=["toy.yaml"]).summary
    assert not summary.changed
    assert neo4j_contents(NEO4J_URI) == clean


def test_a_live_import_keeps_its_lease_however_long_it_takes(
    store: Neo4jStore, toy: Dataset
) -> None:
    """An import holds the lease three times its length, renewing it on its heartbeat
    alone (no batch written meanwhile, as in a long plan): another import with a shorter
    wait is refused, never taking over a live import. (Without the heartbeat it takes
    over after one lease.)"""
    assert NEO4J_URI
    holder = Neo4jStore(NEO4J_URI, auth=neo4j_driver_auth(), lease_seconds=1.0)
    other = Neo4jStore(
        NEO4J_URI, auth=neo4j_driver_auth(), lease_seconds=1.0, lease_wait_seconds=2.0
    )
    try:
        with holder._driver.session() as session:
            token, _ = holder._take_lease(session)
        with holder._heartbeat(token):
            started = time.monotonic()
            with pytest.raises(ConflictError, match="another import has been writing"):
                other.import_dataset(toy, files=["toy.yaml"])
            assert time.monotonic() - started >= 2.0
            time.sleep(1.0)
        with holder._driver.session() as session:
            session.execute_write(lambda tx: tx.run(END_LEASE, token=token).consume())
        other.import_dataset(toy, files=["toy.yaml"])  # free again: it lands
    finally:
        holder.close()
        other.close()


def test_of_imports_asking_for_a_free_lease_at_once_exactly_one_gets_it(
    store: Neo4jStore,
) -> None:
    """The lease is read and taken under the Meta node's write lock: importers that ask
    at the same instant never both see it free (a lost update would let two imports
    stage and publish against the same plan)."""
    threads = 6
    stores = [Neo4jStore(NEO4J_URI or "", auth=neo4j_driver_auth()) for _ in range(threads)]
    try:
        for _ in range(5):
            start = threading.Barrier(threads)

            def ask(asker: Neo4jStore, start: threading.Barrier = start) -> bool:
                with asker._driver.session() as session:
                    start.wait()
                    row = session.execute_write(
                        lambda tx: tx.run(
                            TAKE_LEASE, token=str(uuid.uuid4()), lease_seconds=60.0
                        ).single(strict=True)
                    )
                return bool(row["free"])

            with ThreadPoolExecutor(threads) as pool:
                granted = list(pool.map(ask, stores))
            assert granted.count(True) == 1, granted
            with stores[0]._driver.session() as session:
                session.execute_write(
                    lambda tx: tx.run(
                        "MATCH (m:Meta {key: 'data'}) REMOVE m.importing, m.importing_at"
                    ).consume()
                )
    finally:
        for opened in stores:
            opened.close()


def test_an_import_that_lost_its_lease_drops_only_what_it_staged(store: Neo4jStore) -> None:
    """The import that took the lease over is staging beside the one that lost it; the
    loser's clean-up must leave that staging (and its marks) alone."""
    assert NEO4J_URI
    leave_a_dead_importer(age_seconds=0)  # here: the live holder that took over
    staged_by_holder = neo4j_contents(NEO4J_URI)
    with store._driver.session() as session:
        store._abandon(session, token="lost")
    assert neo4j_contents(NEO4J_URI) == staged_by_holder
