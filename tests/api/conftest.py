"""Fixtures for the API tests: a real uvicorn over the toy data, and an in-process app."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.support import TOY_YAML, LiveServer, run_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`aifg serve` over the toy data. Read-only: tests that write use their own server."""
    with run_server(tmp_path_factory.mktemp("toy-server"), seed_files={"toy.yaml": TOY_YAML}) as s:
        yield s


@pytest.fixture(scope="session")
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client
