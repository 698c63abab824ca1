""" "A larger shock never yields less total loss", scenario by scenario, for each model.

What holds, checked here through run_stress (the function behind POST /analysis/stress
and `aifg stress`) on generated webs of entities and commitments:

- the same entities shocked harder: never less loss, for all four models;
- more entities shocked (and none less): never less loss for differential DebtRank,
  Eisenberg-Noe and the default cascade, but NOT for the 2012 DebtRank, where an entity
  shocked a little at the start passes on only that little (hand-made case below).

Why, in the models' docstrings: graph/analysis/contagion/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.load import parse_files
from graph.queries import run_stress
from graph.snapshot import Snapshot
from graph.snapshot import snapshot_of as build_snapshot
from graph.validate import merge
from schemas import Entity
from schemas.stress import DEFAULT_MODELS, StressModel, StressReport, StressRequest
from tests.factories import SOURCE, make_commitment
from tests.helpers import ROOT

AS_OF = dt.date(2026, 1, 29)
TODAY = dt.date(2026, 11, 25)
KINDS = ["cloud_contract", "chip_supply", "compute_purchase", "equity_investment", "loan"]
MONOTONE_IN_MORE_ENTITIES = [
    StressModel.DIFFERENTIAL_DEBTRANK,
    StressModel.EISENBERG_NOE,
    StressModel.DEFAULT_CASCADE,
]
Shocks = dict[str, float]


@st.composite
def webs(draw: st.DrawFn) -> Snapshot:
    """2-6 entities (some without an equity figure, some with 0), up to 10 commitments."""
    n = draw(st.integers(2, 6))
    ids = [f"e{i}" for i in range(n)]
    entities = []
    for entity_id in ids:
        equity = draw(st.one_of(st.none(), st.integers(0, 30)))
        record: dict[str, object] = {"id": entity_id, "name": entity_id}
        if equity is not None:
            record["financials"] = [
                {"metric": "equity", "usd": equity * 1e9, "as_of": "2025-12-31", "source": SOURCE}
            ]
        entities.append(Entity.model_validate(record))
    commitments = []
    for number in range(draw(st.integers(1, 10))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        usd = draw(st.integers(1, 20)) * 1e9
        kind = draw(st.sampled_from(KINDS))
        commitments.append(make_commitment(a, b, kind, usd, id=f"c{number}"))
    return build_snapshot(entities, commitments)


def stress(web: Snapshot, model: StressModel, shocks: Shocks) -> StressReport:
    request = StressRequest.model_validate(
        {
            "shocks": [{"entity": e, "severity": s} for e, s in shocks.items()],
            "model": model,
            "as_of": AS_OF,
            "max_rounds": 1000,
        }
    )
    return run_stress(web, request, today=TODAY)


def losses(report: StressReport) -> dict[str, float]:
    return {e.id: e.loss_usd for e in report.entities}


def assert_no_less_loss(small: StressReport, large: StressReport) -> None:
    slack = 1e-6 * max(1e9, small.total_loss_usd)  # float rounding across solver paths
    assert large.total_loss_usd >= small.total_loss_usd - slack
    more = losses(large)
    for entity, loss in losses(small).items():
        assert more.get(entity, 0.0) >= loss - slack, entity


@st.composite
def scenarios(draw: st.DrawFn, *, more_entities: bool) -> tuple[Snapshot, Shocks, Shocks]:
    """A web, a shock, and a larger one: each severity raised, and maybe more entities."""
    web = draw(webs())
    ids = sorted(web.entities)
    shocked = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    small = {e: draw(st.floats(0.01, 1.0)) for e in shocked}
    large = {e: min(1.0, s + draw(st.floats(0.0, 1.0))) for e, s in small.items()}
    if more_entities:
        for entity in ids:
            if entity not in large and draw(st.booleans()):
                large[entity] = draw(st.floats(0.01, 1.0))
    return web, small, large


@pytest.mark.parametrize("model", sorted(DEFAULT_MODELS))
@settings(max_examples=60, deadline=None)
@given(scenario=scenarios(more_entities=False))
def test_the_same_entities_shocked_harder_never_lose_less(
    model: StressModel, scenario: tuple[Snapshot, Shocks, Shocks]
) -> None:
    web, small, large = scenario
    assert_no_less_loss(stress(web, model, small), stress(web, model, large))


@pytest.mark.parametrize("model", MONOTONE_IN_MORE_ENTITIES)
@settings(max_examples=60, deadline=None)
@given(scenario=scenarios(more_entities=True))
def test_shocking_more_entities_never_loses_less(
    model: StressModel, scenario: tuple[Snapshot, Shocks, Shocks]
) -> None:
    web, small, large = scenario
    assert_no_less_loss(stress(web, model, small), stress(web, model, large))


def test_debtrank_2012_loses_less_when_a_second_entity_is_grazed() -> None:
    """tests/data/stress.yaml on 2026-01-29 (worked out in tests/cli/test_stress_command.py).

    LabCo wiped out: CloudCo h = 1 in round 1, passes 1 x W[neoco, cloudco] = 1 to NeoCo in
    round 2; losses 100 + 50 + 30 (ChipCo, 0.75 x 40) + 30 (NeoCo) = 210B.
    Add CloudCo at 0.01: it is distressed from the start, passes only 0.01 to NeoCo in
    round 1 and is inactive when LabCo's blow arrives: NeoCo ends at 0.01 (0.3B of 30B);
    100 + 50 + 30 + 0.3 = 180.3B. Differential DebtRank passes the later 0.99 on: 210B.
    """
    (loaded,) = parse_files([ROOT / "tests" / "data" / "stress.yaml"], max_bytes=2**20)
    data = merge([loaded])
    web = build_snapshot(data.entities, data.commitments)
    alone = stress(web, StressModel.DEBTRANK, {"labco": 1.0})
    grazed = stress(web, StressModel.DEBTRANK, {"labco": 1.0, "cloudco": 0.01})
    assert alone.total_loss_usd == pytest.approx(210e9)
    assert grazed.total_loss_usd == pytest.approx(180.3e9)
    assert losses(grazed)["neoco"] == pytest.approx(0.01 * 30e9)
    echo = stress(web, StressModel.DIFFERENTIAL_DEBTRANK, {"labco": 1.0, "cloudco": 0.01})
    assert echo.total_loss_usd == pytest.approx(210e9)
