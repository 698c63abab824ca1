"""Shared fixtures: real stores in temporary places, and settings without globals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.settings import Settings
from graph.snapshot import SnapshotSource
from graph.store import Store, make_store
from graph.store.embedded import EmbeddedStore
from tests.stores import NEO4J_URI, NO_NEO4J, STORE_KINDS, clear_neo4j, neo4j_settings


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """scripts/test runs the suite on two workers (pytest-xdist). Each test file goes to
    one worker whole (its tests may share a server and build on each other, in order),
    except that every test of a shared resource goes to one worker, one after another:
    the Neo4j at NEO4J_URI (they clear it; each has "neo4j" in its id, parameter or
    file), and the explorer's page tests (one seeded server per dataset for the run).
    (`--dist loadgroup` would do this with markers, but xdist 3.8 cannot rename the
    nodes of pytest 9.)"""
    from xdist.scheduler import LoadScopeScheduling

    class SharedResourceScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if "neo4j" in nodeid.lower():
                return "neo4j"
            if nodeid.startswith("tests/pages/explorer/"):
                return "explorer"
            return nodeid.split("::", 1)[0]

        def _assign_work_unit(self, node: Any) -> None:
            # Schemathesis gives each API operation's test the same node id; xdist's own
            # version sends only the first of them (list.index), so the fuzzing of all
            # but one operation would silently not run. Send every item of the unit.
            scope, work_unit = self.workqueue.popitem(last=False)
            self.assigned_work.setdefault(node, {})[scope] = work_unit
            wanted = {nodeid for nodeid, done in work_unit.items() if not done}
            collection = self.registered_collections[node]
            node.send_runtest_some([i for i, nodeid in enumerate(collection) if nodeid in wanted])

    return SharedResourceScheduling(config, log)


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
