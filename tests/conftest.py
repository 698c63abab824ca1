"""Shared fixtures: real stores in temporary places, and settings without globals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.snapshot import SnapshotSource
from graph.store import Store, make_store
from graph.store.embedded import EmbeddedStore
from tests.stores import NEO4J_URI, NO_NEO4J, STORE_KINDS, clear_neo4j, neo4j_settings


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """scripts/test runs the suite on two workers (pytest-xdist, --dist loadgroup); the
    tests that share one resource go to one worker, one after another: every test of the
    Neo4j at NEO4J_URI (they clear it) and of its launcher, and the explorer's page tests
    (one seeded server per dataset for the whole run)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if (
            "neo4j" in item.nodeid.lower()
            or item.get_closest_marker("neo4j")
            or any("neo4j" in name for name in fixtures)
        ):
            item.add_marker(pytest.mark.xdist_group("neo4j"))
        elif item.nodeid.startswith("tests/pages/explorer/"):
            item.add_marker(pytest.mark.xdist_group("explorer"))


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
def neo4j_store() -> Iterator[Store]:
    """One driver for the whole run, as in the API (skipped without NEO4J_URI)."""
    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    opened = make_store(neo4j_settings())
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
        neo4j: Store = request.getfixturevalue("neo4j_store")
        clear_neo4j()
        yield neo4j


@pytest.fixture
def any_source(any_store: Store) -> SnapshotSource:
    """A snapshot source over an empty store of each kind (the store is closed for it)."""
    return SnapshotSource(any_store)
