"""The read endpoints through real HTTP: uvicorn in a subprocess over the toy data, httpx.

Numbers are worked out by hand from tests/data/toy.yaml (E[a][b] is what a loses if b fails):
  chipco -> labco   equity, up to 100e9, announced 2025-09-22, paused 2026-01-30
  labco  -> cloudco cloud contract 250e9 (low 200e9, high 300e9), signed
  labco  -> neoco   compute, 10e9 a year for 2 years = 20e9, signed
  neoco  -> chipco  chips 30e9, active
  chipco -> neoco   equity 5e9, completed (a paid-in stake still counts)
So at 2026-01-29: E[cloudco][labco] = 250e9, E[neoco][labco] = 20e9, E[chipco][labco] = 100e9,
E[chipco][neoco] = 5e9 + 30e9 = 35e9; on 2026-01-31 the chipco -> labco plan no longer counts.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import httpx
import networkx as nx
import pytest

from tests.api.support import PROBLEM_JSON, LiveServer, assert_problem

BEFORE_PAUSE = "2026-01-29"
AFTER_PAUSE = "2026-01-31"
# By announcement date, then id.
ALL_IDS = [
    "chipco-neoco-stake",
    "labco-neoco-compute",
    "neoco-chipco-gpus",
    "chipco-labco-loi",
    "labco-cloudco-cloud",
]


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


# --- health, entities -----------------------------------------------------------------------


def test_health_counts_the_toy_data(http: httpx.Client, server: LiveServer) -> None:
    response = http.get("/health")
    assert response.headers["content-type"] == "application/json"
    body = ok(response)
    uuid.UUID(body.pop("data_version"))  # a fresh UUID per import that changed the data
    assert body == {
        "status": "ok",
        "store": server.store,
        "entities": 4,
        "commitments": 5,
        "events": 0,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "芯片"}, ["chipco"]),  # a CJK alias, percent-encoded UTF-8 on the wire
        ({"q": "芯片公司"}, ["chipco"]),
        ({"q": "CHIPco"}, ["chipco"]),  # case-insensitive
        ({"q": " labco "}, ["labco"]),
        ({"q": "co"}, ["chipco", "cloudco", "labco", "neoco"]),
        ({"q": "nothing-like-this"}, []),
        ({"sector": "cloud"}, ["cloudco", "neoco"]),
        ({"kind": "company", "sector": "ai-lab"}, ["labco"]),
        ({"kind": "fund"}, []),
    ],
)
def test_entity_search(http: httpx.Client, params: dict[str, str], expected: list[str]) -> None:
    page = ok(http.get("/entities", params=params))
    assert ids(page["items"]) == expected
    assert page["total"] == len(expected)


def test_entity_search_paginates_with_the_total(http: httpx.Client) -> None:
    page = ok(http.get("/entities", params={"limit": 2, "offset": 1}))
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    assert ids(page["items"]) == ["cloudco", "labco"]
    assert ok(http.get("/entities", params={"offset": 10}))["items"] == []


def test_entity_detail_has_its_commitments_in_and_out(http: httpx.Client) -> None:
    detail = ok(http.get("/entities/chipco"))
    assert detail["entity"]["name"] == "ChipCo"
    assert detail["entity"]["aliases"] == ["芯片公司"]
    assert ids(detail["commitments_out"]) == ["chipco-neoco-stake", "chipco-labco-loi"]
    assert ids(detail["commitments_in"]) == ["neoco-chipco-gpus"]
    assert {c["from"] for c in detail["commitments_out"]} == {"chipco"}
    assert {c["to"] for c in detail["commitments_in"]} == {"chipco"}


# --- commitments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL_IDS),
        ({"entity": "labco"}, ["labco-neoco-compute", "chipco-labco-loi", "labco-cloudco-cloud"]),
        (
            {"entity": "chipco", "counterparty": "neoco"},
            ["chipco-neoco-stake", "neoco-chipco-gpus"],
        ),
        ({"kind": "equity_investment"}, ["chipco-neoco-stake", "chipco-labco-loi"]),
        ({"status": "paused"}, ["chipco-labco-loi"]),  # the latest status
        ({"status": "paused", "as_of": BEFORE_PAUSE}, []),  # the status then
        ({"status": "announced", "as_of": BEFORE_PAUSE}, ["chipco-labco-loi"]),
        ({"binding": "true"}, ["labco-cloudco-cloud"]),
        ({"binding": "false"}, ["chipco-labco-loi"]),
        # totals: stake 5e9, compute 2 x 10e9 = 20e9, gpus 30e9, loi 100e9, cloud 250e9
        ({"min_usd": 25e9}, ["neoco-chipco-gpus", "chipco-labco-loi", "labco-cloudco-cloud"]),
        ({"min_usd": 20e9}, ALL_IDS[1:]),
        ({"as_of": BEFORE_PAUSE}, ALL_IDS),  # everything counts the day before the pause
        ({"as_of": AFTER_PAUSE}, [i for i in ALL_IDS if i != "chipco-labco-loi"]),
        ({"as_of": "2025-01-01"}, ["chipco-neoco-stake"]),
        ({"as_of": "2023-12-31"}, []),
    ],
)
def test_commitment_filters(
    http: httpx.Client, params: dict[str, Any], expected: list[str]
) -> None:
    page = ok(http.get("/commitments", params=params))
    assert ids(page["items"]) == expected
    assert page["total"] == len(expected)


def test_commitments_paginate_with_the_total(http: httpx.Client) -> None:
    seen: list[str] = []
    for offset in (0, 2, 4):
        page = ok(http.get("/commitments", params={"limit": 2, "offset": offset}))
        assert (page["total"], page["limit"], page["offset"]) == (5, 2, offset)
        seen += ids(page["items"])
    assert seen == ALL_IDS
    past_the_end = ok(http.get("/commitments", params={"offset": 99}))
    assert (past_the_end["total"], past_the_end["items"]) == (5, [])


def test_commitment_detail_keeps_the_range(http: httpx.Client) -> None:
    commitment = ok(http.get("/commitments/labco-cloudco-cloud"))
    assert (commitment["from"], commitment["to"], commitment["kind"]) == (
        "labco",
        "cloudco",
        "cloud_contract",
    )
    amount = commitment["amount"]
    assert (amount["usd"], amount["low"], amount["high"]) == (250e9, 200e9, 300e9)
    assert commitment["announced"] == "2025-10-28"


def test_commitments_of_an_unknown_entity_are_a_404(http: httpx.Client) -> None:
    body = assert_problem(http.get("/commitments", params={"entity": "labc"}), 404)
    assert body["suggestions"] == ["labco"]


# --- exposure -------------------------------------------------------------------------------


def exposure(http: httpx.Client, entity: str, **params: Any) -> Any:
    return ok(http.get(f"/entities/{entity}/exposure", params=params))


@pytest.mark.parametrize(("basis", "usd"), [("point", 250e9), ("low", 200e9), ("high", 300e9)])
def test_exposure_out_of_the_cloud_to_the_lab(http: httpx.Client, basis: str, usd: float) -> None:
    report = exposure(http, "cloudco", as_of=BEFORE_PAUSE, basis=basis)
    assert (report["entity"], report["direction"], report["as_of"], report["basis"]) == (
        "cloudco",
        "out",
        BEFORE_PAUSE,
        basis,
    )
    assert report["total_usd"] == usd
    [row] = report["counterparties"]
    assert (row["id"], row["usd"], row["share"]) == ("labco", usd, 1.0)
    assert row["kinds"] == ["cloud_contract"]
    assert row["commitments"] == ["labco-cloudco-cloud"]
    assert report["look_through"] == []


def test_exposure_out_is_the_default_direction(http: httpx.Client) -> None:
    report = exposure(http, "chipco", as_of=BEFORE_PAUSE)
    assert report["direction"] == "out" and report["depth"] == 1
    # 100e9 up-to plan in labco; 5e9 stake in neoco plus 30e9 neoco owes for chips
    assert report["total_usd"] == 135e9
    assert [(r["id"], r["usd"]) for r in report["counterparties"]] == [
        ("labco", 100e9),
        ("neoco", 35e9),
    ]
    neoco = report["counterparties"][1]
    assert sorted(neoco["kinds"]) == ["chip_supply", "equity_investment"]
    assert sorted(neoco["commitments"]) == ["chipco-neoco-stake", "neoco-chipco-gpus"]
    assert neoco["share"] == pytest.approx(35 / 135)


def test_exposure_in_who_loses_if_the_lab_fails(http: httpx.Client) -> None:
    before = exposure(http, "labco", direction="in", as_of=BEFORE_PAUSE)
    assert before["direction"] == "in"
    assert before["total_usd"] == 370e9
    assert [(r["id"], r["usd"]) for r in before["counterparties"]] == [
        ("cloudco", 250e9),
        ("chipco", 100e9),
        ("neoco", 20e9),
    ]
    assert sum(r["share"] for r in before["counterparties"]) == pytest.approx(1)
    after = exposure(http, "labco", direction="in", as_of=AFTER_PAUSE)
    assert after["total_usd"] == 270e9  # the paused plan no longer counts
    assert ids(after["counterparties"]) == ["cloudco", "neoco"]


def test_look_through_in_at_depth_two(http: httpx.Client) -> None:
    report = exposure(http, "labco", direction="in", depth=2, as_of=BEFORE_PAUSE)
    assert report["depth"] == 2
    rows = {r["id"]: r for r in report["look_through"]}
    # chipco holds all that is at stake in neoco (35e9 of 35e9), so chipco -> neoco -> labco
    # carries min(35e9, 1 x 20e9) = 20e9, neoco's stake in labco, never more.
    assert {k: r["usd"] for k, r in rows.items()} == {
        "cloudco": 250e9,
        "chipco": pytest.approx(120e9),
        "neoco": 20e9,
    }
    chipco = rows["chipco"]
    assert chipco["path_count"] == 2
    assert [(p["path"], p["usd"]) for p in chipco["paths"]] == [
        (["chipco", "labco"], 100e9),
        (["chipco", "neoco", "labco"], pytest.approx(20e9)),
    ]


def test_look_through_out_at_depth_two_and_after_the_pause(http: httpx.Client) -> None:
    report = exposure(http, "chipco", depth=2, as_of=BEFORE_PAUSE)
    rows = {r["id"]: r["usd"] for r in report["look_through"]}
    # labco: 100e9 directly + min(35e9, 35/35 x 20e9) through neoco, never more than
    # neoco's own 20e9 at stake in labco
    assert rows == {"labco": pytest.approx(120e9), "neoco": 35e9}
    after = exposure(http, "chipco", depth=2, as_of=AFTER_PAUSE)
    assert {r["id"]: r["usd"] for r in after["look_through"]} == {
        "neoco": 35e9,
        "labco": pytest.approx(20e9),
    }
    assert after["total_usd"] == 35e9


def test_exposure_of_an_unknown_entity_suggests_one(http: httpx.Client) -> None:
    body = assert_problem(http.get("/entities/labc/exposure"), 404)
    assert body["suggestions"] == ["labco"]
    assert "labco" in body["detail"]


# --- timeline, cycles -----------------------------------------------------------------------


def test_what_changed_on_2026_01_30(http: httpx.Client) -> None:
    day = "2026-01-30"
    [entry] = ok(http.get("/timeline", params={"since": day, "until": day}))
    assert entry["date"] == day
    assert (entry["commitment"], entry["from"], entry["to"]) == (
        "chipco-labco-loi",
        "chipco",
        "labco",
    )
    assert (entry["old_status"], entry["new_status"]) == ("announced", "paused")


def test_timeline_is_in_date_order_and_filters_by_entity(http: httpx.Client) -> None:
    entries = ok(http.get("/timeline"))
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates)
    assert len(entries) == 7  # five announcements, the stake completed, the plan paused
    first = entries[0]
    assert (first["commitment"], first["old_status"], first["new_status"]) == (
        "chipco-neoco-stake",
        None,
        "announced",
    )
    assert first["source_url"] == "https://example.com/stake"
    cloud = ok(http.get("/timeline", params={"entity": "cloudco"}))
    assert [e["commitment"] for e in cloud] == ["labco-cloudco-cloud"]
    assert ok(http.get("/timeline", params={"since": "2026-02-01"})) == []


def test_cycles_largest_round_trip_first(http: httpx.Client) -> None:
    report = ok(http.get("/analysis/cycles", params={"as_of": BEFORE_PAUSE}))
    assert report["truncated"] is False
    loops = [(c["entities"], c["round_trip_usd"]) for c in report["cycles"]]
    assert loops == [
        (["chipco", "labco", "neoco", "chipco"], 20e9),  # 100e9, 20e9, 30e9: smallest hop
        (["chipco", "neoco", "chipco"], 5e9),
    ]
    assert report["cycles"][0]["hop_usd"] == [100e9, 20e9, 30e9]
    assert report["cycles"][0]["commitments"] == [
        ["chipco-labco-loi"],
        ["labco-neoco-compute"],
        ["neoco-chipco-gpus"],
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"as_of": AFTER_PAUSE}, [["chipco", "neoco", "chipco"]]),
        ({"as_of": BEFORE_PAUSE, "max_length": 2}, [["chipco", "neoco", "chipco"]]),
        ({"as_of": BEFORE_PAUSE, "entity": "labco"}, [["labco", "neoco", "chipco", "labco"]]),
        ({"as_of": BEFORE_PAUSE, "entity": "cloudco"}, []),
        ({"as_of": "2024-12-31"}, []),  # the stake alone is no loop
    ],
)
def test_cycle_filters(http: httpx.Client, params: dict[str, Any], expected: list[Any]) -> None:
    report = ok(http.get("/analysis/cycles", params=params))
    assert [c["entities"] for c in report["cycles"]] == expected


def test_cycle_limit_says_truncated(http: httpx.Client) -> None:
    report = ok(http.get("/analysis/cycles", params={"as_of": BEFORE_PAUSE, "limit": 1}))
    assert len(report["cycles"]) == 1 and report["truncated"] is True


# --- graph export ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "edges"),
    [
        ({"as_of": BEFORE_PAUSE}, set(ALL_IDS)),
        ({"as_of": AFTER_PAUSE}, set(ALL_IDS)),  # the paused plan is still there, marked
        ({"as_of": AFTER_PAUSE, "live_only": "true"}, set(ALL_IDS) - {"chipco-labco-loi"}),
        ({"as_of": "2025-06-01"}, set(ALL_IDS[:3])),  # announced by then
        ({"as_of": "2023-01-01"}, set()),
    ],
)
def test_graph_json_node_link(http: httpx.Client, params: dict[str, str], edges: set[str]) -> None:
    response = http.get("/graph", params={"format": "json", **params})
    assert response.headers["content-type"] == "application/json"
    data = ok(response)
    assert data["directed"] is True and data["multigraph"] is True
    assert data["graph"]["as_of"] == params["as_of"]
    assert {n["id"] for n in data["nodes"]} == {"chipco", "labco", "cloudco", "neoco"}
    assert {link["id"] for link in data["links"]} == edges
    assert len(data["links"]) == len(edges)
    graph = nx.node_link_graph(data, edges="links")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (4, len(edges))


def test_graph_json_links_keep_their_endpoints_status_and_source(http: httpx.Client) -> None:
    data = ok(http.get("/graph", params={"as_of": AFTER_PAUSE}))
    links = {link["id"]: link for link in data["links"]}
    loi = links["chipco-labco-loi"]
    assert (loi["source"], loi["target"]) == ("chipco", "labco")
    assert (loi["status"], loi["counts"], loi["up_to"]) == ("paused", False, True)
    cloud = links["labco-cloudco-cloud"]
    assert (cloud["source"], cloud["target"]) == ("labco", "cloudco")
    assert (cloud["usd"], cloud["usd_low"], cloud["usd_high"]) == (250e9, 200e9, 300e9)
    # the evidence travels with the edge, not clobbered by the node-link endpoint keys
    assert cloud["source_url"] == "https://example.com/cloud"


def test_graph_graphml_parses_with_networkx(http: httpx.Client) -> None:
    response = http.get("/graph", params={"format": "graphml", "as_of": BEFORE_PAUSE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphml+xml")
    graph = nx.read_graphml(io.BytesIO(response.content), force_multigraph=True)
    assert graph.is_directed()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (4, 5)
    assert graph.nodes["chipco"]["name"] == "ChipCo"
    edges = {attrs["id"]: (u, v, attrs) for u, v, attrs in graph.edges(data=True)}
    assert set(edges) == set(ALL_IDS)
    u, v, cloud = edges["labco-cloudco-cloud"]
    assert (u, v, cloud["usd"], cloud["source_url"]) == (
        "labco",
        "cloudco",
        250e9,
        "https://example.com/cloud",
    )
    live = http.get("/graph", params={"format": "graphml", "as_of": AFTER_PAUSE, "live_only": 1})
    assert nx.read_graphml(io.BytesIO(live.content)).number_of_edges() == 4


def test_graph_cypher_script(http: httpx.Client) -> None:
    response = http.get("/graph", params={"format": "cypher", "as_of": BEFORE_PAUSE})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-cypher")
    lines = response.text.splitlines()
    assert (
        lines[0] == f"// AI Financing Graph export, as of {BEFORE_PAUSE}: the Neo4j store's model"
    )
    nodes = [line for line in lines if line.startswith("MERGE (e:Entity")]
    rels = [line for line in lines if line.startswith("MATCH (a:Entity")]
    assert len(nodes) == 4 and len(rels) == 5
    types = {re.search(r"\[r:(\w+) ", line).group(1) for line in rels}  # type: ignore[union-attr]
    assert types == {"INVESTS_IN", "BUYS_CLOUD_FROM", "BUYS_COMPUTE_FROM", "BUYS_CHIPS_FROM"}
    assert '{id: "labco-cloudco-cloud"}' in response.text
    # The store's own labels: an entity is (:Entity:<Kind>), as the Browser style expects.
    assert all(line.endswith(" SET e:Company;") for line in nodes)


# --- errors: RFC 9457 problem details -------------------------------------------------------


def test_unknown_entity_is_a_404_with_a_suggestion(http: httpx.Client) -> None:
    response = http.get("/entities/labc")
    body = assert_problem(response, 404)
    assert body["type"] == "/problems/not-found"
    assert body["instance"] == "/entities/labc"
    assert body["suggestions"] == ["labco"]
    assert "did you mean 'labco'" in body["detail"]


def test_unknown_commitment_is_a_404_with_a_suggestion(http: httpx.Client) -> None:
    body = assert_problem(http.get("/commitments/labco-cloudco-clod"), 404)
    assert body["suggestions"][0] == "labco-cloudco-cloud"


def test_unknown_path_is_a_404_problem(http: httpx.Client) -> None:
    body = assert_problem(http.get("/no/such/thing"), 404)
    assert "/docs" in body["detail"]


@pytest.mark.parametrize(
    ("path", "params", "fields"),
    [
        ("/entities/chipco/exposure", {"depth": 9}, ["query.depth"]),
        ("/entities/chipco/exposure", {"depth": 0}, ["query.depth"]),
        ("/entities/chipco/exposure", {"as_of": "2025-13-01"}, ["query.as_of"]),
        # a number is not a date (lax parsing would read 2026 as a Unix time in 1970)
        ("/entities/chipco/exposure", {"as_of": "2026"}, ["query.as_of"]),
        ("/commitments", {"as_of": "0"}, ["query.as_of"]),
        ("/graph", {"as_of": "20260129"}, ["query.as_of"]),
        ("/analysis/cycles", {"as_of": "2026-01-29T12:00:00"}, ["query.as_of"]),
        ("/timeline", {"until": "1769644800"}, ["query.until"]),
        ("/entities/chipco/exposure", {"direction": "sideways"}, ["query.direction"]),
        ("/entities/chipco/exposure", {"basis": "median"}, ["query.basis"]),
        (
            "/entities/chipco/exposure",
            {"depth": 9, "as_of": "2025-13-01", "direction": "sideways"},
            ["query.direction", "query.as_of", "query.depth"],
        ),
        ("/commitments", {"limit": 0}, ["query.limit"]),
        ("/commitments", {"offset": -1}, ["query.offset"]),
        ("/commitments", {"kind": "gift"}, ["query.kind"]),
        ("/commitments", {"binding": "perhaps"}, ["query.binding"]),
        ("/commitments", {"min_usd": "lots"}, ["query.min_usd"]),
        ("/entities", {"limit": 1001}, ["query.limit"]),
        ("/entities", {"q": "x" * 201}, ["query.q"]),
        ("/timeline", {"since": "yesterday"}, ["query.since"]),
        ("/analysis/cycles", {"max_length": 1}, ["query.max_length"]),
        ("/graph", {"format": "xlsx"}, ["query.format"]),
    ],
)
def test_bad_query_values_are_422_naming_each_field(
    http: httpx.Client, path: str, params: dict[str, Any], fields: list[str]
) -> None:
    body = assert_problem(http.get(path, params=params), 422)
    assert body["type"] == "/problems/invalid-request"
    assert sorted(e["field"] for e in body["errors"]) == sorted(fields)
    for error in body["errors"]:
        assert error["message"]
        assert error["field"] in body["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"\xff\xfez", "not UTF-8"), (b'{"shocks": [', "JSON decode error")],
)
def test_an_unreadable_json_body_is_422_naming_the_body(
    http: httpx.Client, body: bytes, message: str
) -> None:
    response = http.post(
        "/analysis/stress", content=body, headers={"Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    assert problem["type"] == "/problems/invalid-request"
    first = problem["errors"][0]
    assert first["field"].startswith("body") and message in first["message"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/health", "GET"),
        ("POST", "/entities/chipco", "GET"),
        ("PUT", "/commitments/labco-cloudco-cloud", "GET"),
        ("GET", "/withdrawals", "POST"),
        ("PATCH", "/entities/chipco/exposure", "GET"),
        ("POST", "/", "GET"),  # the explorer page, which is not in the OpenAPI document
    ],
)
def test_wrong_method_is_405_with_allow(
    http: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = http.request(method, path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allow
    for listed in allow.split(", "):  # Allow names only methods that are answered
        assert http.request(listed, path).status_code != 405


def test_allow_does_not_advertise_head(http: httpx.Client) -> None:
    # FastAPI routes answer GET only; Allow must not promise a HEAD that gets a 405
    response = http.head("/health")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/entities/nope", {}, 404),
        ("GET", "/nope", {}, 404),
        ("GET", "/entities", {"params": {"limit": "many"}}, 422),
        ("DELETE", "/entities", {}, 405),
        ("POST", "/imports", {"content": b"version: 1\n"}, 401),
        ("POST", "/imports", {"content": b"x", "headers": {"X-API-Key": "wrong"}}, 401),
    ],
)
def test_every_error_is_problem_json_with_a_request_id(
    http: httpx.Client, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    given = f"trace-{method.lower()}-{status}"
    headers = {**kwargs.pop("headers", {}), "X-Request-ID": given}
    response = http.request(method, path, headers=headers, **kwargs)
    body = assert_problem(response, status)
    assert response.headers["x-request-id"] == given
    assert body["request_id"] == given
    assert body["instance"] == path


def test_request_id_is_echoed_or_made_up(http: httpx.Client) -> None:
    response = http.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    made_up = http.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made_up)
    assert made_up != http.get("/health").headers["x-request-id"]
    long = http.get("/health", headers={"X-Request-ID": "r" * 500})
    assert long.headers["x-request-id"] == "r" * 64


def test_openapi_and_docs_are_served(http: httpx.Client) -> None:
    spec = ok(http.get("/openapi.json"))
    assert {
        "/health",
        "/entities",
        "/entities/{entity_id}",
        "/entities/{entity_id}/exposure",
        "/commitments",
        "/commitments/{commitment_id}",
        "/timeline",
        "/analysis/cycles",
        "/imports",
        "/graph",
    } <= set(spec["paths"])
    problem = spec["paths"]["/entities/{entity_id}"]["get"]["responses"]["404"]["content"]
    assert PROBLEM_JSON in problem
    assert http.get("/docs").status_code == 200


def test_exposure_limit_lists_the_largest_of_all(http: httpx.Client) -> None:
    report = exposure(http, "labco", direction="in", as_of=BEFORE_PAUSE, limit=1)
    assert [(r["id"], r["usd"]) for r in report["counterparties"]] == [("cloudco", 250e9)]
    assert report["counterparty_count"] == 3 and report["total_usd"] == 370e9
    body = assert_problem(http.get("/entities/labco/exposure", params={"limit": 0}), 422)
    assert [e["field"] for e in body["errors"]] == ["query.limit"]
    second = exposure(http, "labco", direction="in", as_of=BEFORE_PAUSE, limit=2, offset=2)
    assert [(r["id"], r["usd"]) for r in second["counterparties"]] == [("neoco", 20e9)]
    assert (second["limit"], second["offset"], second["counterparty_count"]) == (2, 2, 3)
    assert second["total_usd"] == 370e9
