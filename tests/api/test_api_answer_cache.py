"""Read answers over a real server: the same answer (and ETag) until the data changes,
304 for a client that already has it, a new answer and tag after an import (through the
API or by another process), errors never kept."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.support import API_KEY, DEAL, TOY_YAML, LiveServer, post_yaml, run_server
from tests.helpers import ROOT
from tests.stores import STORE_KINDS, neo4j_env

WHO_STANDS_TO_LOSE = "/entities/labco/exposure?direction=in&as_of=2026-03-01"


@pytest.fixture(params=STORE_KINDS)
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    with run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}, store=request.param) as s:
        yield s


def counterparties(response: httpx.Response) -> dict[str, float | None]:
    return {row["id"]: row["usd"] for row in response.json()["counterparties"]}


def test_a_repeat_gets_the_same_bytes_and_tag(server: LiveServer) -> None:
    with server.client() as http:
        first = http.get(WHO_STANDS_TO_LOSE)
        second = http.get(WHO_STANDS_TO_LOSE)
    assert first.status_code == second.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"') and len(tag) > 2
    assert second.headers["etag"] == tag
    assert second.content == first.content
    assert first.headers["cache-control"] == "no-cache"
    assert first.headers["content-type"] == "application/json"
    assert int(second.headers["content-length"]) == len(second.content)
    # Each answer still gets its own request id.
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.parametrize("if_none_match", ["{tag}", "W/{tag}", '"other", {tag}', "*"], ids=str)
def test_a_client_with_the_answer_gets_304(server: LiveServer, if_none_match: str) -> None:
    with server.client() as http:
        tag = http.get(WHO_STANDS_TO_LOSE).headers["etag"]
        again = http.get(
            WHO_STANDS_TO_LOSE, headers={"If-None-Match": if_none_match.format(tag=tag)}
        )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag


def test_a_client_with_another_answer_gets_the_answer(server: LiveServer) -> None:
    with server.client() as http:
        answer = http.get(WHO_STANDS_TO_LOSE, headers={"If-None-Match": '"not-this-one"'})
        other_date = http.get("/entities/labco/exposure?direction=in&as_of=2024-01-01")
    assert answer.status_code == 200
    assert "cloudco" in counterparties(answer)
    # Another question is another answer, with another tag.
    assert other_date.status_code == 200
    assert other_date.headers["etag"] != answer.headers["etag"]


def test_a_tag_matching_an_answer_not_kept_yet_is_304_too(server: LiveServer) -> None:
    """The tag is a hash of the answer: a client that has the same answer from another
    query string (or from an earlier server process) is told it is still current."""
    with server.client() as http:
        tag = http.get(WHO_STANDS_TO_LOSE).headers["etag"]
        reordered = http.get(
            "/entities/labco/exposure?as_of=2026-03-01&direction=in",
            headers={"If-None-Match": tag},
        )
    assert reordered.status_code == 304
    assert reordered.headers["etag"] == tag


def test_an_import_through_the_api_gives_a_new_answer(server: LiveServer) -> None:
    with server.client() as http:
        before = http.get(WHO_STANDS_TO_LOSE)
        assert "newco" not in counterparties(before)
        assert post_yaml(http, DEAL).status_code == 200
        after = http.get(WHO_STANDS_TO_LOSE, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert counterparties(after)["newco"] == 2e9
    assert after.headers["etag"] != before.headers["etag"]


def test_an_import_by_another_process_gives_a_new_answer(server: LiveServer) -> None:
    deal = server.data_dir.parent / "deal.yaml"
    deal.write_bytes(DEAL)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    env |= {"AIFG_DATA_DIR": str(server.data_dir), "AIFG_SEED_ON_START": "false"}
    if server.store == "neo4j":
        env |= neo4j_env()
    with server.client() as http:
        before = http.get(WHO_STANDS_TO_LOSE)
        subprocess.run(
            [sys.executable, "-m", "cli.main", "import", str(deal)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        after = http.get(WHO_STANDS_TO_LOSE, headers={"If-None-Match": before.headers["etag"]})
    assert "newco" not in counterparties(before)
    assert after.status_code == 200
    assert counterparties(after)["newco"] == 2e9


def test_errors_are_not_kept(server: LiveServer) -> None:
    with server.client() as http:
        missing = http.get("/entities/newco")
        assert post_yaml(http, DEAL).status_code == 200
        found = http.get("/entities/newco")
        bad = http.get("/entities/labco/exposure?depth=banana")
    assert missing.status_code == 404 and "etag" not in missing.headers
    assert found.status_code == 200 and found.json()["entity"]["name"] == "NewCo"
    assert bad.status_code == 422 and "etag" not in bad.headers


def test_health_and_writes_are_not_cached(server: LiveServer) -> None:
    with server.client() as http:
        health = http.get("/health")
        version = health.json()["data_version"]
        post_yaml(http, DEAL)
        after = http.get("/health")
    assert "etag" not in health.headers
    assert after.json()["data_version"] != version


def test_the_same_question_as_csv_is_another_answer(server: LiveServer) -> None:
    with server.client() as http:
        as_json = http.get(WHO_STANDS_TO_LOSE)
        as_csv = http.get(WHO_STANDS_TO_LOSE, headers={"Accept": "text/csv"})
        again = http.get(WHO_STANDS_TO_LOSE)
    assert as_json.headers["content-type"] == "application/json"
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["etag"] != as_json.headers["etag"]
    assert again.content == as_json.content


def test_a_withdrawal_gives_a_new_answer(server: LiveServer) -> None:
    # labco stands to lose its cloud contract to cloudco until the withdrawal (toy.yaml).
    with server.client() as http:
        before = http.get(WHO_STANDS_TO_LOSE)
        body = {"records": [{"id": "labco-cloudco-cloud"}], "reason": "a wrong deal"}
        done = http.post("/withdrawals", json=body, headers={"X-API-Key": API_KEY})
        assert done.status_code == 200, done.text
        after = http.get(WHO_STANDS_TO_LOSE, headers={"If-None-Match": before.headers["etag"]})
    assert "cloudco" in counterparties(before)
    assert after.status_code == 200
    assert "cloudco" not in counterparties(after)
