"""The saved queries in neo4j/queries/ run on the seed data in a real Neo4j, return rows,
and agree with the analysis code the API uses (exposure, cycles, timeline)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graph import queries
from graph.analysis.cycles import cycles_in_flow
from graph.snapshot import Snapshot
from graph.store.graph_model import RELATIONSHIP_TYPES
from neo4j import Driver
from schemas.enums import MONEY_FLOW_KINDS, Direction, ValueBasis
from schemas.queries import ExposureQuery, TimelineQuery
from tests.pages.neo4j_browser.conftest import QUERIES, run, saved_query

pytestmark = pytest.mark.neo4j

AS_OF = dt.date(2026, 1, 29)  # what the Browser post-connect command sets (neo4j/browser.env)
CHANGED_ON = dt.date(2026, 1, 30)  # Nvidia's $100B OpenAI plan reported paused
POINT = ValueBasis.POINT


def test_the_four_asked_for_queries_are_saved() -> None:
    names = sorted(path.name for path in QUERIES.glob("*.cypher"))
    for topic in ("top-exposures", "circular-financing", "what-changed-2026-01-30", "nvidia-web"):
        assert any(topic in name for name in names), f"no saved query about {topic}: {names}"
    assert AS_OF.isoformat() in (QUERIES.parent / "browser.env").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.cypher")), ids=lambda p: p.stem)
def test_saved_query_returns_rows(seeded: Snapshot, driver: Driver, path: Path) -> None:
    records = run(driver, path.read_text(encoding="utf-8"), as_of=AS_OF)
    assert records, f"{path.name} returned no rows on the seed data"


def test_top_exposures_are_the_largest_direct_exposures(seeded: Snapshot, driver: Driver) -> None:
    rows = run(driver, saved_query("01-").read_text(encoding="utf-8"), as_of=AS_OF)
    exposure = seeded.exposure(AS_OF, POINT)
    by_commitments = {
        frozenset(edge.commitments): (a, b, float(edge.usd))
        for a, row in exposure.items()
        for b, edge in row.items()
    }
    for row in rows:
        exposed, counterparty, usd = by_commitments[frozenset(row["commitments"])]
        assert row["exposed"] == seeded.entities[exposed].name
        assert row["to_the_failure_of"] == seeded.entities[counterparty].name
        assert row["usd_billions"] == pytest.approx(usd / 1e9, abs=0.051)
    largest = sorted((usd for _, _, usd in by_commitments.values()), reverse=True)
    expected = [usd / 1e9 for usd in largest[: len(rows)]]
    assert [row["usd_billions"] for row in rows] == pytest.approx(expected, abs=0.051)
    assert len(rows) == min(25, len(largest))


def _canonical(loop: list[str]) -> tuple[str, ...]:
    """A loop without its repeated end, rotated to start at its smallest id."""
    ring = loop[:-1]
    start = ring.index(min(ring))
    return tuple(ring[start:] + ring[:start])


def test_circular_financing_finds_the_cycles_of_the_api(seeded: Snapshot, driver: Driver) -> None:
    rows = run(driver, saved_query("02-").read_text(encoding="utf-8"), as_of=AS_OF)
    report = cycles_in_flow(
        seeded.money_flow(AS_OF, POINT), as_of=AS_OF, basis=POINT, max_length=4, limit=10_000
    )
    expected = {
        _canonical(cycle.entities): None
        if cycle.round_trip_usd is None
        else cycle.round_trip_usd / 1e9
        for cycle in report.cycles
    }
    got = {}
    for row in rows:
        ids = [node["id"] for node in row["paths"][0].nodes]
        assert [seeded.entities[i].name for i in ids] == row["loop"]
        for path in row["paths"]:  # every drawn path is this loop, each hop a counting commitment
            assert [node["id"] for node in path.nodes] == ids
        got[_canonical(ids)] = row["round_trip_billions"]
    assert len(rows) == min(25, len(expected))
    for loop, billions in got.items():
        if expected[loop] is None:  # a hop without a disclosed figure: no round trip
            assert billions is None, loop
        else:
            assert billions == pytest.approx(expected[loop], abs=0.051), loop

    def ranked(values: list[float | None]) -> list[float]:
        return [v for v in sorted((v for v in values if v is not None), reverse=True)]

    priced = ranked(list(got.values()))
    assert priced == pytest.approx(ranked(list(expected.values()))[: len(priced)], abs=0.051)


def test_what_changed_is_the_timeline_of_the_day(seeded: Snapshot, driver: Driver) -> None:
    rows = run(driver, saved_query("03-").read_text(encoding="utf-8"))
    entries = queries.timeline(seeded, TimelineQuery(since=CHANGED_ON, until=CHANGED_ON))
    assert Counter(row["id"] for row in rows) == Counter(e.commitment or e.event for e in entries)
    changes = [row for row in rows if row["what"] == "commitment"]
    assert any(row["new_status"] == "paused" for row in changes)


def test_nvidias_web_is_every_commitment_within_three_hops(
    seeded: Snapshot, driver: Driver
) -> None:
    rows = run(driver, saved_query("04-").read_text(encoding="utf-8"))
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_nodes_from(seeded.entities)
    for c in seeded.commitments.values():
        if c.kind in MONEY_FLOW_KINDS:  # a stock merger moves no money: not in the web
            graph.add_edge(c.from_, c.to, key=c.id)
    near = nx.single_source_shortest_path_length(graph, "nvidia", cutoff=2)
    # A commitment lies on a path of at most three hops from Nvidia iff it leaves an entity
    # at most two hops away.
    expected = {key for u, _, key in graph.out_edges(near, keys=True)}
    assert {row["commitment"]["id"] for row in rows} == expected
    assert {row["commitment"].type for row in rows} <= set(RELATIONSHIP_TYPES.values())


@pytest.mark.parametrize("day", [AS_OF, dt.date(2026, 1, 31)])
def test_who_is_exposed_to_openai_is_the_api_answer_at_the_date(
    seeded: Snapshot, driver: Driver, day: dt.date
) -> None:
    rows = run(driver, saved_query("05-").read_text(encoding="utf-8"), as_of=day)
    report = queries.exposure(
        seeded, "openai", ExposureQuery(as_of=day, direction=Direction.IN), today=day
    )
    expected = {
        seeded.entities[c.id].name: None if c.usd is None else c.usd / 1e9
        for c in report.counterparties
    }
    got: dict[str, float | None] = {}
    for row in rows:
        before = got.get(row["exposed"])
        if row["usd_billions"] is None:
            got.setdefault(row["exposed"], None)
        else:
            got[row["exposed"]] = (before or 0.0) + row["usd_billions"]
    assert got.keys() == expected.keys()
    for name, billions in expected.items():
        if billions is None:
            assert got[name] is None, name
        else:
            assert got[name] == pytest.approx(billions, abs=0.5), name
    assert [row["usd_billions"] is None for row in rows] == sorted(
        row["usd_billions"] is None for row in rows
    )  # n/d rows last


def test_an_undisclosed_amount_is_no_property_not_zero(seeded: Snapshot, driver: Driver) -> None:
    [row] = run(
        driver,
        "MATCH ()-[r]->() WHERE r.disclosed = false "
        "RETURN count(r) AS undisclosed, count(r.usd_point) AS with_amount",
    )
    expected = sum(1 for c in seeded.commitments.values() if c.amount is None)
    assert (row["undisclosed"], row["with_amount"]) == (expected, 0)
