"""The two stores give the same answers: they give back the same records (a property test
on generated datasets, at the store level), and a smoke test of the API's read endpoints
on the seed data, through HTTP, with a server on each store."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.store import Store
from graph.store.embedded import EmbeddedStore
from schemas.dataset import Dataset
from schemas.enums import CommitmentKind, Status
from tests.api.support import LiveServer, run_server
from tests.helpers import ROOT
from tests.stores import clear_neo4j

pytestmark = pytest.mark.neo4j

DAYS = [dt.date(2025, 1, 1) + dt.timedelta(days=30 * i) for i in range(8)]
SOURCE = {"url": "https://example.com/generated", "publisher": "Generated"}


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """Small webs with every kind, ranges, per-year amounts, undisclosed amounts, status
    histories that pause, resume, complete or cancel, and loops."""
    n = draw(st.integers(2, 7))
    ids = [f"e{i}" for i in range(n)]
    commitments = []
    for index in range(draw(st.integers(1, 14))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        low = draw(st.integers(1, 400)) * 1e8
        amount = draw(
            st.sampled_from(
                [
                    None,
                    {"usd": low},
                    {"usd": low, "up_to": True},
                    {"low": low, "high": low * 2},
                    {"usd": low, "basis": "per_year"},
                ]
            )
        )
        start = draw(st.integers(0, len(DAYS) - 2))
        statuses = draw(st.lists(st.sampled_from(list(Status)), min_size=1, max_size=3))
        changes = [
            (DAYS[start + i], status) for i, status in enumerate(statuses[: len(DAYS) - start])
        ]
        record: dict[str, Any] = {
            "id": f"c{index}",
            "from": a,
            "to": b,
            "kind": draw(st.sampled_from(list(CommitmentKind))).value,
            "announced": DAYS[start],
            "status": [{"date": d, "status": s.value} for d, s in changes],
            "sources": [SOURCE],
        }
        if amount is not None:
            record["amount"] = amount
            if amount.get("basis") == "per_year":
                record["term_years"] = draw(st.sampled_from([1, 2.5, 7]))
        commitments.append(record)
    return Dataset.model_validate(
        {
            "version": 1,
            "entities": [{"id": i, "name": i.upper()} for i in ids],
            "commitments": commitments,
        }
    )


def stored(store: Store) -> tuple[str, ...]:
    """Everything a store gives back, as the JSON documents the snapshot is built from."""
    with store.read() as data:
        return (
            *(e.model_dump_json() for e in data.entities),
            *(c.model_dump_json(by_alias=True) for c in data.commitments),
            *(e.model_dump_json() for e in data.events),
        )


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=datasets())
def test_generated_datasets_come_back_the_same_from_both_stores(
    neo4j_store: Store, data: Dataset
) -> None:
    """Every answer is computed from what `read()` gives back, by the same functions: so
    the stores answer alike exactly when they give back the same records (ranges,
    per-year amounts, undisclosed amounts and status histories included)."""
    clear_neo4j()
    neo4j_store.import_dataset(data, files=["generated.yaml"])
    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedStore.in_dir(Path(tmp))
        try:
            embedded.import_dataset(data, files=["generated.yaml"])
            expected = stored(embedded)
        finally:
            embedded.close()
    assert stored(neo4j_store) == expected
    assert len(expected) == len(data.entities) + len(data.commitments)


# --- the seed data, endpoint by endpoint ----------------------------------------------------

DATES = ["2026-01-29", "2026-01-31", "2026-11-25"]


@pytest.fixture(scope="module")
def seeded_pair(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, LiveServer]]:
    seeds = {
        str(path.relative_to(ROOT / "seeds")).replace("/", "-"): path.read_bytes()
        for path in sorted((ROOT / "seeds").rglob("*.yaml"))
    }
    with (
        run_server(tmp_path_factory.mktemp("seeded-embedded"), seed_files=seeds) as embedded,
        run_server(tmp_path_factory.mktemp("seeded-neo4j"), seed_files=seeds, store="neo4j") as neo,
    ):
        yield embedded, neo


def requests_for(client: httpx.Client) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """(method, path with query, JSON body) for every read the API offers on the seeds."""
    entities = [e["id"] for e in client.get("/entities", params={"limit": 1000}).json()["items"]]
    commitments = client.get("/commitments", params={"limit": 1000}).json()["items"]
    yield "GET", "/entities?limit=1000", None
    yield "GET", "/entities?q=英偉達", None
    for entity in entities:
        yield "GET", f"/entities/{entity}", None
    for c in commitments[::7]:
        yield "GET", f"/commitments/{c['id']}", None
    for day in DATES[:2]:
        yield "GET", f"/commitments?limit=1000&as_of={day}", None
        yield "GET", f"/commitments?entity=openai&binding=true&as_of={day}", None
        yield "GET", f"/analysis/cycles?as_of={day}", None
        yield "GET", f"/analysis/cycles?as_of={day}&entity=nvidia&basis=high", None
        yield "GET", f"/analysis/concentration?as_of={day}", None
        for fmt in ("json", "graphml", "cypher"):
            yield "GET", f"/graph?format={fmt}&as_of={day}", None
        for model in ("debtrank", "differential_debtrank", "eisenberg_noe", "default_cascade"):
            shock = {"shocks": [{"entity": "openai", "severity": 1}], "model": model, "as_of": day}
            yield "POST", "/analysis/stress", shock
        for entity in ("openai", "nvidia", "oracle", "coreweave"):
            for direction in ("out", "in"):
                path = f"/entities/{entity}/exposure?as_of={day}&direction={direction}"
                yield "GET", f"{path}&depth=3", None
    yield "GET", "/timeline", None
    yield "GET", "/timeline?since=2026-01-30&until=2026-01-30", None
    yield "GET", "/timeline?entity=openai", None


def test_the_read_endpoints_answer_the_same_on_the_seed_data(
    seeded_pair: tuple[LiveServer, LiveServer],
) -> None:
    embedded, neo = seeded_pair
    with embedded.client() as left, neo.client() as right:
        same = {"store": "neo4j", "data_version": ""}
        assert left.get("/health").json() | same == right.get("/health").json() | same
        requests = list(requests_for(left))
        for method, path, body in requests:
            a = left.request(method, path, json=body)
            b = right.request(method, path, json=body)
            assert a.status_code == b.status_code == 200, (path, a.text, b.text)
            same = a.json() == b.json() if "json" in a.headers["content-type"] else a.text == b.text
            assert same, f"{method} {path} differs between the stores"
