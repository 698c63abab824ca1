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

from graph.store.base import document
from graph.store.neo4j import Neo4jStore
from neo4j import GraphDatabase
from tests.api.support import TOY_YAML, assert_problem, free_port, run_server
from tests.graph.test_store import write_big_dataset
from tests.helpers import ROOT, run_cli
from tests.neo4j.local_server import Ports, local_neo4j
from tests.stores import neo4j_contents, neo4j_driver_auth

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


def stored(uri: str) -> dict[str, list[str]]:
    """What every reader of the store sees: the records as the store reads them."""
    store = Neo4jStore(uri, auth=neo4j_driver_auth())
    try:
        with store.read() as data:
            return {
                "entities": [document(e) for e in data.entities],
                "commitments": [document(c) for c in data.commitments],
                "events": [document(e) for e in data.events],
            }
    finally:
        store.close()


def test_an_import_killed_with_its_server_leaves_what_readers_see_unchanged(
    tmp_path: Path,
) -> None:
    """Staged batches are never read: after the kill readers see the data of before; the
    next import takes the dead import's lease once it is stale and drops what it staged,
    which leaves the database as it was."""
    ports = Ports.free()
    data, log = tmp_path / "neo4j-data", tmp_path / "neo4j.log"
    toy = tmp_path / "toy.yaml"
    toy.write_bytes(TOY_YAML)
    big = tmp_path / "big.yaml"
    write_big_dataset(big, entities=2_000, commitments=40_000)
    with local_neo4j(data, ports, log) as neo4j:
        assert aifg("import", str(toy), uri=ports.uri).returncode == 0
        before, readers_before = neo4j_contents(ports.uri), stored(ports.uri)
        assert len(before["relationships"]) == 5

        importer = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "import", str(big)],
            cwd=ROOT,
            env={**os.environ, "AIFG_SEED_ON_START": "false", **neo4j_cli_env(ports.uri)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Kill the server once the import has staged a few batches.
        deadline = time.monotonic() + 240
        while staged(ports.uri) < 3_000:
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
        assert stored(ports.uri) == readers_before
        assert staged(ports.uri) >= 3_000  # there, marked, and read by no one
        # An import while the lease is fresh waits, then takes it over once it is stale.
        env = {"AIFG_NEO4J_LEASE_SECONDS": "2"}
        again = run_cli(
            "import", str(toy), data_dir=ROOT / "unused", env={**neo4j_cli_env(ports.uri), **env}
        )
        assert again.returncode == 0, again.stderr
        assert neo4j_contents(ports.uri) == before


def staged(uri: str) -> int:
    """Records an import has staged and not published."""
    with GraphDatabase.driver(uri, auth=neo4j_driver_auth(), telemetry_disabled=True) as driver:
        records = driver.execute_query(
            "MATCH ()-[r]->() WHERE r.pending IS NOT NULL RETURN count(r) AS n"
        ).records
    return int(records[0]["n"])


def test_an_import_larger_than_a_transaction_lands_whole_in_batches(tmp_path: Path) -> None:
    """On a server with little heap (transaction memory is 70% of it by default) a file
    of 60,000 commitments, too large for one transaction, is staged a batch at a time and
    published at once: readers see all of it, and nothing stays marked."""
    ports = Ports.free()
    big = tmp_path / "big.yaml"
    write_big_dataset(big, entities=2_000, commitments=60_000)
    with local_neo4j(tmp_path / "data", ports, tmp_path / "neo4j.log", heap="256m"):
        done = aifg("import", str(big), uri=ports.uri)
        assert done.returncode == 0, done.stderr
        readers = stored(ports.uri)
        assert (len(readers["entities"]), len(readers["commitments"])) == (2_000, 60_000)
        assert staged(ports.uri) == 0


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
