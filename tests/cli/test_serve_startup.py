"""`aifg serve` as a subprocess on a free port: the lines it prints before uvicorn's say
where the data lives, what this start seeded (or when the store was), and what to open."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import httpx
import pytest

from cli.serve import base_url, where
from graph.settings import Settings
from tests.api.support import SERVE, TOY_YAML, LiveServer, free_port, run_server
from tests.helpers import ROOT
from tests.stores import STORE_KINDS

UVICORN_RUNNING = "Uvicorn running on"


def first_lines(server: LiveServer) -> list[str]:
    """What the server printed before uvicorn said it was running."""
    lines = server.log.read_text(encoding="utf-8").splitlines()
    running = next(i for i, line in enumerate(lines) if UVICORN_RUNNING in line)
    return [line for line in lines[:running] if not line.startswith("INFO:")]


def holds(server: LiveServer) -> str:
    with server.client() as client:
        health = client.get("/health").json()
    return (
        f"the store holds {health['entities']} entities, {health['commitments']} commitments, "
        f"{health['events']} events"
    )


def assert_urls(server: LiveServer, line: str) -> None:
    assert line == f"explorer: {server.url}/   API docs: {server.url}/docs"
    for path in ("/", "/docs"):
        response = httpx.get(server.url + path, timeout=30)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("store", STORE_KINDS)
def test_first_start_says_where_what_was_seeded_and_the_url(tmp_path: Path, store: str) -> None:
    with run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}, store=store) as server:
        where, seeded, urls = first_lines(server)
        contents = holds(server)
        if store == "embedded":
            assert where == f"aifg serve: embedded store in {server.data_dir.resolve()}"
        else:
            assert re.fullmatch(r"aifg serve: Neo4j at \S+ \(database \S+\)", where), where
        assert re.fullmatch(
            rf"seeded from {re.escape(str(tmp_path / 'seeds'))} in \d+\.\d s; {contents}",
            seeded,
        ), seeded
        assert "0 entities" not in contents
        assert_urls(server, urls)


def serve_until_running(data_dir: Path, seed_dir: Path) -> tuple[str, list[str]]:
    """`aifg serve --data-dir DIR` (the option after the command) on a free port: its URL
    and the lines it printed before uvicorn's; stopped once uvicorn is running."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    env.update({"AIFG_SEED_DIR": str(seed_dir), "PYTHONUNBUFFERED": "1"})
    for _attempt in range(3):
        port = free_port()
        argv = [*SERVE, "--port", str(port), "--data-dir", str(data_dir)]
        with subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as proc:
            assert proc.stdout is not None
            try:
                lines = []
                for line in proc.stdout:  # ends when the process does (a port taken)
                    if UVICORN_RUNNING in line:
                        return f"http://127.0.0.1:{port}", lines
                    if not line.startswith("INFO:"):
                        lines.append(line.rstrip("\n"))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    raise RuntimeError(f"aifg serve did not start: {lines}")


def test_a_restart_says_already_seeded_and_when(tmp_path: Path) -> None:
    data_dir, seed_dir = tmp_path / "data", tmp_path / "seeds"
    seed_dir.mkdir()
    (seed_dir / "toy.yaml").write_bytes(TOY_YAML)
    before = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    url, (where, first, _) = serve_until_running(data_dir, seed_dir)
    assert where == f"aifg serve: embedded store in {data_dir.resolve()}"
    assert first.startswith(f"seeded from {seed_dir} in ")
    contents = first.split("; ", 1)[1]
    after = dt.datetime.now(dt.UTC)

    url, (where_again, second, urls) = serve_until_running(data_dir, seed_dir)
    assert where_again == where
    match = re.fullmatch(r"already seeded on (\S+ \S+) UTC; (.*)", second)
    assert match, second
    when = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    assert before <= when <= after
    assert match[2] == contents
    assert urls == f"explorer: {url}/   API docs: {url}/docs"


def test_a_store_not_to_be_seeded_says_so(tmp_path: Path) -> None:
    with run_server(tmp_path) as server:  # AIFG_SEED_ON_START=false
        assert first_lines(server)[1] == (
            "not seeded (AIFG_SEED_ON_START is off); "
            "the store holds 0 entities, 0 commitments, 0 events"
        )


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),
        ("::", "http://[::1]:8000"),
        ("localhost", "http://localhost:8000"),
    ],
)
def test_the_url_to_open_for_a_host(host: str, url: str) -> None:
    assert base_url(host, 8000) == url


def test_neo4j_is_named_by_its_uri_without_credentials() -> None:
    settings = Settings(
        store="neo4j", neo4j_uri="neo4j://reader:secret@db.example:7687", _env_file=None
    )
    assert where(settings) == "Neo4j at neo4j://db.example:7687 (database neo4j)"
