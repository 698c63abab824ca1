"""Derived data of a snapshot at one date and basis: what the questions compute from.

Each builder is a pure function of the records; graph.snapshot caches its results per
snapshot, date and basis. All of them count through graph.counting, so exposure, loops,
concentration and stress agree on which commitments count and for how much.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
from collections.abc import ItemsView, Iterable, Iterator, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy import sparse

from graph.counting import Counted
from graph.counting_table import KINDS, CountedRows, CountingTable
from schemas.enums import ValueBasis


@dataclass(frozen=True)
class ExposureEdge:
    """E[a][b]: what `a` stands to lose if `b` fails, over the commitments that count.

    `usd` sums the disclosed amounts as they count (graph.counting); `undisclosed` is how
    many of the commitments have no figure, so the true E is at least `usd`. `ceilings`
    and `estimates` count the "up to" figures and analysts' estimates inside `usd`.
    """

    usd: float
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
Floats = npt.NDArray[np.float64]
# Positions in the matrix's pair arrays (int32 from the sorted order, intp from a range).
Positions = npt.NDArray[np.int32] | npt.NDArray[np.intp]


class ExposureMatrix:
    """E at one date and basis as arrays over the pairs with something at stake, sorted by
    (exposed, counterparty); entities are numbered as in the counting table.

    `out_start[a]:out_start[a + 1]` are the positions of a's pairs (what a stands to lose,
    counterparties in id order); `in_order[in_start[b]:in_start[b + 1]]` those of the
    pairs exposed to b (exposed entities in id order). `at_stake[v]` = sum_x E[x][v], what
    the whole web has at stake in v. `outgoing` and `incoming` are the same data as
    mappings, built (with their edges) on access.
    """

    def __init__(self, table: CountingTable, rows: CountedRows) -> None:
        self.table, self.counted = table, rows
        pair_of, n_pairs = table.pair_of, table.pairs
        count = np.bincount(pair_of[rows.live], minlength=n_pairs)
        self.pairs = np.flatnonzero(count).astype(np.int32)
        self.count = count[self.pairs]
        self.usd: Floats = np.bincount(pair_of, weights=rows.usd, minlength=n_pairs)[
            self.pairs
        ].astype(np.float64, copy=False)
        undisclosed = rows.live & ~table.has_amount
        self.undisclosed = np.bincount(pair_of[undisclosed], minlength=n_pairs)[self.pairs]
        self.ceilings = np.bincount(pair_of[rows.disclosed & table.up_to], minlength=n_pairs)[
            self.pairs
        ]
        self.estimates = np.bincount(pair_of[rows.disclosed & table.estimate], minlength=n_pairs)[
            self.pairs
        ]
        self.exposed = table.pair_exposed[self.pairs]
        self.counterparty = table.pair_counterparty[self.pairs]
        entities = len(table.entity_ids)
        self.out_start = _starts(self.exposed, entities)
        self.in_start = _starts(self.counterparty, entities)
        self.at_stake = np.bincount(self.counterparty, weights=self.usd, minlength=entities)

    @functools.cached_property
    def in_order(self) -> npt.NDArray[np.int32]:
        """The pair positions sorted by counterparty (stable, so exposed entities stay in
        id order): sorted on the first question that goes in."""
        return np.argsort(self.counterparty, kind="stable").astype(np.int32)

    # The mappings are built on first use: the questions that read the arrays (exposure,
    # concentration, the network) never pay for their per-entity dicts at a new date.
    @functools.cached_property
    def outgoing(self) -> Adjacency:
        return _Rows(self, incoming=False)

    @functools.cached_property
    def incoming(self) -> Adjacency:
        return _Rows(self, incoming=True)

    @functools.cached_property
    def disclosed(self) -> npt.NDArray[np.bool_]:
        """Per pair, whether any of its commitments has a figure (else its usd is unknown)."""
        return self.undisclosed < self.count

    def positions(self, entity: int, *, incoming: bool) -> Positions:
        """The pair positions of `entity`'s row: as the exposed one, or (incoming) as the
        counterparty."""
        if incoming:
            return self.in_order[self.in_start[entity] : self.in_start[entity + 1]]
        return np.arange(self.out_start[entity], self.out_start[entity + 1])

    def edge(self, position: int) -> ExposureEdge:
        """The pair at `position` with its commitments (id order) and kinds."""
        rows, _ = self.members(np.array([position]))
        return ExposureEdge(
            float(self.usd[position]),
            self.kinds(rows, np.array([0, rows.size]))[0],
            tuple(self.table.row_ids[k] for k in rows.tolist()),
            undisclosed=int(self.undisclosed[position]),
            ceilings=int(self.ceilings[position]),
            estimates=int(self.estimates[position]),
        )

    def members(self, positions: Positions) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
        """The table rows that count of the pairs at `positions`, pair after pair (each in
        id order): `rows[bounds[i]:bounds[i + 1]]` are those of `positions[i]`."""
        table = self.table
        pairs = self.pairs[positions]
        start = table.pair_start[pairs]
        rows = table.pair_rows[ranges(start, table.pair_start[pairs + 1] - start)]
        rows = rows[self.counted.live[rows]]
        # (np.r_ costs more than the rest for a page of rows)
        bounds: npt.NDArray[np.intp] = np.concatenate(([0], np.cumsum(self.count[positions])))
        return rows, bounds

    def kinds(
        self, rows: npt.NDArray[np.int32], bounds: npt.NDArray[np.intp]
    ) -> list[tuple[str, ...]]:
        """Per group of `members`, the kinds of its rows (values, sorted, once each)."""
        if not rows.size:
            return [() for _ in range(len(bounds) - 1)]
        bits = np.left_shift(1, self.table.kind[rows].astype(np.int64))
        masks = np.bitwise_or.reduceat(bits, bounds[:-1]).tolist()
        return [_kind_values(mask) for mask in masks]


@functools.cache
def _kind_values(mask: int) -> tuple[str, ...]:
    return tuple(kind.value for code, kind in enumerate(KINDS) if mask >> code & 1)


def ranges(starts: npt.NDArray[np.integer], spans: npt.NDArray[np.integer]) -> npt.NDArray[np.intp]:
    """The ranges [starts[i], starts[i] + spans[i]) one after another, without a loop:

    >>> ranges(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    offset = np.arange(int(spans.sum())) - np.repeat(np.cumsum(spans) - spans, spans)
    out: npt.NDArray[np.intp] = np.repeat(starts, spans) + offset
    return out


def _starts(entity_of_position: npt.NDArray[np.int32], entities: int) -> npt.NDArray[np.intp]:
    """CSR row starts: where each entity's positions begin, once sorted by entity."""
    starts: npt.NDArray[np.intp] = np.r_[
        0, np.cumsum(np.bincount(entity_of_position, minlength=entities))
    ]
    return starts


class _Row(Mapping[str, ExposureEdge]):
    """One entity's row of E (or of E reversed), counterparties in id order."""

    def __init__(self, matrix: ExposureMatrix, positions: Positions, incoming: bool):
        self._matrix, self._positions = matrix, positions
        ends = matrix.exposed if incoming else matrix.counterparty
        ids = matrix.table.entity_ids
        self._keys = [ids[i] for i in ends[positions].tolist()]

    def __getitem__(self, key: str) -> ExposureEdge:
        at = bisect.bisect_left(self._keys, key)
        if at == len(self._keys) or self._keys[at] != key:
            raise KeyError(key)
        return self._matrix.edge(int(self._positions[at]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def items(self) -> ItemsView[str, ExposureEdge]:
        return dict(
            zip(self._keys, map(self._matrix.edge, self._positions.tolist()), strict=True)
        ).items()


class _Rows(Mapping[str, Mapping[str, ExposureEdge]]):
    """E (or E reversed) as a mapping from entity id to its non-empty row."""

    def __init__(self, matrix: ExposureMatrix, *, incoming: bool) -> None:
        self._matrix, self._incoming = matrix, incoming
        starts = matrix.in_start if incoming else matrix.out_start
        ids = matrix.table.entity_ids
        self._entities = {ids[i]: i for i in np.flatnonzero(np.diff(starts)).tolist()}

    def __getitem__(self, key: str) -> Mapping[str, ExposureEdge]:
        entity = self._entities[key]
        return _Row(
            self._matrix, self._matrix.positions(entity, incoming=self._incoming), self._incoming
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._entities)

    def __len__(self) -> int:
        return len(self._entities)


def exposure(table: CountingTable, as_of: dt.date, basis: ValueBasis) -> ExposureMatrix:
    """E at `as_of`: every pair with something at stake, from the table's counted rows."""
    return ExposureMatrix(table, table.counted_at(as_of, basis))


def adjustments(matrix: ExposureMatrix) -> Mapping[str, Counted]:
    """The commitments that count at less than their own amount, and why (few: the
    wholes of parts and the overlaps)."""
    rows = matrix.table.rows
    return {rows[k].id: item for k, item in sorted(matrix.counted.adjusted.items())}


def money_flow(matrix: ExposureMatrix) -> nx.DiGraph[str]:
    """DiGraph of the money flow from -> to at the matrix's date: per edge the summed
    disclosed `usd` as it counts, `undisclosed` (how many hops' commitments have no
    figure) and the commitment ids (id order)."""
    table, rows = matrix.table, matrix.counted
    flow: nx.DiGraph[str] = nx.DiGraph()
    live = np.flatnonzero(rows.live)
    if not live.size:
        return flow
    code = table.source[live].astype(np.int64) * len(table.entity_ids) + table.target[live]
    order = np.argsort(code, kind="stable")
    live, code = live[order], code[order]
    first = np.flatnonzero(np.r_[True, code[1:] != code[:-1]])
    usd = np.add.reduceat(rows.usd[live], first)
    undisclosed = np.add.reduceat((~table.has_amount[live]).astype(np.int64), first)
    ids, records = table.entity_ids, table.rows
    bounds = np.r_[first, live.size].tolist()
    members = live.tolist()
    flow.add_edges_from(
        (
            ids[table.source[members[start]]],
            ids[table.target[members[start]]],
            {
                "usd": float(usd[g]),
                "undisclosed": int(undisclosed[g]),
                "commitments": [records[k].id for k in members[start:stop]],
            },
        )
        for g, (start, stop) in enumerate(itertools.pairwise(bounds))
    )
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


def network(entity_ids: Iterable[str], matrix: ExposureMatrix, basis: ValueBasis) -> Network:
    """X from E, L from the contracts and loans that count: a contract's payer owes its
    recipient a year's worth (per-year figures as given, totals spread over their term, a
    total without a term owed in full), a loan's borrower owes the lender what counts."""
    table, rows = matrix.table, matrix.counted
    ids = sorted(entity_ids)
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    # The table numbers every party too; each of its entities has a place in ids.
    renumber = np.fromiter((index[e] for e in table.entity_ids), np.int64, len(table.entity_ids))
    n = len(ids)
    exposure = _matrix(renumber[matrix.exposed], renumber[matrix.counterparty], matrix.usd, n)
    contract = rows.live & table.contract
    loan = rows.live & table.loan
    debtor = np.where(table.contract, table.source, table.target)
    creditor = np.where(table.contract, table.target, table.source)
    owed = np.where(table.contract, rows.usd * table.amounts(basis).per_year_share, rows.usd)
    owing = contract | loan
    liabilities = _matrix(renumber[debtor[owing]], renumber[creditor[owing]], owed[owing], n)
    return Network(ids, index, exposure, liabilities)


def _matrix(
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    n: int,
) -> sparse.csr_array:
    # Duplicates (several commitments between a pair) are summed by the COO -> CSR step.
    return sparse.coo_array(
        (np.asarray(values, dtype=np.float64), (rows, cols)), shape=(n, n)
    ).tocsr()
