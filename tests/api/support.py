"""Helpers for the API tests: a real `aifg serve` process, generated datasets, problem checks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import ROOT
from tests.stores import clear_neo4j, neo4j_env

API_KEY = "test-key-0123456789"
PROBLEM_JSON = "application/problem+json"
STARTUP_TIMEOUT = 60.0
SERVE = [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1"]
TOY_YAML = (ROOT / "tests" / "data" / "toy.yaml").read_bytes()
# A deal a user writes from a news story: a new entity, NewCo, and its $2B stake in the
# toy LabCo (so NewCo stands to lose $2B if LabCo fails).
DEAL = b"""\
version: 1
entities:
  - {id: newco, name: NewCo}
commitments:
  - id: newco-labco-stake
    from: newco
    to: labco
    kind: equity_investment
    amount: {usd: 2e9}
    announced: 2026-02-01
    status: [{date: 2026-02-01, status: signed}]
    sources: [{url: "https://example.com/newco", publisher: Example}]
"""


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveServer:
    url: str
    data_dir: Path
    log: Path
    store: str = "embedded"
    process: subprocess.Popen[bytes] | None = field(default=None, compare=False, repr=False)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, **{"timeout": 60, **kwargs})


def _wait_until_healthy(proc: subprocess.Popen[bytes], url: str, log: Path) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False  # exited: most likely the port was taken meanwhile
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"server at {url} not healthy in {STARTUP_TIMEOUT}s:\n{log.read_text()}")


@contextmanager
def run_server(
    workdir: Path,
    *,
    seed_files: Mapping[str, bytes] | None = None,
    env: Mapping[str, str] | None = None,
    store: str = "embedded",
) -> Iterator[LiveServer]:
    """`python -m cli.main serve` on a free loopback port over a store in `workdir`.

    `seed_files` (name -> YAML) are loaded on first start; `env` adds AIFG_ settings.
    `store="neo4j"` serves the Neo4j under test instead, cleared first.
    """
    if store == "neo4j":
        env = {**neo4j_env(), **(env or {})}
        clear_neo4j()
    data_dir = workdir / "data"
    seed_dir = workdir / "seeds"
    seed_dir.mkdir(parents=True, exist_ok=True)
    for name, content in (seed_files or {}).items():
        (seed_dir / name).write_bytes(content)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    base_env.update(
        {
            "AIFG_DATA_DIR": str(data_dir),
            "AIFG_SEED_DIR": str(seed_dir),
            "AIFG_SEED_ON_START": "true" if seed_files else "false",
            "AIFG_API_KEY": API_KEY,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
    )
    log = workdir / "server.log"
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*SERVE, "--port", str(port)],
                cwd=ROOT,
                env=base_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            if not _wait_until_healthy(proc, url, log):
                continue
            yield LiveServer(url=url, data_dir=data_dir, log=log, store=store, process=proc)
            return
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=15)
    raise RuntimeError(f"server did not start:\n{log.read_text()}")


@contextmanager
def toy_server(
    factory: pytest.TempPathFactory, name: str, *, store: str = "embedded"
) -> Iterator[LiveServer]:
    """A server of its own over the toy data, for a session or a module of tests."""
    with run_server(factory.mktemp(name), seed_files={"toy.yaml": TOY_YAML}, store=store) as s:
        yield s


def dataset_yaml(prefix: str, *, entities: int, commitments: int, usd_scale: float = 1e6) -> bytes:
    """A dataset of its own entities (`{prefix}-e{i}`) and loans between them, one per line."""
    assert entities >= 2
    lines = ["version: 1", "entities:"]
    lines += [f"  - {{id: {prefix}-e{i}, name: {prefix.title()} E{i}}}" for i in range(entities)]
    lines.append("commitments:")
    for i in range(commitments):
        a, b = i % entities, (i * 7 + 1) % entities
        if a == b:
            b = (b + 1) % entities
        lines.append(
            f"  - {{id: {prefix}-c{i}, from: {prefix}-e{a}, to: {prefix}-e{b}, kind: loan, "
            f"amount: {{usd: {(i + 1) * usd_scale:.0f}}}, announced: 2025-01-01, "
            "status: [{date: 2025-01-01, status: signed}], "
            f"sources: [{{url: 'https://example.com/{prefix}/{i}', publisher: Test}}]}}"
        )
    return ("\n".join(lines) + "\n").encode()


def commitment_ids(prefix: str, count: int) -> set[str]:
    return {f"{prefix}-c{i}" for i in range(count)}


def all_commitments(client: httpx.Client | Any) -> list[dict[str, Any]]:
    """Every commitment, page by page (limit 1000), in the API's order."""
    items: list[dict[str, Any]] = []
    while True:
        page = client.get("/commitments", params={"limit": 1000, "offset": len(items)}).json()
        items += page["items"]
        if not page["items"] or len(items) >= page["total"]:
            return items


def post_yaml(
    client: httpx.Client | Any, data: bytes, *, key: str | None = API_KEY, **params: Any
) -> Any:
    headers = {"Content-Type": "application/yaml"}
    if key is not None:
        headers["X-API-Key"] = key
    return client.post("/imports", content=data, headers=headers, params=params)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """An RFC 9457 problem details response with this status; returns the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    for name in ("type", "title", "status", "detail", "instance"):
        assert name in body, f"{name} missing from {body}"
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body
