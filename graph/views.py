"""Derived data of a snapshot at one date and basis: what the questions compute from.

Each builder is a pure function of the records; graph.snapshot caches its results per
snapshot, date and basis. All of them count through graph.counting, so exposure, loops,
concentration and stress agree on which commitments count and for how much.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx
import numpy as np
from scipy import sparse

from graph.counting import counted, exposure_pair
from schemas.commitments import Commitment
from schemas.enums import CONTRACT_KINDS, AmountBasis, CommitmentKind, ValueBasis


@dataclass(frozen=True)
class ExposureEdge:
    """E[a][b]: what `a` stands to lose if `b` fails, summed over commitments (USD)."""

    usd: Decimal
    kinds: tuple[str, ...]
    commitments: tuple[str, ...]


Adjacency = Mapping[str, Mapping[str, ExposureEdge]]


def exposure(commitments: Iterable[Commitment], as_of: dt.date, basis: ValueBasis) -> Adjacency:
    """E as adjacency: E[a][b] for every pair with something at stake at `as_of`."""
    groups: dict[tuple[str, str], list[Commitment]] = {}
    for commitment in counted(commitments, as_of):
        groups.setdefault(exposure_pair(commitment), []).append(commitment)
    out: dict[str, dict[str, ExposureEdge]] = {}
    # In (exposed, counterparty) order: look-through sums floats along its walk, which
    # follows this order, so the same data always gives the same last digit.
    for a, b in sorted(groups):
        group = groups[a, b]
        out.setdefault(a, {})[b] = ExposureEdge(
            sum((c.total_usd(basis) for c in group), start=Decimal(0)),
            tuple(sorted({c.kind.value for c in group})),
            tuple(sorted(c.id for c in group)),
        )
    return out


def reverse(adjacency: Adjacency) -> Adjacency:
    """in[b][a] = E[a][b]: who is exposed to b."""
    out: dict[str, dict[str, ExposureEdge]] = {}
    for a, row in adjacency.items():
        for b, edge in row.items():
            out.setdefault(b, {})[a] = edge
    return out


@dataclass(frozen=True)
class ExposureTotals:
    """What the look-through needs besides E: each entity's total exposure sum_x E[a][x]
    (the denominator of its dependence shares), and the largest single E[a][b], in USD."""

    row_sums: Mapping[str, float]
    largest: float


def exposure_totals(adjacency: Adjacency) -> ExposureTotals:
    return ExposureTotals(
        row_sums={a: float(sum(e.usd for e in row.values())) for a, row in adjacency.items()},
        largest=max((float(e.usd) for row in adjacency.values() for e in row.values()), default=0),
    )


def money_flow(
    commitments: Iterable[Commitment], as_of: dt.date, basis: ValueBasis
) -> nx.DiGraph[str]:
    """DiGraph of the money flow from -> to at `as_of`, with summed `usd` and the ids."""
    flow: nx.DiGraph[str] = nx.DiGraph()
    for commitment in counted(commitments, as_of):
        u, v = commitment.from_, commitment.to
        if flow.has_edge(u, v):
            data = flow.edges[u, v]
            data["usd"] += commitment.total_usd(basis)
            data["commitments"].append(commitment.id)
        else:
            flow.add_edge(u, v, usd=commitment.total_usd(basis), commitments=[commitment.id])
    return flow


@dataclass(frozen=True)
class Network:
    """The exposure network as sparse matrices, for whole-network models.

    Two orientations (PITFALLS.md): X[i, j] is what i loses if j fails (DebtRank, default
    cascade; E above); L[i, j] is what i owes j within a year (Eisenberg-Noe).
    """

    ids: list[str]
    index: dict[str, int]
    exposure: sparse.csr_array
    liabilities: sparse.csr_array

    @property
    def size(self) -> int:
        return len(self.ids)


def annual_obligation(commitment: Commitment, basis: ValueBasis) -> Decimal:
    """One year's worth of a contract: per-year figures as given, totals over their term
    (a total without a term counts as owed in full)."""
    if commitment.amount is None:
        return Decimal(0)
    if commitment.amount.basis is AmountBasis.PER_YEAR:
        return commitment.amount.value(basis)
    if commitment.term_years:
        return commitment.total_usd(basis) / commitment.term_years
    return commitment.total_usd(basis)


def _matrix(rows: list[int], cols: list[int], values: list[float], n: int) -> sparse.csr_array:
    # Duplicates (several commitments between a pair) are summed by the COO -> CSR step.
    return sparse.coo_array(
        (np.asarray(values, dtype=np.float64), (rows, cols)), shape=(n, n)
    ).tocsr()


def network(
    entity_ids: Iterable[str],
    adjacency: Adjacency,
    commitments: Iterable[Commitment],
    as_of: dt.date,
    basis: ValueBasis,
) -> Network:
    """X from the exposure adjacency, L from the contracts and loans that count."""
    ids = sorted(entity_ids)
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    xr, xc, xv = [], [], []
    for a, row in adjacency.items():
        for b, edge in row.items():
            xr.append(index[a])
            xc.append(index[b])
            xv.append(float(edge.usd))
    lr, lc, lv = [], [], []
    for c in counted(commitments, as_of):
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
