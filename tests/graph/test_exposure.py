"""Exposure against numbers worked out by hand (README definitions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from graph import queries
from graph.errors import NotFoundError
from graph.snapshot import Snapshot
from schemas.enums import Direction, ValueBasis
from schemas.queries import ExposureQuery
from schemas.results import ExposureReport
from tests.factories import make_commitment, snapshot_of, snapshot_of_files
from tests.helpers import DATA

DAY = dt.date(2025, 6, 1)


def exposure_report(snapshot: Snapshot, entity: str, **options: Any) -> ExposureReport:
    """The report GET /entities/{entity}/exposure gives for these query parameters."""
    return queries.exposure(snapshot, entity, ExposureQuery(**options), today=DAY)


def investments(*edges: tuple[str, str, float]) -> list:
    """An equity stake a -> b makes E[a][b] = usd."""
    return [make_commitment(a, b, "equity_investment", usd) for a, b, usd in edges]


# E: a->b 100, a->c 50, b->c 30, b->d 10, c->d 20. Out-totals: a 150, b 40, c 20.
WEB = snapshot_of(
    *investments(("a", "b", 100), ("a", "c", 50), ("b", "c", 30), ("b", "d", 10), ("c", "d", 20))
)


def by_id(rows: list) -> dict[str, float]:
    return {r.id: r.usd for r in rows}


def test_direct_exposure_out_and_in() -> None:
    out = exposure_report(WEB, "a", as_of=DAY)
    assert out.total_usd == 150
    assert [(c.id, c.usd, c.share) for c in out.counterparties] == [
        ("b", 100, pytest.approx(2 / 3)),
        ("c", 50, pytest.approx(1 / 3)),
    ]
    inward = exposure_report(WEB, "d", as_of=DAY, direction=Direction.IN)
    assert by_id(inward.counterparties) == {"b": 10, "c": 20}


# What the web has at stake in each: b 100 (from a), c 50 + 30 = 80, d 10 + 20 = 30. A path
# carries min over its hops of (the shares of the stakes before the hop) x the hop.


def test_look_through_out_by_hand() -> None:
    # depth 2: a->b->c = min(100, 100/100 x 30) = 30, so c = 50 + 30 = 80;
    # a->b->d = min(100, 1 x 10) = 10, a->c->d = min(50, 50/80 x 20) = 12.5, so d = 22.5
    two = exposure_report(WEB, "a", as_of=DAY, depth=2)
    assert by_id(two.look_through) == {"b": 100, "c": pytest.approx(80), "d": pytest.approx(22.5)}
    # depth 3 adds a->b->c->d = min(100, 1 x 30, 1 x 30/80 x 20) = 7.5, so d = 30: a holds,
    # through chains, all that is at stake in d, and never more.
    three = exposure_report(WEB, "a", as_of=DAY, depth=3)
    assert by_id(three.look_through)["d"] == pytest.approx(30)
    d_paths = next(r for r in three.look_through if r.id == "d")
    assert d_paths.path_count == 3
    assert [(p.path, p.usd) for p in d_paths.paths] == [
        (["a", "c", "d"], pytest.approx(12.5)),
        (["a", "b", "d"], pytest.approx(10)),
        (["a", "b", "c", "d"], pytest.approx(7.5)),
    ]


def test_a_path_never_carries_more_than_its_smallest_hop() -> None:
    """Oracle's $300B receivable from OpenAI, whose only stake is a $34B warrant in AMD:
    Oracle's look-through to AMD is its share of what is at stake in OpenAI (300 of 300 +
    100 = 75%) x 34 = 25.5, not 300 x 34/34 (the unbounded dependence-share product)."""
    web = snapshot_of(
        make_commitment("openai", "oracle", "cloud_contract", 300),
        make_commitment("nvidia", "openai", "equity_investment", 100),
        make_commitment("openai", "amd", "warrant", 34),
    )
    report = exposure_report(web, "oracle", as_of=DAY, depth=2)
    assert by_id(report.look_through)["amd"] == pytest.approx(0.75 * 34)
    inward = exposure_report(web, "amd", as_of=DAY, direction=Direction.IN, depth=2)
    # Everyone's look-through to AMD through OpenAI adds up to OpenAI's stake in AMD.
    through = {r.id: r.usd for r in inward.look_through if r.id != "openai"}
    assert through == {"oracle": pytest.approx(25.5), "nvidia": pytest.approx(8.5)}
    assert sum(through.values()) == pytest.approx(34)


def test_look_through_in_by_hand() -> None:
    # Who is exposed to d, through chains: b = 10 + min(30, 30/80 x 20) = 17.5; c = 20;
    # a = min(100, 1 x 10) + min(50, 50/80 x 20) + min(100, 1 x 7.5) = 10 + 12.5 + 7.5 = 30
    report = exposure_report(WEB, "d", as_of=DAY, direction=Direction.IN, depth=3)
    assert by_id(report.look_through) == {
        "a": pytest.approx(30),
        "b": pytest.approx(17.5),
        "c": pytest.approx(20),
    }
    assert {tuple(p.path) for r in report.look_through for p in r.paths if r.id == "a"} == {
        ("a", "b", "d"),
        ("a", "c", "d"),
        ("a", "b", "c", "d"),
    }


def test_look_through_skips_cycles_back_to_the_start() -> None:
    loop = snapshot_of(*investments(("a", "b", 10), ("b", "a", 10), ("b", "c", 10)))
    report = exposure_report(loop, "a", as_of=DAY, depth=4)
    # a holds all that is at stake in b: c gets min(10, 10/10 x 10); the path back to a is
    # not simple.
    assert by_id(report.look_through) == {"b": 10, "c": pytest.approx(10)}


def test_contracts_expose_the_recipient_investments_the_investor() -> None:
    snap = snapshot_of(
        make_commitment("lab", "cloud", "cloud_contract", 250),
        make_commitment("chip", "lab", "equity_investment", 100),
        make_commitment("lab", "chip", "warrant", 7),
    )
    exposed_to_lab = exposure_report(snap, "lab", as_of=DAY, direction=Direction.IN)
    assert by_id(exposed_to_lab.counterparties) == {"cloud": 250, "chip": 100}
    assert by_id(exposure_report(snap, "lab", as_of=DAY).counterparties) == {"chip": 7}


TOY = snapshot_of_files(DATA / "toy.yaml")


def test_paused_plan_drops_out_after_the_pause() -> None:
    def exposed(day: dt.date) -> dict[str, float]:
        report = exposure_report(TOY, "labco", as_of=day, direction=Direction.IN)
        return by_id(report.counterparties)

    # cloudco 250B contract, chipco 100B plan, neoco 10B a year for 2 years
    assert exposed(dt.date(2026, 1, 29)) == {"cloudco": 250e9, "chipco": 100e9, "neoco": 20e9}
    assert exposed(dt.date(2026, 1, 31)) == {"cloudco": 250e9, "neoco": 20e9}
    assert exposed(dt.date(2025, 3, 9)) == {}  # nothing announced yet but the completed stake


@pytest.mark.parametrize(("basis", "usd"), [("point", 250e9), ("low", 200e9), ("high", 300e9)])
def test_basis_picks_the_end_of_a_range(basis: str, usd: float) -> None:
    report = exposure_report(TOY, "cloudco", as_of=dt.date(2025, 12, 1), basis=ValueBasis(basis))
    assert report.counterparties[0].usd == usd and report.basis.value == basis


def test_completed_stake_stays_at_risk() -> None:
    report = exposure_report(TOY, "chipco", as_of=dt.date(2024, 12, 1))
    assert by_id(report.counterparties) == {"neoco": 5e9}


def test_unknown_entity_suggests_a_close_id() -> None:
    with pytest.raises(NotFoundError, match="did you mean 'labco'"):
        exposure_report(TOY, "labc", as_of=DAY)


@pytest.mark.parametrize("depth", [0, 7])
def test_depth_out_of_range_is_refused(depth: int) -> None:
    with pytest.raises(ValidationError, match="depth"):
        exposure_report(TOY, "labco", as_of=DAY, depth=depth)


def test_limit_lists_the_largest_and_keeps_totals_and_counts() -> None:
    # labco at 2026-01-29, in: cloudco 250B, chipco 100B, neoco 20B (above)
    report = exposure_report(
        TOY, "labco", as_of=dt.date(2026, 1, 29), direction=Direction.IN, limit=2
    )
    assert [(c.id, c.usd) for c in report.counterparties] == [("cloudco", 250e9), ("chipco", 100e9)]
    assert report.counterparty_count == 3 and report.total_usd == 370e9
    assert report.counterparties[1].share == pytest.approx(100 / 370)
    deep = exposure_report(
        TOY, "labco", as_of=dt.date(2026, 1, 29), direction=Direction.IN, depth=2
    )
    top = exposure_report(
        TOY, "labco", as_of=dt.date(2026, 1, 29), direction=Direction.IN, depth=2, limit=1
    )
    assert top.look_through == deep.look_through[:1]
    assert top.look_through_count == deep.look_through_count == len(deep.look_through) == 3


def test_offset_pages_through_each_list_in_the_same_order() -> None:
    # labco at 2026-01-29, in: cloudco 250B, chipco 100B, neoco 20B (above)
    on = dict(as_of=dt.date(2026, 1, 29), direction=Direction.IN, depth=2)
    whole = exposure_report(TOY, "labco", **on)
    pages = [exposure_report(TOY, "labco", limit=2, offset=offset, **on) for offset in (0, 2, 4)]
    assert [[c.id for c in page.counterparties] for page in pages] == [
        ["cloudco", "chipco"],
        ["neoco"],
        [],
    ]
    assert [row for page in pages for row in page.look_through] == whole.look_through
    assert {(p.limit, p.offset, p.counterparty_count, p.total_usd) for p in pages} == {
        (2, 0, 3, 370e9),
        (2, 2, 3, 370e9),
        (2, 4, 3, 370e9),
    }


def test_a_hub_lists_fifty_counterparties_unless_asked_for_more() -> None:
    # 60 lenders of 1..60 USD bn to one borrower: the largest 50 by default, all on asking.
    lenders = [make_commitment(f"lender-{n:02d}", "hub", "loan", n * 1e9) for n in range(1, 61)]
    web = snapshot_of(*lenders)
    first = exposure_report(web, "hub", as_of=DAY, direction=Direction.IN)
    assert [c.id for c in first.counterparties] == [f"lender-{n:02d}" for n in range(60, 10, -1)]
    assert (first.counterparty_count, first.total_usd, first.limit) == (60, 1830e9, 50)
    every = exposure_report(web, "hub", as_of=DAY, direction=Direction.IN, limit=1000)
    assert len(every.counterparties) == 60


@pytest.mark.parametrize("limit", [0, 1001])
def test_a_limit_out_of_range_is_refused(limit: int) -> None:
    with pytest.raises(ValidationError, match="limit"):
        exposure_report(TOY, "labco", as_of=DAY, limit=limit)
