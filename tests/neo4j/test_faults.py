"""Neo4j faults on a real server of the test's own: down at start, stopped while serving,
killed in the middle of an import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from neo4j import GraphDatabase
from tests.api.support import TOY_YAML, assert_problem, free_port, run_server
from tests.graph.test_store import write_big_dataset
from tests.helpers import ROOT, run_cli
from tests.neo4j.local_server import Ports, local_neo4j
from tests.stores import neo4j_contents

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def neo4j_cli_env(uri: str) -> dict[str, str]:
    return {
        "AIFG_STORE": "neo4j",
        "NEO4J_URI": uri,
        "AIFG_NEO4J_RETRY_SECONDS": "1",
        "AIFG_MAX_FILE_MB": "200",
    }


def aifg(*args: str, uri: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, data_dir=ROOT / "unused", timeout=timeout, env=neo4j_cli_env(uri))


def test_neo4j_down_at_start_is_one_line_naming_the_uri() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"  # nothing listens there
    for args in (("serve", "--port", str(free_port())), ("entities",)):
        done = aifg(*args, uri=uri, timeout=60)
        assert done.returncode == 1, done
        [line] = done.stderr.strip().splitlines()
        assert line.startswith(f"error: cannot use Neo4j at {uri}: "), line
        assert "refused" in line


@contextmanager
def served_from_own_neo4j(
    tmp_path: Path, ports: Ports
) -> Iterator[tuple[subprocess.Popen[str], httpx.Client]]:
    """A Neo4j of the test's own, and `aifg serve` over it with a 1 s retry budget."""
    data, log = tmp_path / "neo4j-data", tmp_path / "neo4j.log"
    env = {"AIFG_STORE": "neo4j", "NEO4J_URI": ports.uri, "AIFG_NEO4J_RETRY_SECONDS": "1"}
    with (
        local_neo4j(data, ports, log) as neo4j,
        run_server(tmp_path / "api", seed_files={"toy.yaml": TOY_YAML}, env=env) as api,
        api.client(timeout=120) as client,
    ):
        yield neo4j, client


def test_requests_get_503_while_neo4j_is_down_and_recover(tmp_path: Path) -> None:
    ports = Ports.free()
    data, log = tmp_path / "neo4j-data", tmp_path / "neo4j.log"
    with served_from_own_neo4j(tmp_path, ports) as (neo4j, client):
        path = "/entities/labco/exposure?direction=in&as_of=2026-01-29&depth=2"
        answer = client.get(path)
        assert answer.status_code == 200

        neo4j.send_signal(signal.SIGKILL)
        neo4j.wait()
        for request in (
            client.build_request("GET", path),
            client.build_request("GET", "/health"),
            client.build_request("GET", "/analysis/cycles"),
        ):
            body = assert_problem(client.send(request), 503)
            assert ports.uri in body["detail"]

        with local_neo4j(data, ports, log):
            deadline = time.monotonic() + 60
            while (again := client.get(path)).status_code == 503:
                assert time.monotonic() < deadline, again.text
                time.sleep(0.5)
            assert again.status_code == 200
            assert again.json() == answer.json()


def running_writes(uri: str) -> list[str]:
    with GraphDatabase.driver(uri, telemetry_disabled=True) as driver:
        records = driver.execute_query(
            "SHOW TRANSACTIONS YIELD currentQuery, status RETURN currentQuery AS query"
        ).records
    return [r["query"] for r in records if "UNWIND $rows" in (r["query"] or "")]


def test_an_import_killed_with_its_server_leaves_neo4j_unchanged(tmp_path: Path) -> None:
    ports = Ports.free()
    data, log = tmp_path / "neo4j-data", tmp_path / "neo4j.log"
    toy = tmp_path / "toy.yaml"
    toy.write_bytes(TOY_YAML)
    big = tmp_path / "big.yaml"
    write_big_dataset(big, entities=2_000, commitments=40_000)
    with local_neo4j(data, ports, log) as neo4j:
        assert aifg("import", str(toy), uri=ports.uri).returncode == 0
        before = neo4j_contents(ports.uri)
        assert len(before["relationships"]) == 5

        importer = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "import", str(big)],
            cwd=ROOT,
            env={**os.environ, "AIFG_SEED_ON_START": "false", **neo4j_cli_env(ports.uri)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Kill the server once the import's transaction is writing its batches.
        deadline = time.monotonic() + 240
        while not running_writes(ports.uri):
            assert importer.poll() is None, importer.communicate()
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        neo4j.send_signal(signal.SIGKILL)
        neo4j.wait()
        _, stderr = importer.communicate(timeout=120)
        assert importer.returncode == 1
        [line] = stderr.strip().splitlines()
        assert line.startswith("error: ") and ports.uri in line

    with local_neo4j(data, ports, log):
        assert neo4j_contents(ports.uri) == before


def test_an_import_too_large_for_the_transaction_memory_is_refused_whole(tmp_path: Path) -> None:
    """A file is one transaction: on a server with little heap (transaction memory is 70% of
    it by default) a large file is rolled back whole and the error says what to do."""
    ports = Ports.free()
    toy = tmp_path / "toy.yaml"
    toy.write_bytes(TOY_YAML)
    big = tmp_path / "big.yaml"
    write_big_dataset(big, entities=2_000, commitments=60_000)
    with local_neo4j(tmp_path / "data", ports, tmp_path / "neo4j.log", heap="256m"):
        assert aifg("import", str(toy), uri=ports.uri).returncode == 0
        before = neo4j_contents(ports.uri)
        done = aifg("import", str(big), uri=ports.uri)
        assert done.returncode == 1, done
        [line] = done.stderr.strip().splitlines()
        assert "does not fit in one Neo4j transaction" in line and "nothing was written" in line
        assert neo4j_contents(ports.uri) == before


def test_every_request_gets_its_answer_within_the_retry_budget_while_neo4j_is_frozen(
    tmp_path: Path,
) -> None:
    """A stopped (SIGSTOP) Neo4j accepts connections and never answers: /health too must
    answer 503 within the retry budget, as the other endpoints do, and recover after."""
    ports = Ports.free()
    with served_from_own_neo4j(tmp_path, ports) as (neo4j, client):
        assert client.get("/health").status_code == 200
        neo4j.send_signal(signal.SIGSTOP)
        try:
            for path in ("/health", "/entities/labco", "/analysis/cycles", "/health"):
                start = time.monotonic()
                body = assert_problem(client.get(path), 503)
                took = time.monotonic() - start
                assert ports.uri in body["detail"]
                assert took < 15, (path, took)  # retry budget 1 s; was 120 s for /health
        finally:
            neo4j.send_signal(signal.SIGCONT)
        deadline = time.monotonic() + 60
        while (again := client.get("/health")).status_code != 200:
            assert time.monotonic() < deadline, again.text
            time.sleep(0.5)
