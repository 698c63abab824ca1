"""Several processes on one store: a server sees another process's import on its next
request, and imports made at the same time from the CLI, the API and a second server
all land, each whole, on both stores. Real processes throughout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.support import (
    DEAL,
    TOY_YAML,
    LiveServer,
    dataset_yaml,
    post_yaml,
    run_server,
)
from tests.helpers import ROOT
from tests.stores import STORE_KINDS, neo4j_env

# Then one that references what the CLI added: the server must know NewCo by now.
FOLLOW_UP = b"""\
version: 1
commitments:
  - id: cloudco-newco-cloud
    from: newco
    to: cloudco
    kind: cloud_contract
    amount: {usd: 1e9}
    announced: 2026-02-02
    status: [{date: 2026-02-02, status: signed}]
    sources: [{url: "https://example.com/follow-up", publisher: Example}]
"""


def cli_env(server: LiveServer) -> dict[str, str]:
    """Settings that put an `aifg` process on the server's store."""
    env = {"AIFG_DATA_DIR": str(server.data_dir), "AIFG_SEED_ON_START": "false"}
    if server.store == "neo4j":
        env |= neo4j_env()
    return env


def aifg_import(path: Path, env: Mapping[str, str]) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "import", str(path), "--json"],
        cwd=ROOT,
        env={**clean, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


@pytest.mark.parametrize("store", STORE_KINDS)
def test_a_server_sees_a_cli_import_on_its_next_request(tmp_path: Path, store: str) -> None:
    with (
        run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}, store=store) as server,
        server.client() as http,
    ):
        before = http.get("/health").json()
        assert http.get("/entities/newco").status_code == 404
        deal = tmp_path / "deal.yaml"
        deal.write_bytes(DEAL)
        code, output = finished(aifg_import(deal, cli_env(server)))
        assert code == 0, output

        after = http.get("/health").json()
        assert (after["entities"], after["commitments"]) == (
            before["entities"] + 1,
            before["commitments"] + 1,
        )
        assert after["data_version"] != before["data_version"]
        assert http.get("/entities/newco").json()["entity"]["name"] == "NewCo"
        exposed = http.get("/entities/labco/exposure", params={"direction": "in"}).json()
        assert "newco" in [c["id"] for c in exposed["counterparties"]]
        # The API may now build on what the CLI imported, and sees the CLI's records
        # as they are: the same deal again is unchanged, not added twice.
        follow_up = post_yaml(http, FOLLOW_UP)
        assert follow_up.status_code == 200, follow_up.text
        again = post_yaml(http, DEAL).json()
        assert (again["commitments"]["added"], again["commitments"]["unchanged"]) == (0, 1)


def counts(server: LiveServer) -> tuple[int, int]:
    with server.client() as http:
        health: Any = http.get("/health").json()
    return health["entities"], health["commitments"]


@pytest.mark.slow
@pytest.mark.parametrize("store", STORE_KINDS)
def test_imports_at_once_from_two_clis_and_two_servers_all_land(tmp_path: Path, store: str) -> None:
    """Two CLI imports and one import through each of two servers on the same store, all
    started together: each lands whole (in some order), nothing is lost, the file is
    intact, and both servers answer with all of it."""
    sizes = {"cli-a": 3000, "cli-b": 2000, "api-a": 2500, "api-b": 1500}
    files = {}
    for prefix, n in sizes.items():
        files[prefix] = tmp_path / f"{prefix}.yaml"
        files[prefix].write_bytes(dataset_yaml(prefix, entities=50, commitments=n))
    with (
        run_server(tmp_path / "one", store=store) as first,
        run_server(
            tmp_path / "two", store=store, env={"AIFG_DATA_DIR": str(first.data_dir)}
        ) as second,
    ):
        env = cli_env(first)  # every process here works on the first server's store

        def through(server: LiveServer, prefix: str) -> httpx.Response:
            with server.client(timeout=300) as http:
                return post_yaml(http, files[prefix].read_bytes())

        with ThreadPoolExecutor(max_workers=2) as pool:
            clis = [aifg_import(files[p], env) for p in ("cli-a", "cli-b")]
            posts = [pool.submit(through, first, "api-a"), pool.submit(through, second, "api-b")]
            results = [finished(cli) for cli in clis]
            responses = [post.result() for post in posts]
        for code, output in results:
            assert code == 0, output
        for response in responses:
            assert response.status_code == 200, response.text
            assert response.json()["commitments"]["added"] in sizes.values()
        expected = (len(sizes) * 50, sum(sizes.values()))
        assert counts(first) == counts(second) == expected
        if store == "embedded":
            db = first.data_dir / "aifg.sqlite3"
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                logged = conn.execute("SELECT count(*) FROM imports").fetchone()[0]
            assert logged == 4
