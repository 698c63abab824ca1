"""Hostile input over real HTTP, against `aifg serve` on each store: a 422 with the line,
never a 500; the store unchanged and still loading; every answer with its request id."""

from __future__ import annotations

import json
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from graph.errors import MAX_PROBLEMS
from graph.settings import Settings
from graph.snapshot import SnapshotSource
from graph.store.embedded import EmbeddedStore
from tests.api.support import (
    API_KEY,
    LiveServer,
    assert_problem,
    free_port,
    post_yaml,
    run_server,
)
from tests.hostile.cases import (
    BASE,
    ODD_BUT_FINE_YAML,
    ODD_NAME,
    RAW_CONTROL,
    SAMPLE,
    Case,
    many_wrong_entries,
    unknown_references,
)
from tests.stores import STORE_KINDS


@pytest.fixture(scope="module", params=STORE_KINDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp(f"hostile-{request.param}")
    with run_server(workdir, seed_files={"base.yaml": BASE.encode()}, store=request.param) as s:
        yield s


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


def records(client: httpx.Client) -> Any:
    """What the store holds, as the API shows it."""
    return (
        client.get("/entities", params={"limit": 1000}).json(),
        client.get("/commitments", params={"limit": 1000}).json(),
    )


def check_located(problem: dict[str, Any], case: Case, file: str) -> None:
    assert (problem["file"], problem["line"]) == (file, case.line), problem
    assert problem.get("field") == case.field, problem
    assert case.words in problem["message"], problem
    if case.column is not None:
        assert problem["column"] == case.column, problem


@pytest.mark.parametrize("case", SAMPLE, ids=lambda c: c.id)
def test_a_hostile_body_is_a_located_422(case: Case, http: httpx.Client) -> None:
    before = records(http)
    start = time.perf_counter()
    body = assert_problem(post_yaml(http, case.text.encode()), 422)
    assert time.perf_counter() - start < 5  # milliseconds of work; a loaded machine
    assert body["total_errors"] == 1
    check_located(body["errors"][0], case, "request body")
    assert records(http) == before
    assert http.get("/health").status_code == 200


@pytest.mark.parametrize("case", RAW_CONTROL, ids=lambda c: c.id)
def test_a_raw_control_character_in_an_upload_is_a_located_422(
    case: Case, http: httpx.Client
) -> None:
    response = http.post(
        "/imports",
        files={"file": ("bad.yaml", case.text.encode(), "application/yaml")},
        headers={"X-API-Key": API_KEY},
    )
    check_located(assert_problem(response, 422)["errors"][0], case, "bad.yaml")


def test_a_million_wrong_entries_answer_a_hundred_and_the_total(http: httpx.Client) -> None:
    response = post_yaml(http, many_wrong_entries())
    body = assert_problem(response, 422)
    assert len(body["errors"]) == MAX_PROBLEMS
    assert body["total_errors"] == 1_000_000
    assert "first 100 of 1,000,000" in body["detail"]
    assert len(response.content) < 50_000  # 138 MB before


def test_a_thousand_unknown_references_answer_within_seconds(http: httpx.Client) -> None:
    start = time.perf_counter()
    body = assert_problem(post_yaml(http, unknown_references()), 422)
    assert time.perf_counter() - start < 10  # no answer in 90 s before
    assert (len(body["errors"]), body["total_errors"]) == (MAX_PROBLEMS, 1000)
    assert body["errors"][0]["field"] == "commitments[0].to"


def test_odd_but_valid_names_export_well_formed_graphml(http: httpx.Client) -> None:
    response = post_yaml(http, ODD_BUT_FINE_YAML.encode())
    assert response.status_code == 200, response.text
    graphml = http.get("/graph", params={"format": "graphml", "as_of": "2026-01-01"})
    assert graphml.status_code == 200
    root = ET.fromstring(graphml.content)  # raises on anything not well formed
    # The name comes back intact wherever the export writes it (its name and its label).
    written = [d.text for d in root.iter() if d.tag.endswith("data") and d.text == ODD_NAME]
    assert written, "the odd name is not in the GraphML as written"
    assert http.get("/entities/oddco").json()["entity"]["name"] == ODD_NAME


_JSON = {"Content-Type": "application/json"}


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


def test_stress_max_rounds_must_be_an_integer(http: httpx.Client) -> None:
    body = {"shocks": [{"entity": "hostco", "severity": 1}], "max_rounds": 1e3}
    response = http.post("/analysis/stress", content=_json(body), headers=_JSON)
    problem = assert_problem(response, 422)
    assert "write max_rounds: 1000" in problem["detail"]
    body["max_rounds"] = 1000
    assert http.post("/analysis/stress", content=_json(body), headers=_JSON).status_code == 200


def test_the_store_reloads_after_hostile_imports(
    server: LiveServer, http: httpx.Client, tmp_path: Path
) -> None:
    """What was accepted (the odd file included) loads again in a new process."""
    assert post_yaml(http, ODD_BUT_FINE_YAML.encode()).status_code == 200
    before = records(http)
    if server.store == "embedded":
        with run_server(server.data_dir.parent) as again, again.client() as client:
            assert records(client) == before
    else:
        from graph.snapshot import SnapshotSource
        from graph.store import make_store
        from tests.stores import neo4j_settings

        fresh = SnapshotSource(make_store(neo4j_settings()))
        try:
            snapshot = fresh.current()
        finally:
            fresh.close()
        assert snapshot.entities["oddco"].name == ODD_NAME
        assert len(snapshot.commitments) == before[1]["total"]


# A 500 and the middleware's own refusal, from an app of the test's own (a route that
# fails on purpose), served by uvicorn over real HTTP.


@pytest.fixture(scope="module")
def failing_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("failing") / "data"
    settings = Settings(data_dir=data_dir, seed_on_start=False, max_body_mb=1, _env_file=None)
    store = SnapshotSource(EmbeddedStore.in_dir(data_dir))
    app: FastAPI = create_app(settings, store)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(timeout=15)
    store.close()


def test_a_500_carries_its_request_id(failing_app_url: str) -> None:
    with httpx.Client(base_url=failing_app_url) as client:
        response = client.get("/boom")
        body = assert_problem(response, 500)  # checks header and body ids agree
        assert body["request_id"] in body["detail"]
        given = client.get("/boom", headers={"X-Request-ID": "trace-42"})
        assert given.headers.get_list("x-request-id") == ["trace-42"]


def test_the_body_limit_refusal_is_a_problem_like_any_other(failing_app_url: str) -> None:
    with httpx.Client(base_url=failing_app_url) as client:
        response = client.post(
            "/imports",
            content=b"x" * (2 * 2**20),
            headers={"Content-Type": "application/yaml", "X-Request-ID": "big-1"},
        )
        body = assert_problem(response, 413)
        assert response.headers.get_list("x-request-id") == ["big-1"]
        assert body["type"] == "/problems/body-too-large" and body["instance"] == "/imports"
        ok = client.get("/health")
        assert ok.headers.get_list("x-request-id") and len(ok.headers.get_list("x-request-id")) == 1
