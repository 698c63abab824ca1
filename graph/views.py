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

from graph.counting import Counted, counted, exposure_pair
from schemas.commitments import Commitment
from schemas.enums import CONTRACT_KINDS, CommitmentKind, ValueBasis

ZERO = Decimal(0)


@dataclass(frozen=True)
class ExposureEdge:
    """E[a][b]: what `a` stands to lose if `b` fails, over the commitments that count.

    `usd` sums the disclosed amounts as they count (graph.counting); `undisclosed` is how
    many of the commitments have no figure, so the true E is at least `usd`. `ceilings`
    and `estimates` count the "up to" figures and analysts' estimates inside `usd`.
    """

    usd: Decimal
    kinds: tuple[str, ...]
    commitments: tuple[str, ...]
    undisclosed: int = 0
    ceilings: int = 0
    estimates: int = 0

    @property
    def disclosed(self) -> bool:
        """Whether any commitment of the pair has a figure (else `usd` is unknown)."""
        return self.undisclosed < len(self.commitments)


Adjacency = Mapping[str, Mapping[str, ExposureEdge]]


def _edge(group: list[Counted]) -> ExposureEdge:
    priced = [item for item in group if item.usd is not None]
    return ExposureEdge(
        sum((item.usd for item in priced if item.usd is not None), start=ZERO),
        tuple(sorted({item.commitment.kind.value for item in group})),
        tuple(sorted(item.commitment.id for item in group)),
        undisclosed=len(group) - len(priced),
        ceilings=sum(1 for i in priced if i.commitment.amount and i.commitment.amount.up_to),
        estimates=sum(1 for i in priced if i.commitment.amount and i.commitment.amount.estimate),
    )


def exposure(commitments: Mapping[str, Commitment], as_of: dt.date, basis: ValueBasis) -> Adjacency:
    """E as adjacency: E[a][b] for every pair with something at stake at `as_of`."""
    groups: dict[tuple[str, str], list[Counted]] = {}
    for item in counted(commitments, as_of, basis):
        groups.setdefault(exposure_pair(item.commitment), []).append(item)
    out: dict[str, dict[str, ExposureEdge]] = {}
    # In (exposed, counterparty) order: look-through sums floats along its walk, which
    # follows this order, so the same data always gives the same last digit.
    for a, b in sorted(groups):
        out.setdefault(a, {})[b] = _edge(groups[a, b])
    return out


def adjustments(
    commitments: Mapping[str, Commitment], as_of: dt.date, basis: ValueBasis
) -> Mapping[str, Counted]:
    """The commitments that count at less than their own amount, and why (few: the
    wholes of parts and the overlaps)."""
    return {
        item.commitment.id: item
        for item in counted(commitments, as_of, basis)
        if item.rule is not None
    }


def reverse(adjacency: Adjacency) -> Adjacency:
    """in[b][a] = E[a][b]: who is exposed to b."""
    out: dict[str, dict[str, ExposureEdge]] = {}
    for a, row in adjacency.items():
        for b, edge in row.items():
            out.setdefault(b, {})[a] = edge
    return out


@dataclass(frozen=True)
class ExposureTotals:
    """What the look-through needs besides E, in USD: `at_stake[v]` = sum_x E[x][v], what
    the whole web has at stake in v (the denominator of each stakeholder's share of v)."""

    at_stake: Mapping[str, float]


def exposure_totals(incoming: Adjacency) -> ExposureTotals:
    return ExposureTotals(
        at_stake={v: float(sum(e.usd for e in row.values())) for v, row in incoming.items()}
    )


def money_flow(
    commitments: Mapping[str, Commitment], as_of: dt.date, basis: ValueBasis
) -> nx.DiGraph[str]:
    """DiGraph of the money flow from -> to at `as_of`: per edge the summed disclosed
    `usd` as it counts, `undisclosed` (how many hops' commitments have no figure) and the
    commitment ids."""
    flow: nx.DiGraph[str] = nx.DiGraph()
    for item in counted(commitments, as_of, basis):
        u, v = item.commitment.from_, item.commitment.to
        if not flow.has_edge(u, v):
            flow.add_edge(u, v, usd=ZERO, undisclosed=0, commitments=[])
        data = flow.edges[u, v]
        if item.usd is None:
            data["undisclosed"] += 1
        else:
            data["usd"] += item.usd
        data["commitments"].append(item.commitment.id)
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


def annual_obligation(item: Counted, basis: ValueBasis) -> Decimal:
    """One year's worth of a contract as it counts: per-year figures as given, totals over
    their term (a total without a term counts as owed in full); 0 without a figure."""
    if item.usd is None:
        return ZERO
    per_year = item.commitment.per_year_usd(basis)
    whole = item.commitment.total_usd(basis)
    if per_year is None or not whole:
        return item.usd
    return per_year * item.usd / whole


def _matrix(rows: list[int], cols: list[int], values: list[float], n: int) -> sparse.csr_array:
    # Duplicates (several commitments between a pair) are summed by the COO -> CSR step.
    return sparse.coo_array(
        (np.asarray(values, dtype=np.float64), (rows, cols)), shape=(n, n)
    ).tocsr()


def network(
    entity_ids: Iterable[str],
    adjacency: Adjacency,
    commitments: Mapping[str, Commitment],
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
    for item in counted(commitments, as_of, basis):
        c = item.commitment
        if c.kind in CONTRACT_KINDS:
            debtor, creditor, owed = c.from_, c.to, annual_obligation(item, basis)
        elif c.kind is CommitmentKind.LOAN:
            debtor, creditor, owed = c.to, c.from_, item.usd or ZERO
        else:
            continue
        lr.append(index[debtor])
        lc.append(index[creditor])
        lv.append(float(owed))
    n = len(ids)
    return Network(ids, index, _matrix(xr, xc, xv, n), _matrix(lr, lc, lv, n))
