"""Heavy questions on a real server over a generated graph where a look-through to depth 6
from a hub takes minutes (bench/generate.py, 500 entities, 4,000 commitments: depth 3
takes about a second, depth 4 three, depth 5 more than a minute).

Each question has a time budget that stops the computing, not only the waiting; light
requests stay answered while heavy ones compute; a question whose client leaves stops;
work that cannot start soon is refused with Retry-After; SIGTERM stops the server.
"""

from __future__ import annotations

import io
import os
import signal
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.generate import write_dataset
from tests.api.support import LiveServer, assert_problem, run_server

pytestmark = pytest.mark.slow

HUB = "firm-0"  # the generator's heaviest hub
DEEP = f"/entities/{HUB}/exposure?depth=6&as_of=2026-01-01"
BUDGET_SECONDS = 3
SETTINGS = {
    "AIFG_QUERY_SECONDS": str(BUDGET_SECONDS),
    "AIFG_QUERY_WORKERS": "1",
    "AIFG_QUERY_QUEUE": "2",
    "AIFG_QUERY_WAIT_SECONDS": "1",
}
TICKS = os.sysconf("SC_CLK_TCK")


def heavy_graph() -> bytes:
    out = io.StringIO()
    write_dataset(out, entities=500, commitments=4_000, seed=1)
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def graph_yaml() -> bytes:
    return heavy_graph()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, graph_yaml: bytes) -> Iterator[LiveServer]:
    with run_server(
        tmp_path_factory.mktemp("heavy"), seed_files={"graph.yaml": graph_yaml}, env=SETTINGS
    ) as live:
        yield live


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def wait_until_idle(pid: int, *, within: float = 20.0) -> float:
    """Seconds until the process used less than a tenth of a CPU over half a second."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        before = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - before < 0.05:
            return time.monotonic() - start
    raise AssertionError(f"server {pid} still computing {within} s later")


def ask_and_give_up(url: str, path: str, *, after: float, answers: list[int | None]) -> None:
    with httpx.Client(base_url=url, timeout=after) as client:
        try:
            answers.append(client.get(path).status_code)
        except httpx.TimeoutException:
            answers.append(None)  # gave up: the connection is closed


def ask_while_stopping(url: str, path: str, answers: list[int | None]) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        try:
            answers.append(client.get(path).status_code)
        except httpx.TransportError:
            answers.append(None)  # the server closed the connection as it stopped


def test_a_question_over_its_budget_stops_with_a_problem_naming_the_bound(
    server: LiveServer,
) -> None:
    assert server.process is not None
    with server.client(timeout=60) as client:
        answer = client.get(DEEP)
        body = assert_problem(answer, 422)
    assert body["type"] == "/problems/over-budget"
    assert [e["field"] for e in body["errors"]] == ["depth"]
    assert f"{BUDGET_SECONDS} s budget (AIFG_QUERY_SECONDS)" in body["detail"]
    assert "smaller depth" in body["detail"]
    # The computing stopped with the answer: the server is idle again at once.
    assert wait_until_idle(server.process.pid) < 5


def test_abandoned_heavy_questions_leave_health_answering(server: LiveServer) -> None:
    """45 depth-6 questions whose clients give up after 2 s, and /health asked meanwhile
    (the issue's attack: before, /health went unanswered for more than 30 s)."""
    assert server.process is not None
    answers: list[int | None] = []
    askers = [
        threading.Thread(
            target=ask_and_give_up,
            args=(server.url, DEEP),
            kwargs={"after": 2.0, "answers": answers},
        )
        for _ in range(45)
    ]
    latencies: list[float] = []
    with server.client(timeout=30) as client:
        client.get("/health")  # the connection is open before the attack
        for asker in askers:
            asker.start()
        while any(asker.is_alive() for asker in askers):
            start = time.perf_counter()
            assert client.get("/health").status_code == 200
            latencies.append(time.perf_counter() - start)
            time.sleep(0.02)
    for asker in askers:
        asker.join()
    assert len(answers) == 45
    # Refused (a worker and two places to wait for one), cancelled, or over budget: no
    # question ran on, and none failed otherwise.
    assert set(answers) <= {503, 422, None}, answers
    assert answers.count(503) >= 10, answers
    assert len(latencies) >= 5, latencies
    # A functional bound on a shared machine, not a benchmark (bench/ has the p99): the
    # issue's 100 ms for the typical answer, and none near the 30 s of before.
    assert statistics.median(latencies) < 0.1, latencies
    assert max(latencies) < 3.0, latencies
    # The question whose client left stopped computing (it would run for minutes).
    assert wait_until_idle(server.process.pid) < 5


def test_work_that_cannot_start_soon_is_refused_with_retry_after(server: LiveServer) -> None:
    """One worker, two places to wait: of six heavy questions at once, at least three are
    refused at once, and a waiting one is refused after a second without a worker."""
    answers: list[httpx.Response] = []

    def ask() -> None:
        with server.client(timeout=60) as client:
            answers.append(client.get(DEEP))

    askers = [threading.Thread(target=ask) for _ in range(6)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    refused = [a for a in answers if a.status_code == 503]
    assert len(refused) >= 3, [a.status_code for a in answers]
    for answer in refused:
        body = assert_problem(answer, 503)
        assert int(answer.headers["Retry-After"]) == BUDGET_SECONDS
        assert "ask again in" in body["detail"]
    # The one that got a worker ran into its budget.
    assert [a.status_code for a in answers].count(422) == 1


def test_light_questions_are_answered_while_a_heavy_one_computes(server: LiveServer) -> None:
    answers: list[int | None] = []
    heavy = threading.Thread(
        target=ask_and_give_up, args=(server.url, DEEP), kwargs={"after": 30, "answers": answers}
    )
    heavy.start()
    with server.client(timeout=30) as client:
        time.sleep(0.5)
        assert client.get(f"/entities/{HUB}").status_code == 200
        assert client.get("/commitments", params={"entity": HUB, "limit": 5}).status_code == 200
        assert heavy.is_alive()  # still computing meanwhile
    heavy.join()
    assert answers == [422]


def test_sigterm_stops_the_server_within_seconds_while_heavy_questions_compute(
    tmp_path: Path, graph_yaml: bytes
) -> None:
    answers: list[int | None] = []
    env = {**SETTINGS, "AIFG_QUERY_SECONDS": "600", "AIFG_QUERY_WAIT_SECONDS": "600"}
    with run_server(tmp_path, seed_files={"graph.yaml": graph_yaml}, env=env) as live:
        assert live.process is not None
        askers = [
            threading.Thread(target=ask_while_stopping, args=(live.url, DEEP, answers))
            for _ in range(3)
        ]
        for asker in askers:
            asker.start()
        time.sleep(1.0)  # one computing, two waiting
        start = time.monotonic()
        live.process.send_signal(signal.SIGTERM)
        live.process.wait(timeout=30)
        stopped_in = time.monotonic() - start
        for asker in askers:
            asker.join()
    assert stopped_in < 5, stopped_in
    # Each question was told the server is stopping (or saw the connection close).
    assert all(a in (503, None) for a in answers), answers
