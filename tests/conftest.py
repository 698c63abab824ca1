"""Shared fixtures: a real SQLite store in a temporary directory, settings without globals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import service
from graph.settings import Settings
from graph.store.base import Store
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from tests.chromium import artifacts, browser, page, playwright  # noqa: F401 (shared fixtures)
from tests.stores import NEO4J_URI, NO_NEO4J, STORE_KINDS, neo4j_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an unseeded store in a fresh directory (env vars do not leak in)."""
    return Settings(data_dir=tmp_path / "data", seed_on_start=False, _env_file=None)


@pytest.fixture
def store(settings: Settings) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore.in_dir(settings.data_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[Neo4jStore]:
    """One driver for the whole run, as in the API (skipped without NEO4J_URI)."""
    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    opened = service.connect(neo4j_settings())
    assert isinstance(opened, Neo4jStore)
    yield opened
    opened.close()


@pytest.fixture(params=STORE_KINDS)
def any_store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    """An empty store of each kind: a fresh SQLite file, or the Neo4j database cleared."""
    if request.param == "embedded":
        embedded = EmbeddedStore.in_dir(settings.data_dir)
        yield embedded
        embedded.close()
    else:
        neo4j: Neo4jStore = request.getfixturevalue("neo4j_store")
        neo4j.clear()
        yield neo4j
