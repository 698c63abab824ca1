"""The vectorised counting (graph.counting_table, graph.views) equals the per-commitment
rule (graph.counting.counted, exposure_pair) on generated webs: the same commitments
count at every date, for the same amounts and rules, and E groups them into the same
pairs with the same sums and counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.counting import counted, exposure_pair
from graph.snapshot import snapshot_of
from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.enums import CommitmentKind, Status, ValueBasis

PARTIES = ["a", "b", "c", "d"]
START = dt.date(2026, 1, 1)


def day(offset: int) -> str:
    return (START + dt.timedelta(days=offset)).isoformat()


@st.composite
def webs(draw: Any) -> list[Commitment]:
    """Up to 12 commitments among four parties, of every kind, with status histories
    (same-day changes too), announcements on or before the first change, undisclosed and
    ranged amounts, and part_of, overlaps and replaced_by links among them."""
    n = draw(st.integers(1, 12))
    ids = [f"c{i}" for i in range(n)]
    out = []
    for cid in ids:
        source, target = draw(
            st.lists(st.sampled_from(PARTIES), min_size=2, max_size=2, unique=True)
        )
        offsets = sorted(draw(st.lists(st.integers(0, 40), min_size=1, max_size=4)))
        statuses = draw(
            st.lists(st.sampled_from(list(Status)), min_size=len(offsets), max_size=len(offsets))
        )
        data: dict[str, Any] = {
            "id": cid,
            "from": source,
            "to": target,
            "kind": draw(st.sampled_from(list(CommitmentKind))).value,
            "announced": day(offsets[0] - draw(st.integers(0, 10))),
            "status": [
                {"date": day(o), "status": s.value} for o, s in zip(offsets, statuses, strict=True)
            ],
            "sources": [{"url": "https://example.com/t", "publisher": "Test"}],
        }
        amount = draw(st.sampled_from(["none", "point", "range"]))
        usd = draw(st.integers(1, 50)) * 10**9
        if amount == "point":
            data["amount"] = {"usd": usd, "up_to": draw(st.booleans())}
        elif amount == "range":
            data["amount"] = {"low": usd, "high": usd * 3}
        others = [o for o in ids if o != cid]
        if others and draw(st.booleans()):
            data["part_of"] = draw(st.sampled_from(others))
        if others and draw(st.booleans()):
            shared = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
            data["overlaps"] = [
                {"commitment": o, "usd": draw(st.integers(1, 20)) * 10**9} for o in shared
            ]
        if others and draw(st.integers(0, 4)) == 0:
            data["replaced_by"] = {
                "commitment": draw(st.sampled_from(others)),
                "date": day(draw(st.integers(0, 50))),
            }
        out.append(Commitment.model_validate(data))
    return out


@settings(max_examples=300, deadline=None)
@given(
    web=webs(),
    offset=st.integers(-2, 60),
    basis=st.sampled_from(list(ValueBasis)),
)
def test_vectorised_counting_equals_the_rule(
    web: list[Commitment], offset: int, basis: ValueBasis
) -> None:
    snapshot = snapshot_of([Entity(id=p, name=p) for p in PARTIES], web)
    as_of = START + dt.timedelta(days=offset)
    expected = {item.commitment.id: item for item in counted(snapshot.commitments, as_of, basis)}

    table = snapshot.counting
    rows = table.counted_at(as_of, basis)
    live = {table.rows[k].id for k in rows.live.nonzero()[0].tolist()}
    assert live == set(expected)
    for k in rows.live.nonzero()[0].tolist():
        item = expected[table.rows[k].id]
        assert rows.disclosed[k] == (item.usd is not None)
        assert rows.usd[k] == pytest.approx(float(item.usd or 0), rel=1e-12)
    rules = {cid: item.rule for cid, item in expected.items() if item.rule is not None}
    assert snapshot.adjustments(as_of, basis).keys() == rules.keys()
    for cid, item in snapshot.adjustments(as_of, basis).items():
        assert item.rule == rules[cid]
        assert item.usd == expected[cid].usd

    # E grouped by the per-commitment rule, as the views did it before the arrays.
    pairs: dict[tuple[str, str], list[Any]] = {}
    for item in expected.values():
        pairs.setdefault(exposure_pair(item.commitment), []).append(item)
    got = {
        (a, b): edge
        for a, row in snapshot.exposure(as_of, basis).items()
        for b, edge in row.items()
    }
    assert got.keys() == pairs.keys()
    for key, group in pairs.items():
        edge = got[key]
        priced = [i for i in group if i.usd is not None]
        assert edge.commitments == tuple(sorted(i.commitment.id for i in group))
        assert edge.kinds == tuple(sorted({i.commitment.kind.value for i in group}))
        assert edge.undisclosed == len(group) - len(priced)
        assert edge.usd == pytest.approx(float(sum((i.usd for i in priced), Decimal(0))))
        assert edge.ceilings == sum(1 for i in priced if i.commitment.amount.up_to)
    incoming = {
        (a, b): edge.usd
        for b, row in snapshot.exposure_in(as_of, basis).items()
        for a, edge in row.items()
    }
    assert incoming == {key: edge.usd for key, edge in got.items()}
