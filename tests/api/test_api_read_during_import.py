"""Reads that run while a large import writes see the state before it or after it, never half."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.support import API_KEY, TOY_YAML, dataset_yaml, post_yaml, run_server

N_ENTITIES = 500
N_COMMITMENTS = 20_000


@pytest.mark.slow
def test_reads_during_a_large_import_see_before_or_after(tmp_path: Path) -> None:
    body = dataset_yaml("bulk", entities=N_ENTITIES, commitments=N_COMMITMENTS)
    with run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}) as server:
        with server.client() as c:
            start = c.get("/health").json()
        before = (start["entities"], start["commitments"])
        after = (before[0] + N_ENTITIES, before[1] + N_COMMITMENTS)

        seen_health: list[tuple[int, int]] = []
        seen_totals: list[int] = []
        errors: list[BaseException] = []
        importing = threading.Event()
        done = threading.Event()

        def read_repeatedly() -> None:
            try:
                with server.client() as reader:
                    while not done.is_set():
                        health: Any = reader.get("/health").json()
                        page: Any = reader.get("/commitments", params={"limit": 1}).json()
                        if importing.is_set() and not done.is_set():
                            seen_health.append((health["entities"], health["commitments"]))
                            seen_totals.append(page["total"])
            except BaseException as exc:  # reported in the test's thread
                errors.append(exc)

        reader_thread = threading.Thread(target=read_repeatedly)
        reader_thread.start()
        try:
            time.sleep(0.2)
            with server.client(timeout=180) as writer:
                importing.set()
                response = post_yaml(writer, body)
            done.set()
        finally:
            done.set()
            reader_thread.join(timeout=60)

        assert not errors, errors
        assert response.status_code == 200, response.text
        assert response.json()["commitments"]["added"] == N_COMMITMENTS
        with server.client() as c:
            end = c.get("/health").json()
            assert (end["entities"], end["commitments"]) == after
            assert c.get("/commitments", params={"limit": 1}).json()["total"] == after[1]
            sample = c.get("/commitments/bulk-c19999")
            assert sample.status_code == 200

    # The reader kept answering while the import ran, and never saw a half-written state.
    assert len(seen_totals) >= 5, f"only {len(seen_totals)} reads overlapped the import"
    assert set(seen_health) <= {before, after}, sorted(set(seen_health))
    assert set(seen_totals) <= {before[1], after[1]}, sorted(set(seen_totals))
    assert before[1] in seen_totals  # it did read while the import was still under way


def test_a_reader_is_not_blocked_by_a_slow_upload(tmp_path: Path) -> None:
    """While one client trickles a body in, others are answered (the loop is not held)."""
    with run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}) as server:
        release = threading.Event()
        result: list[httpx.Response] = []

        def trickle() -> Any:
            yield b"version: 1\n"
            release.wait(timeout=30)
            yield b"entities: []\n"

        def upload() -> None:
            with server.client() as c:
                result.append(
                    c.post(
                        "/imports",
                        content=trickle(),
                        headers={"X-API-Key": API_KEY},
                    )
                )

        uploader = threading.Thread(target=upload)
        uploader.start()
        try:
            with server.client(timeout=5) as c:
                for _ in range(5):
                    assert c.get("/health").status_code == 200
        finally:
            release.set()
            uploader.join(timeout=30)
        assert result and result[0].status_code == 200, result
