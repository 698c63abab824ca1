"""POST /imports of a deal written from a news story, through real HTTP on both stores: a 422
listing every problem in one answer, each with its line, column, field and what to write
instead; nothing changes; the file with that advice taken imports."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.support import LiveServer, assert_problem, post_yaml, run_server
from tests.news_story import BASE, FIXED, PROBLEMS, STORY
from tests.stores import STORE_KINDS


@pytest.fixture(scope="module", params=STORE_KINDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("story-server")
    with run_server(workdir, seed_files={"base.yaml": BASE}, store=request.param) as s:
        yield s


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def test_one_answer_lists_every_problem_of_the_story_word_for_word(client: httpx.Client) -> None:
    before = client.get("/health").json()
    problem = assert_problem(post_yaml(client, STORY), 422)
    assert problem["type"] == "/problems/invalid-data"
    assert [
        (e["file"], e["line"], e["column"], e["field"], e["message"]) for e in problem["errors"]
    ] == [("request body", p.line, p.column, p.field, p.message) for p in PROBLEMS]
    assert client.get("/health").json() == before
    assert_problem(client.get("/entities/thrive-capital"), 404)


def test_the_story_with_the_advice_taken_imports(client: httpx.Client) -> None:
    response = post_yaml(client, FIXED)
    assert response.status_code == 200, response.text
    assert response.json()["commitments"]["added"] == 2
    commitment = client.get("/commitments/microsoft-openai-azure-2026").json()
    assert commitment["binding"] is True
    assert commitment["kind"] == "compute_purchase"
