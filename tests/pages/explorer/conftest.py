"""Fixtures for the explorer page: a real `aifg serve` and Debian's headless Chromium.

The server runs over tests/pages/explorer/data/web.yaml and, when seeds/ holds a dataset, over
the seed data as well; every test compares the page with what that server's API says.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Page

from tests.helpers import ROOT

DATASETS = {"web": ROOT / "tests" / "pages" / "explorer" / "data", "seeds": ROOT / "seeds"}
STARTUP_TIMEOUT = 90.0


@dataclass(frozen=True)
class Server:
    dataset: str
    url: str
    http: httpx.Client

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(path, params=params)
        response.raise_for_status()
        return response.json()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _seeds_problem() -> str | None:
    """Why the seeds case cannot run yet, or None when it can."""
    if not any(DATASETS["seeds"].rglob("*.yaml")):
        return "seeds/ holds no dataset yet"
    check = subprocess.run(
        [sys.executable, "-m", "cli.main", "validate", str(DATASETS["seeds"])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check.returncode != 0:
        first = (check.stderr or check.stdout).strip().splitlines()[:1]
        return f"seeds/ does not validate yet (tests/seeds reports it): {first}"
    return None


@pytest.fixture(scope="session", params=sorted(DATASETS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`python -m cli.main serve` on a free loopback port, seeded from one dataset."""
    dataset: str = request.param
    if dataset == "seeds" and (problem := _seeds_problem()):
        pytest.skip(problem)
    workdir = tmp_path_factory.mktemp(f"explorer-{dataset}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    env |= {
        "AIFG_DATA_DIR": str(workdir / "data"),
        "AIFG_SEED_DIR": str(DATASETS[dataset]),
        "AIFG_SEED_ON_START": "true",
        "PYTHONUNBUFFERED": "1",
    }
    log = workdir / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"aifg serve exited ({proc.returncode}):\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"aifg serve not healthy in {STARTUP_TIMEOUT}s:\n{log.read_text()}"
                )
            time.sleep(0.1)
        with httpx.Client(base_url=url, timeout=60) as client:
            yield Server(dataset=dataset, url=url, http=client)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture
def page_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of `page`, from before it loads anything."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors
