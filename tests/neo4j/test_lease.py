"""The Neo4j import lease on the real server: a held lease makes other writers wait or be
refused with a clear message; a stale one is taken over and what its holder staged is
dropped, unread all along. The lease is set by hand here, as a dead importer leaves it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import ConflictError
from graph.imports import validate_paths
from graph.store.base import document
from graph.store.neo4j import Neo4jStore
from graph.validate import merge
from neo4j import GraphDatabase
from schemas.dataset import Dataset
from tests.graph.test_store import write_big_dataset
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


def test_a_long_import_keeps_its_lease_while_another_waits(tmp_path: Path) -> None:
    """With a lease of half a second, an import of several seconds is renewed all along
    (a heartbeat beside the batches and the plan): the second import waits for it and
    then lands, rather than taking over a live one."""
    assert NEO4J_URI
    clear_neo4j()
    big, other = tmp_path / "big.yaml", tmp_path / "other.yaml"
    write_big_dataset(big, entities=500, commitments=6_000)
    other.write_text(big.read_text().replace("id: c", "id: d"))
    datasets = [merge(validate_paths([f], None, max_bytes=2**26)) for f in (big, other)]
    stores = [
        Neo4jStore(NEO4J_URI, auth=neo4j_driver_auth(), lease_seconds=0.5, batch_size=200)
        for _ in datasets
    ]
    errors: list[BaseException] = []

    def run(store: Neo4jStore, dataset: Dataset) -> None:
        try:
            store.import_dataset(dataset, files=["file.yaml"])
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(stores, datasets, strict=True)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        assert not errors, errors
        _, commitments = ids(stores[0])
        assert len(commitments) == 12_000
    finally:
        for store in stores:
            store.close()
        clear_neo4j()
