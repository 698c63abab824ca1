"""Both stores for one test suite: the embedded store always, Neo4j where NEO4J_URI is set."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from graph.settings import Settings
from graph.store import Store, cypher
from graph.store.embedded import EmbeddedStore
from neo4j import GraphDatabase
from tests.helpers import dump_db

NEO4J_URI = os.environ.get("NEO4J_URI")
NO_NEO4J = (
    "NEO4J_URI is not set: start a real Neo4j with `neo4j/local/run` and export "
    "NEO4J_URI=bolt://127.0.0.1:7687 (./scripts/test does both when Java and Maven are here)"
)
STORE_KINDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def neo4j_settings(**overrides: Any) -> Settings:
    """Settings for the Neo4j under test: NEO4J_* from the environment, no seeding."""
    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    return Settings(**{"store": "neo4j", "seed_on_start": False, "_env_file": None, **overrides})


def neo4j_env() -> dict[str, str]:
    """Environment variables that put an `aifg` process on the Neo4j under test."""
    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    return {"AIFG_STORE": "neo4j", "NEO4J_URI": NEO4J_URI}


def neo4j_driver_auth() -> tuple[str, str] | None:
    password = os.environ.get("NEO4J_PASSWORD")
    return (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None


def neo4j_contents(uri: str) -> dict[str, Any]:
    """Everything in the database, read over a connection of the test's own."""
    with GraphDatabase.driver(uri, auth=neo4j_driver_auth(), telemetry_disabled=True) as driver:
        nodes = driver.execute_query(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
        ).records
        rels = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, properties(r) AS props, "
            "coalesce(b.id, b.key) AS b"
        ).records
    # Timestamps of the last write (Meta.locked/updated) are not data.
    canonical = [
        json.dumps([sorted(r["labels"]), _without_clock(r["props"])], sort_keys=True, default=str)
        for r in nodes
    ]
    relationships = [
        json.dumps([r["a"], r["type"], r["props"], r["b"]], sort_keys=True, default=str)
        for r in rels
    ]
    return {"nodes": sorted(canonical), "relationships": sorted(relationships)}


def _without_clock(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in ("locked", "updated")}


def contents(store: Store) -> Any:
    """What a store holds, to compare before and after an operation."""
    if isinstance(store, EmbeddedStore):
        return dump_db(store.path)
    assert NEO4J_URI
    return neo4j_contents(NEO4J_URI)


def clear_neo4j() -> None:
    """Empty the Neo4j under test (Community has one user database, shared by the run)."""
    assert NEO4J_URI
    with GraphDatabase.driver(NEO4J_URI, auth=neo4j_driver_auth(), telemetry_disabled=True) as d:
        d.execute_query(cypher.CLEAR)
