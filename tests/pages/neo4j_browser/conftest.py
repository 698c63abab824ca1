"""Fixtures for the Neo4j Browser side: the seed data in the Neo4j under test, a driver of
the test's own, and Debian's headless Chromium.

Where Neo4j is comes from the environment: NEO4J_URI (Bolt; ./scripts/test sets it when it
starts neo4j/local/run), NEO4J_HTTP_URL (Browser; else http://<host of NEO4J_URI>:7474),
NEO4J_USER and NEO4J_PASSWORD when the server has auth enabled.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from graph.imports import import_paths
from graph.settings import Settings
from graph.snapshot import Snapshot, SnapshotSource
from graph.store import Store
from neo4j import Driver, GraphDatabase, Record
from tests.helpers import ROOT
from tests.stores import NEO4J_URI, NO_NEO4J, clear_neo4j, neo4j_driver_auth

SEEDS = ROOT / "seeds"
QUERIES = ROOT / "neo4j" / "queries"
PALETTE = ROOT / "api" / "static" / "palette.json"


def http_url() -> str:
    """Neo4j's HTTP address (Browser lives under /browser/)."""
    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    explicit = os.environ.get("NEO4J_HTTP_URL")
    if explicit:
        return explicit.rstrip("/")
    return f"http://{urlsplit(NEO4J_URI).hostname or '127.0.0.1'}:7474"


def saved_query(prefix: str) -> Path:
    """The one file in neo4j/queries/ whose name starts with `prefix` (e.g. "04-")."""
    found = sorted(QUERIES.glob(f"{prefix}*.cypher"))
    assert len(found) == 1, f"expected one neo4j/queries/{prefix}*.cypher, found {found}"
    return found[0]


def palette() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(PALETTE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def seeded(neo4j_store: Store) -> Snapshot:
    """The Neo4j under test holds exactly seeds/ (cleared, then imported as the API would)."""
    settings = Settings(_env_file=None)
    clear_neo4j()
    source = SnapshotSource(neo4j_store)
    import_paths(source, [SEEDS], dry_run=False, max_bytes=settings.max_file_bytes)
    return source.current()


@pytest.fixture(scope="module")
def driver() -> Iterator[Driver]:
    """A plain driver, as a user's script or Browser would connect (not the store's)."""
    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    with GraphDatabase.driver(NEO4J_URI, auth=neo4j_driver_auth(), telemetry_disabled=True) as d:
        yield d


def run(driver: Driver, query: str, **params: Any) -> list[Record]:
    database = os.environ.get("NEO4J_DATABASE", "neo4j")
    return driver.execute_query(query, params, database_=database).records
