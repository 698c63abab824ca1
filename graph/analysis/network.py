"""The exposure network as sparse matrices, for whole-network models.

Two orientations (PITFALLS.md): X[i, j] is what i loses if j fails (DebtRank, default
cascade; E of DESIGN.md); L[i, j] is what i owes j within a year (Eisenberg-Noe).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from scipy import sparse

from graph.build import Snapshot
from schemas.commitments import Commitment
from schemas.enums import CONTRACT_KINDS, AmountBasis, CommitmentKind, FinancialMetric, ValueBasis

FloatArray = npt.NDArray[np.float64]

# Rules the reports quote, so a reader knows how the numbers were built.
LIABILITY_RULE = (
    "Eisenberg-Noe liabilities: purchase and supply contracts are owed by the payer to the "
    "recipient, one year's worth (per-year figures as given, totals divided by term_years; "
    "a total without a term counts as owed in full); loans are owed by the borrower to the "
    "lender in full; equity, warrants and backstops are not liabilities."
)
MISSING_BUFFER_RULE = (
    "An entity without the chosen financial figure dated on or before as_of gets a buffer "
    "equal to its total exposure (sum of X[i, :]): it is wiped out only if everything it is "
    "exposed to is lost. It is listed in missing_buffers."
)
MISSING_ASSETS_RULE = (
    "Eisenberg-Noe external assets are the chosen financial figure; an entity without one "
    "is assumed able to pay what it owes from outside the network (assets = what it owes)."
)
# Market capitalisation has a private-market counterpart: the last round's valuation.
FALLBACKS = {FinancialMetric.MARKET_CAP: (FinancialMetric.VALUATION,)}


@dataclass(frozen=True)
class Network:
    ids: list[str]
    index: dict[str, int]
    exposure: sparse.csr_array  # X[i, j]: what i loses if j fails, USD
    liabilities: sparse.csr_array  # L[i, j]: what i owes j within a year, USD

    @property
    def size(self) -> int:
        return len(self.ids)


def annual_obligation(commitment: Commitment, basis: ValueBasis) -> Decimal:
    if commitment.amount is None:
        return Decimal(0)
    if commitment.amount.basis is AmountBasis.PER_YEAR:
        return commitment.amount.value(basis)
    if commitment.term_years:
        return commitment.total_usd(basis) / commitment.term_years
    return commitment.total_usd(basis)


def _matrix(rows: list[int], cols: list[int], values: list[float], n: int) -> sparse.csr_array:
    # Duplicates (several commitments between a pair) are summed by the COO -> CSR step.
    return sparse.coo_array((values, (rows, cols)), shape=(n, n)).tocsr()


def build_network(snapshot: Snapshot, *, as_of: dt.date, basis: ValueBasis) -> Network:
    """The matrices at a date and basis (cached per snapshot)."""

    def build() -> Network:
        ids = sorted(snapshot.entities)
        index = {entity_id: i for i, entity_id in enumerate(ids)}
        xr, xc, xv = [], [], []
        for a, row in snapshot.exposure(as_of, basis).items():
            for b, edge in row.items():
                xr.append(index[a])
                xc.append(index[b])
                xv.append(float(edge.usd))
        lr, lc, lv = [], [], []
        for c in snapshot.live(as_of):
            if c.kind in CONTRACT_KINDS:
                debtor, creditor, owed = c.from_, c.to, annual_obligation(c, basis)
            elif c.kind is CommitmentKind.LOAN:
                debtor, creditor, owed = c.to, c.from_, c.total_usd(basis)
            else:
                continue
            lr.append(index[debtor])
            lc.append(index[creditor])
            lv.append(float(owed))
        n = len(ids)
        return Network(ids, index, _matrix(xr, xc, xv, n), _matrix(lr, lc, lv, n))

    return snapshot.cached(("network", as_of, basis), build)


def financial_figures(
    snapshot: Snapshot, ids: list[str], metric: FinancialMetric, as_of: dt.date
) -> list[float | None]:
    """Each entity's latest `metric` dated on or before `as_of` (or a fallback), else None."""
    figures: list[float | None] = []
    for entity_id in ids:
        entity = snapshot.entities[entity_id]
        found = None
        for candidate in (metric, *FALLBACKS.get(metric, ())):
            fact = entity.latest(candidate, as_of)
            if fact is not None:
                found = float(fact.usd)
                break
        figures.append(found)
    return figures


def buffers_with_rule(
    network: Network, figures: list[float | None]
) -> tuple[FloatArray, list[bool]]:
    """Buffers in USD, and which entities got MISSING_BUFFER_RULE."""
    total_exposure = np.asarray(network.exposure.sum(axis=1)).ravel()
    missing = [f is None for f in figures]
    buffers = np.array(
        [total_exposure[i] if f is None else f for i, f in enumerate(figures)], dtype=np.float64
    )
    return buffers, missing
