"""Fixtures for the API tests: a real uvicorn over the toy data on each store."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from graph.load import parse_bytes
from graph.store import Store
from tests.api.support import TOY_YAML, LiveServer, toy_server
from tests.stores import STORE_KINDS, clear_neo4j

TOY_MARK = "toy-data"


@pytest.fixture(scope="session", params=STORE_KINDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """`aifg serve` over the toy data. Read-only: tests that write use their own server."""
    with toy_server(tmp_path_factory, "toy-server", store=request.param) as s:
        yield s


@pytest.fixture
def http(server: LiveServer, request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    if server.store == "neo4j":
        restore_toy_data(request.getfixturevalue("neo4j_store"))
    with server.client() as client:
        yield client


def restore_toy_data(store: Store) -> None:
    """Put the toy data back if another test cleared the one Neo4j database meanwhile."""
    if store.get_flag(TOY_MARK) is None:
        clear_neo4j()
        toy = parse_bytes(TOY_YAML, "toy.yaml").dataset
        store.import_dataset(toy, files=["toy.yaml"], flag=TOY_MARK)
