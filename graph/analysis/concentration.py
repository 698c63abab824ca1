"""Concentration: how much of each entity's exposure sits with one counterparty (HHI),
and how much the rest of the web has at stake in each entity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from graph.build import Snapshot
from graph.exposure import reverse
from schemas.enums import ValueBasis
from schemas.results import ConcentrationReport, ConcentrationRow


class ConcentrationSort(StrEnum):
    MOST_DEPENDED_UPON = "at_stake"  # who would hurt most others by failing
    MOST_CONCENTRATED = "hhi"  # whose exposure sits with the fewest counterparties
    MOST_EXPOSED = "exposure"  # who stands to lose most in all


def concentration(
    snapshot: Snapshot,
    *,
    as_of: dt.date,
    basis: ValueBasis = ValueBasis.POINT,
    sort: ConcentrationSort = ConcentrationSort.MOST_DEPENDED_UPON,
    limit: int = 50,
) -> ConcentrationReport:
    """One row per entity with any exposure either way, ranked by `sort`.

    HHI = sum over counterparties of (E[a][b] / sum_x E[a][x])^2: 1 when everything sits
    with one counterparty, 1/n when spread evenly over n.
    """
    exposure = snapshot.exposure(as_of, basis)
    incoming = reverse(exposure)
    rows = []
    for entity_id in sorted(set(exposure) | set(incoming)):
        # Decimal sums: exact, so the answer does not depend on the order a store lists edges.
        out = {b: edge.usd for b, edge in exposure.get(entity_id, {}).items()}
        total = sum(out.values(), Decimal(0))
        shares = {b: float(usd / total) for b, usd in sorted(out.items())} if total else {}
        largest = max(shares, key=lambda b: (shares[b], b), default=None)
        at_stake = incoming.get(entity_id, {})
        entity = snapshot.entities.get(entity_id)
        rows.append(
            ConcentrationRow(
                id=entity_id,
                name=entity.name if entity else entity_id,
                exposure_usd=float(total),
                counterparties=len(out),
                largest_counterparty=largest,
                largest_share=shares[largest] if largest else 0.0,
                hhi=sum(s * s for s in shares.values()),
                at_stake_usd=float(sum((edge.usd for edge in at_stake.values()), Decimal(0))),
                exposed_entities=len(at_stake),
            )
        )
    key = {
        ConcentrationSort.MOST_DEPENDED_UPON: lambda r: (-r.at_stake_usd, r.id),
        ConcentrationSort.MOST_CONCENTRATED: lambda r: (-r.hhi, -r.exposure_usd, r.id),
        ConcentrationSort.MOST_EXPOSED: lambda r: (-r.exposure_usd, r.id),
    }[sort]
    rows.sort(key=key)
    return ConcentrationReport(as_of=as_of, basis=basis, sort=sort.value, rows=rows[:limit])
