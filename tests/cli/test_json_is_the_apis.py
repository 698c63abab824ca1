"""For every read question, `aifg ... --json` prints exactly the API's JSON body for the
same parameters: a real server and the real CLI on one SQLite file, the toy data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.support import TOY_YAML, LiveServer, run_server
from tests.helpers import run_cli

DAY = "2026-01-29"
# (CLI arguments, API path, API query parameters): the same question both ways.
QUESTIONS: list[tuple[list[str], str, dict[str, str]]] = [
    (["entities"], "/entities", {}),
    (["entities", "--q", "lab", "--limit", "1"], "/entities", {"q": "lab", "limit": "1"}),
    (
        ["entities", "--kind", "company", "--offset", "1"],
        "/entities",
        {"kind": "company", "offset": "1"},
    ),
    (["entity", "labco"], "/entities/labco", {}),
    (["commitments"], "/commitments", {}),
    (
        ["commitments", "--entity", "labco", "--as-of", DAY, "--min-usd", "1e10"],
        "/commitments",
        {"entity": "labco", "as_of": DAY, "min_usd": "1e10"},
    ),
    (["commitments", "--status", "paused"], "/commitments", {"status": "paused"}),
    (["commitment", "chipco-labco-loi"], "/commitments/chipco-labco-loi", {}),
    (["exposure", "labco", "--as-of", DAY], "/entities/labco/exposure", {"as_of": DAY}),
    (
        ["exposure", "labco", "--direction", "in", "--depth", "3", "--as-of", DAY, "--limit", "2"],
        "/entities/labco/exposure",
        {"direction": "in", "depth": "3", "as_of": DAY, "limit": "2"},
    ),
    (
        ["exposure", "cloudco", "--basis", "high", "--as-of", DAY],
        "/entities/cloudco/exposure",
        {"basis": "high", "as_of": DAY},
    ),
    (["cycles", "--as-of", DAY], "/analysis/cycles", {"as_of": DAY}),
    (
        ["cycles", "--entity", "labco", "--max-length", "3", "--as-of", DAY],
        "/analysis/cycles",
        {"entity": "labco", "max_length": "3", "as_of": DAY},
    ),
    (["concentration", "--as-of", DAY], "/analysis/concentration", {"as_of": DAY}),
    (
        ["concentration", "--sort", "hhi", "--limit", "2", "--as-of", DAY],
        "/analysis/concentration",
        {"sort": "hhi", "limit": "2", "as_of": DAY},
    ),
    (["timeline"], "/timeline", {}),
    (
        ["timeline", "--since", "2026-01-30", "--until", "2026-01-30"],
        "/timeline",
        {"since": "2026-01-30", "until": "2026-01-30"},
    ),
    (["timeline", "--entity", "neoco"], "/timeline", {"entity": "neoco"}),
    (["export", "--as-of", DAY], "/graph", {"as_of": DAY}),
    (["imports"], "/imports", {}),
    (["changes", "--since", "2020-01-01"], "/changes", {"since": "2020-01-01"}),
]
# Without a date both default to today, on the same clock.
UNDATED = [(["exposure", "labco"], "/entities/labco/exposure", {})]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_server(tmp_path_factory.mktemp("parity"), seed_files={"toy.yaml": TOY_YAML}) as s:
        yield s


def cli_json(server: LiveServer, args: list[str]) -> object:
    done = run_cli(*args, "--json", data_dir=server.data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(("args", "path", "params"), QUESTIONS + UNDATED, ids=lambda v: str(v))
def test_the_cli_prints_the_apis_json(
    server: LiveServer, args: list[str], path: str, params: dict[str, str]
) -> None:
    with server.client() as http:
        response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    assert cli_json(server, args) == response.json()


@pytest.mark.parametrize("fmt", ["graphml", "cypher"])
def test_the_cli_writes_the_apis_export(server: LiveServer, tmp_path: Path, fmt: str) -> None:
    done = run_cli("export", "--format", fmt, "--as-of", DAY, data_dir=server.data_dir)
    assert done.returncode == 0, done.stderr
    with server.client() as http:
        assert done.stdout == http.get("/graph", params={"format": fmt, "as_of": DAY}).text


def test_every_read_route_is_walked() -> None:
    """A new GET route needs its CLI twin and a line above."""
    from api.app import create_app

    concrete = {
        "/entities/labco": "/entities/{entity_id}",
        "/entities/labco/exposure": "/entities/{entity_id}/exposure",
        "/entities/cloudco/exposure": "/entities/{entity_id}/exposure",
        "/commitments/chipco-labco-loi": "/commitments/{commitment_id}",
    }
    walked = {concrete.get(path, path) for _, path, _ in QUESTIONS}
    paths = create_app().openapi()["paths"]
    routes = {path for path, operations in paths.items() if "get" in operations}
    assert routes - walked == {"/health"}, routes - walked
