"""POST /imports through real HTTP: counts, idempotence, problems, keys, limits, concurrency."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings
from graph.snapshot import SnapshotSource
from graph.store.embedded import EmbeddedStore
from tests.api.support import (
    API_KEY,
    TOY_YAML,
    LiveServer,
    all_commitments,
    assert_problem,
    commitment_ids,
    dataset_yaml,
    post_yaml,
    run_server,
    toy_server,
)
from tests.stores import STORE_KINDS

GOOD = """version: 1
entities:
  - {id: gridco, name: GridCo, kind: company, sectors: [energy], aliases: [電網公司]}
  - {id: fabco, name: FabCo, sectors: [semiconductors]}
commitments:
  - id: labco-gridco-power
    from: labco
    to: gridco
    kind: compute_purchase
    amount: {usd: 7e9}
    announced: 2025-11-01
    status: [{date: 2025-11-01, status: signed}]
    sources: [{url: "https://example.com/power", publisher: Example}]
  - id: chipco-fabco-wafers
    from: chipco
    to: fabco
    kind: chip_supply
    amount: {usd: 12e9}
    announced: 2025-12-01
    status: [{date: 2025-12-01, status: signed}]
    sources: [{url: "https://example.com/wafers", publisher: Example}]
  - id: fabco-gridco-loan
    from: fabco
    to: gridco
    kind: loan
    amount: {usd: 1e9}
    announced: 2025-12-15
    status: [{date: 2025-12-15, status: active}]
    sources: [{url: "https://example.com/loan", publisher: Example}]
""".encode()

# Schema problems: every one is reported, each located by line and field.
BAD_SHAPE = b"""version: 1
entities:
  - {id: badco, name: BadCo}
commitments:
  - id: badco-labco-loan
    from: badco
    to: labco
    kind: gift
    amount: {usd: -5}
    announced: 2025-01-01
    status: [{date: 2025-01-01, status: signed}]
    sources: [{url: "https://example.com/x", publisher: X}]
  - id: badco-labco-other
    from: badco
    to: labco
    kind: loan
    amount: {usd: 1e9}
    announced: 2025-02-30
    status: [{date: 2025-01-01, status: signed}]
    sources: [{url: "https://example.com/x", publisher: X}]
"""

# Well formed, but a reference points nowhere: nothing of it may land (not even badco).
BAD_REFERENCE = b"""version: 1
entities:
  - {id: badco, name: BadCo}
commitments:
  - id: badco-labco-loan
    from: badco
    to: labco
    kind: loan
    amount: {usd: 1e9}
    announced: 2025-01-01
    status: [{date: 2025-01-01, status: signed}]
    sources: [{url: "https://example.com/x", publisher: X}]
  - id: badco-ghost-loan
    from: badco
    to: ghostco
    kind: loan
    amount: {usd: 1e9}
    announced: 2025-01-01
    status: [{date: 2025-01-01, status: signed}]
    sources: [{url: "https://example.com/x", publisher: X}]
"""


@pytest.fixture(scope="module", params=STORE_KINDS)
def writable(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A real server over the toy data that these tests write to (in file order), per store."""
    with toy_server(tmp_path_factory, "import-server", store=request.param) as s:
        yield s


