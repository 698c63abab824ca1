"""Concentration and HHI against hand-computed values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph import queries
from graph.snapshot import Snapshot
from schemas.queries import ConcentrationQuery, ConcentrationSort
from schemas.results import ConcentrationReport
from tests.factories import make_commitment, snapshot_of

DAY = dt.date(2025, 6, 1)


def concentration(snapshot: Snapshot, **options: Any) -> ConcentrationReport:
    return queries.concentration(snapshot, ConcentrationQuery(**options), today=DAY)


# Exposures: a holds 60 in b, 30 in c, 10 in d; b holds 50 in c.
WEB = snapshot_of(
    make_commitment("a", "b", "equity_investment", 60),
    make_commitment("a", "c", "loan", 30),
    make_commitment("a", "d", "warrant", 10),
    make_commitment("b", "c", "equity_investment", 50),
)


def test_hhi_and_largest_share_by_hand() -> None:
    rows = {r.id: r for r in concentration(WEB, as_of=DAY).rows}
    # a: shares .6, .3, .1 -> HHI .36 + .09 + .01 = .46
    assert rows["a"].hhi == pytest.approx(0.46)
    assert (rows["a"].largest_counterparty, rows["a"].largest_share) == ("b", pytest.approx(0.6))
    assert rows["b"].hhi == pytest.approx(1.0)
    # c: others have 30 + 50 at stake in it, from two entities
    assert (rows["c"].at_stake_usd, rows["c"].exposed_entities) == (80, 2)
    assert rows["d"].exposure_usd == 0 and rows["d"].largest_counterparty is None


def test_rankings() -> None:
    by_stake = [r.id for r in concentration(WEB, as_of=DAY).rows]
    assert by_stake[:2] == ["c", "b"]  # 80 at stake in c, 60 in b
    by_hhi = concentration(WEB, as_of=DAY, sort=ConcentrationSort.MOST_CONCENTRATED).rows
    assert by_hhi[0].id == "b"
    assert (
        concentration(WEB, as_of=DAY, sort=ConcentrationSort.MOST_EXPOSED, limit=1).rows[0].id
        == "a"
    )
