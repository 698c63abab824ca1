"""Concentration: how much of each entity's exposure sits with one counterparty (HHI),
and how much the rest of the web has at stake in each entity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.views import ExposureMatrix
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
    matrix: ExposureMatrix, name_of: Callable[[str], str]
) -> list[ConcentrationRow]:
    """One row per entity with any exposure either way, in id order.

    HHI = sum over counterparties of (E[a][b] / sum_x E[a][x])^2: 1 when everything sits
    with one counterparty, 1/n when spread evenly over n; over disclosed figures, with
    the commitments without one counted beside (no HHI when there is no figure at all).
    """
    n = len(matrix.table.entity_ids)
    exposed, counterparty, usd = matrix.exposed, matrix.counterparty, matrix.usd
    priced = matrix.disclosed

    def per(entity: npt.NDArray[np.int32], values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return np.bincount(entity, weights=values, minlength=n)

    total = per(exposed, np.where(priced, usd, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(priced & (total[exposed] > 0), usd / total[exposed], 0.0)
    shared = priced & (total[exposed] > 0)
    hhi = per(exposed, share * share)
    # The largest share of each entity, ties to the larger id (pairs are in id order).
    ranked = np.flatnonzero(shared)
    ranked = ranked[np.lexsort((counterparty[ranked], share[ranked], exposed[ranked]))]
    largest = np.full(n, -1)
    largest[exposed[ranked]] = ranked  # the last write of each entity wins: its largest
    columns = {
        "counterparties": per(exposed, np.ones(len(usd))),
        "exposure_undisclosed": per(exposed, matrix.undisclosed),
        "exposure_ceilings": per(exposed, matrix.ceilings),
        "at_stake_usd": matrix.at_stake,
        "at_stake_undisclosed": per(counterparty, matrix.undisclosed),
        "at_stake_ceilings": per(counterparty, matrix.ceilings),
        "exposed_entities": per(counterparty, np.ones(len(usd))),
    }
    ids = matrix.table.entity_ids
    present = np.flatnonzero(columns["counterparties"] + columns["exposed_entities"])
    rows = []
    for i in present.tolist():
        best = int(largest[i])
        rows.append(
            ConcentrationRow(
                id=ids[i],
                name=name_of(ids[i]),
                exposure_usd=float(total[i]),
                exposure_undisclosed=int(columns["exposure_undisclosed"][i]),
                exposure_ceilings=int(columns["exposure_ceilings"][i]),
                counterparties=int(columns["counterparties"][i]),
                largest_counterparty=ids[counterparty[best]] if best >= 0 else None,
                largest_share=float(share[best]) if best >= 0 else None,
                hhi=float(hhi[i]) if best >= 0 else None,
                at_stake_usd=float(columns["at_stake_usd"][i]),
                at_stake_undisclosed=int(columns["at_stake_undisclosed"][i]),
                at_stake_ceilings=int(columns["at_stake_ceilings"][i]),
                exposed_entities=int(columns["exposed_entities"][i]),
            )
        )
    return rows
