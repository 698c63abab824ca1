"""Concentration: how much of each entity's exposure sits with one counterparty (HHI),
and how much the rest of the web has at stake in each entity."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from graph.views import Adjacency
from schemas.queries import ConcentrationSort
from schemas.results import ConcentrationRow

SORT_KEYS: dict[ConcentrationSort, Callable[[ConcentrationRow], tuple[object, ...]]] = {
    ConcentrationSort.MOST_DEPENDED_UPON: lambda r: (-r.at_stake_usd, r.id),
    # Rows without a figure (no HHI) last.
    ConcentrationSort.MOST_CONCENTRATED: lambda r: (
        r.hhi is None,
        -(r.hhi or 0),
        -r.exposure_usd,
        r.id,
    ),
    ConcentrationSort.MOST_EXPOSED: lambda r: (-r.exposure_usd, r.id),
}


def concentration_rows(
    exposure: Adjacency, incoming: Adjacency, name_of: Callable[[str], str]
) -> list[ConcentrationRow]:
    """One row per entity with any exposure either way, in id order.

    HHI = sum over counterparties of (E[a][b] / sum_x E[a][x])^2: 1 when everything sits
    with one counterparty, 1/n when spread evenly over n; over disclosed figures, with
    the commitments without one counted beside (no HHI when there is no figure at all).
    """
    rows = []
    for entity_id in sorted(set(exposure) | set(incoming)):
        # Decimal sums: exact, so the answer does not depend on the order of the edges.
        edges = exposure.get(entity_id, {})
        out = {b: edge.usd for b, edge in edges.items() if edge.disclosed}
        total = sum(out.values(), Decimal(0))
        shares = {b: float(usd / total) for b, usd in sorted(out.items())} if total else {}
        largest = max(shares, key=lambda b: (shares[b], b), default=None)
        at_stake = incoming.get(entity_id, {})
        rows.append(
            ConcentrationRow(
                id=entity_id,
                name=name_of(entity_id),
                exposure_usd=float(total),
                exposure_undisclosed=sum(edge.undisclosed for edge in edges.values()),
                exposure_ceilings=sum(edge.ceilings for edge in edges.values()),
                counterparties=len(edges),
                largest_counterparty=largest,
                largest_share=shares[largest] if largest else None,
                hhi=sum(s * s for s in shares.values()) if shares else None,
                at_stake_usd=float(sum((edge.usd for edge in at_stake.values()), Decimal(0))),
                at_stake_undisclosed=sum(edge.undisclosed for edge in at_stake.values()),
                at_stake_ceilings=sum(edge.ceilings for edge in at_stake.values()),
                exposed_entities=len(at_stake),
            )
        )
    return rows