@pytest.fixture(scope="module")
def client(writable: LiveServer) -> Iterator[httpx.Client]:
    with writable.client() as c:
        yield c


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose request bodies may be at most 1 MiB."""
    workdir = tmp_path_factory.mktemp("small-limit-server")
    with run_server(workdir, seed_files={"toy.yaml": TOY_YAML}, env={"AIFG_MAX_BODY_MB": "1"}) as s:
        yield s


def state(client: httpx.Client) -> tuple[Any, list[dict[str, Any]], Any]:
    """Everything a reader can see: health counts, every commitment, every entity."""
    entities = client.get("/entities", params={"limit": 1000}).json()
    return client.get("/health").json(), all_commitments(client), entities


def counts(summary: dict[str, Any], kind: str) -> tuple[int, int, int]:
    c = summary[kind]
    return c["added"], c["updated"], c["unchanged"]


def test_a_good_file_is_added_then_the_same_file_changes_nothing(client: httpx.Client) -> None:
    health_before = client.get("/health").json()
    first = post_yaml(client, GOOD)
    assert first.status_code == 200, first.text
    summary = first.json()
    assert summary["dry_run"] is False and summary["files"] == ["request body"]
    assert counts(summary, "entities") == (2, 0, 0)
    assert counts(summary, "commitments") == (3, 0, 0)
    assert counts(summary, "events") == (0, 0, 0)
    health = client.get("/health").json()
    assert health["entities"] == health_before["entities"] + 2
    assert health["commitments"] == health_before["commitments"] + 3
    # the new records answer at once, by id and by alias
    assert client.get("/commitments/chipco-fabco-wafers").json()["amount"]["usd"] == 12e9
    assert [e["id"] for e in client.get("/entities", params={"q": "電網"}).json()["items"]] == [
        "gridco"
    ]

    # gridco is owed 7e9 by labco (out); fabco lent gridco 1e9 (in)
    def exposure(direction: str) -> dict[str, float]:
        params = {"direction": direction, "as_of": "2026-01-01"}
        report = client.get("/entities/gridco/exposure", params=params).json()
        return {r["id"]: r["usd"] for r in report["counterparties"]}

    assert exposure("out") == {"labco": 7e9}
    assert exposure("in") == {"fabco": 1e9}

    before = state(client)
    again = post_yaml(client, GOOD)
    assert again.status_code == 200, again.text
    assert counts(again.json(), "entities") == (0, 0, 2)
    assert counts(again.json(), "commitments") == (0, 0, 3)
    assert state(client) == before


def test_a_changed_record_is_updated(client: httpx.Client) -> None:
    changed = GOOD.replace(b"{usd: 12e9}", b"{usd: 13e9}")
    summary = post_yaml(client, changed).json()
    assert counts(summary, "commitments") == (0, 1, 2)
    assert counts(summary, "entities") == (0, 0, 2)
    assert client.get("/commitments/chipco-fabco-wafers").json()["amount"]["usd"] == 13e9


def test_a_multipart_upload_imports_the_file(client: httpx.Client) -> None:
    data = dataset_yaml("upload", entities=3, commitments=4)
    response = client.post(
        "/imports",
        files={"file": ("upload.yaml", data, "application/yaml")},
        headers={"X-API-Key": API_KEY},
    )
    assert response.status_code == 200, response.text
    assert response.json()["files"] == ["upload.yaml"]
    assert counts(response.json(), "commitments") == (4, 0, 0)
    assert client.get("/commitments/upload-c3").status_code == 200


def test_a_multipart_upload_closes_its_temporary_file(tmp_path: Path) -> None:
    """An unclosed upload is a ResourceWarning when collected, an error in this suite."""
    settings = Settings(
        data_dir=tmp_path / "data", seed_on_start=False, api_key=API_KEY, _env_file=None
    )
    source = SnapshotSource(EmbeddedStore.in_dir(settings.data_dir))
    try:
        with TestClient(create_app(settings, source)) as tc:
            response = tc.post(
                "/imports",
                files={"file": ("toy.yaml", TOY_YAML, "application/yaml")},
                headers={"X-API-Key": API_KEY},
            )
            assert response.status_code == 200, response.text
            assert counts(response.json(), "commitments") == (5, 0, 0)
            gc.collect()
    finally:
        source.close()


def test_dry_run_reports_and_writes_nothing(client: httpx.Client) -> None:
    data = dataset_yaml("dry", entities=3, commitments=5)
    before = state(client)
    response = post_yaml(client, data, dry_run="true")
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["dry_run"] is True
    assert counts(summary, "entities") == (3, 0, 0)
    assert counts(summary, "commitments") == (5, 0, 0)
    assert state(client) == before
    assert_problem(client.get("/commitments/dry-c0"), 404)
    # and a dry run of what is already there says unchanged
    assert counts(post_yaml(client, TOY_YAML, dry_run="true").json(), "commitments") == (0, 0, 5)


@pytest.mark.parametrize("body", [BAD_SHAPE, BAD_REFERENCE], ids=["shape", "reference"])
def test_a_bad_file_lists_its_problems_and_changes_nothing(
    client: httpx.Client, body: bytes
) -> None:
    before = state(client)
    response = post_yaml(client, body)
    problem = assert_problem(response, 422)
    assert problem["type"] == "/problems/invalid-data"
    assert problem["errors"], problem
    for error in problem["errors"]:
        assert isinstance(error["line"], int) and error["line"] >= 1, error
        assert error["field"], error
        assert error["message"], error
        assert error["file"] == "request body"
    assert state(client) == before
    assert_problem(client.get("/entities/badco"), 404)


def test_schema_problems_are_all_listed_with_their_lines(client: httpx.Client) -> None:
    problem = assert_problem(post_yaml(client, BAD_SHAPE), 422)
    located = {(e["line"], e["field"]) for e in problem["errors"]}
    assert {
        (8, "commitments[0].kind"),
        (9, "commitments[0].amount.usd"),
        (18, "commitments[1].announced"),
    } <= located
    assert "more" in problem["detail"]


def test_a_dangling_reference_names_its_line_and_field(client: httpx.Client) -> None:
    problem = assert_problem(post_yaml(client, BAD_REFERENCE), 422)
    [error] = problem["errors"]
    assert (error["line"], error["field"]) == (15, "commitments[1].to")
    assert "ghostco" in error["message"]


@pytest.mark.parametrize(
    "body",
    [b"", b"version: 1\nentities: [\n", b"- just\n- a list\n", b"\xff\xfe not utf-8"],
    ids=["empty", "broken-yaml", "not-a-mapping", "not-utf8"],
)
def test_unreadable_bodies_are_422(client: httpx.Client, body: bytes) -> None:
    before = client.get("/health").json()
    problem = assert_problem(post_yaml(client, body), 422)
    assert all(isinstance(e.get("line"), int) for e in problem["errors"]), problem
    assert client.get("/health").json() == before


@pytest.mark.parametrize(("key", "detail"), [(None, "missing"), ("wrong-key", "wrong")])
def test_writes_need_the_right_key(client: httpx.Client, key: str | None, detail: str) -> None:
    before = state(client)
    data = dataset_yaml("nokey", entities=2, commitments=1)
    response = post_yaml(client, data, key=key)
    problem = assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "ApiKey"
    assert detail in problem["detail"]
    assert state(client) == before


def test_with_no_key_configured_writes_are_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", seed_on_start=False, _env_file=None)
    assert settings.api_key is None
    source = SnapshotSource(EmbeddedStore.in_dir(settings.data_dir))
    try:
        with TestClient(create_app(settings, source)) as tc:
            for key in (None, "anything", ""):
                response = post_yaml(tc, TOY_YAML, key=key)
                problem = assert_problem(response, 403)
                assert "AIFG_API_KEY" in problem["detail"]
            assert tc.get("/health").json()["commitments"] == 0
    finally:
        source.close()


def test_an_empty_key_is_not_the_configured_key(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", seed_on_start=False, api_key=API_KEY, _env_file=None
    )
    source = SnapshotSource(EmbeddedStore.in_dir(settings.data_dir))
    try:
        with TestClient(create_app(settings, source)) as tc:
            assert_problem(post_yaml(tc, TOY_YAML, key=""), 401)
            assert post_yaml(tc, TOY_YAML).status_code == 200
            assert tc.get("/health").json()["commitments"] == 5
    finally:
        source.close()


@pytest.mark.parametrize("configured", ["", "   "])
def test_a_blank_configured_key_means_no_key(tmp_path: Path, configured: str) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", seed_on_start=False, api_key=configured, _env_file=None
    )
    assert settings.api_key is None
    source = SnapshotSource(EmbeddedStore.in_dir(settings.data_dir))
    try:
        with TestClient(create_app(settings, source)) as tc:
            body = assert_problem(post_yaml(tc, TOY_YAML, key=configured), 403)
            assert "AIFG_API_KEY" in body["detail"]
            assert tc.get("/health").json()["commitments"] == 0
    finally:
        source.close()


# --- body size limit ------------------------------------------------------------------------

TWO_MB = b"# padding\n" * (2 * 2**20 // 10)


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize(
    "send",
    [
        lambda c: post_yaml(c, TWO_MB),  # Content-Length: refused before reading
        lambda c: c.post(  # chunked: refused while reading
            "/imports",
            content=chunks(TWO_MB),
            headers={"X-API-Key": API_KEY, "Content-Type": "application/yaml"},
        ),
        lambda c: c.post(  # a multipart upload counts too
            "/imports",
            files={"file": ("big.yaml", TWO_MB, "application/yaml")},
            headers={"X-API-Key": API_KEY},
        ),
    ],
    ids=["content-length", "chunked", "multipart"],
)
def test_a_body_over_the_limit_is_413(
    small_limit: LiveServer, send: Callable[[httpx.Client], httpx.Response]
) -> None:
    with small_limit.client() as c:
        before = c.get("/health").json()
        response = send(c)
        problem = assert_problem(response, 413)
        assert problem["type"] == "/problems/body-too-large"
        assert "1 MiB" in problem["detail"]
        assert c.get("/health").json() == before


def test_a_chunked_body_is_counted_as_it_arrives(small_limit: LiveServer) -> None:
    request = chunks(TWO_MB)
    with small_limit.client() as c:
        response = c.post(
            "/imports",
            content=request,
            headers={"X-API-Key": API_KEY, "Content-Type": "application/yaml"},
        )
        assert response.status_code == 413
        assert "content-length" not in response.request.headers
        assert response.request.headers["transfer-encoding"] == "chunked"


def test_a_body_under_the_limit_is_read(small_limit: LiveServer) -> None:
    data = dataset_yaml("small", entities=2, commitments=2) + b"# pad\n" * 100_000  # ~0.6 MB
    assert len(data) < 2**20
    with small_limit.client() as c:
        for body in (data, chunks(data)):
            response = c.post(
                "/imports",
                content=body,
                headers={"X-API-Key": API_KEY, "Content-Type": "application/yaml"},
            )
            assert response.status_code == 200, response.text


# --- concurrency ----------------------------------------------------------------------------


def post_together(server: LiveServer, bodies: list[bytes]) -> list[httpx.Response]:
    """Post each body from its own thread and connection, released at the same moment."""
    barrier = threading.Barrier(len(bodies))
    responses: list[httpx.Response | BaseException | None] = [None] * len(bodies)

    def worker(i: int) -> None:
        try:
            with server.client() as c:
                barrier.wait(timeout=30)
                responses[i] = post_yaml(c, bodies[i])
        except BaseException as exc:  # reported below, in the test's thread
            responses[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    done: list[httpx.Response] = []
    for r in responses:
        if not isinstance(r, httpx.Response):
            raise AssertionError(f"an import did not complete: {r!r}")
        done.append(r)
    return done


def test_two_different_imports_at_once_both_land(
    writable: LiveServer, client: httpx.Client
) -> None:
    n = 1500
    bodies = [dataset_yaml(p, entities=40, commitments=n) for p in ("left", "right")]
    before = all_commitments(client)
    responses = post_together(writable, bodies)
    for response in responses:
        assert response.status_code == 200, response.text
        assert counts(response.json(), "commitments") == (n, 0, 0)
        assert counts(response.json(), "entities") == (40, 0, 0)
    after = all_commitments(client)
    after_ids = [c["id"] for c in after]
    assert len(after_ids) == len(set(after_ids)), "a commitment is listed twice"
    assert set(after_ids) == {c["id"] for c in before} | commitment_ids("left", n) | commitment_ids(
        "right", n
    )
    assert client.get("/health").json()["commitments"] == len(before) + 2 * n


def test_the_same_file_twice_at_once_is_added_once(
    writable: LiveServer, client: httpx.Client
) -> None:
    n = 1500
    body = dataset_yaml("twin", entities=40, commitments=n)
    before = client.get("/health").json()
    responses = post_together(writable, [body, body])
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    summaries = sorted((counts(r.json(), "commitments") for r in responses), reverse=True)
    assert summaries == [(n, 0, 0), (0, 0, n)]
    entity_summaries = sorted((counts(r.json(), "entities") for r in responses), reverse=True)
    assert entity_summaries == [(40, 0, 0), (0, 0, 40)]
    after = client.get("/health").json()
    assert after["commitments"] == before["commitments"] + n
    assert after["entities"] == before["entities"] + 40
    listed = [c["id"] for c in all_commitments(client) if c["id"].startswith("twin-")]
    assert sorted(listed) == sorted(commitment_ids("twin", n))
