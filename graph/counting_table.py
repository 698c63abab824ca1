"""The counting rules of graph.counting over arrays: which commitments count at a date,
and for how much, without a line of Python per commitment at query time.

A snapshot builds one `CountingTable` (graph.snapshot keeps it): per commitment that can
count (a money-flow kind), the periods in which it counts (`Commitment.counting_intervals`,
the same rule as `counts_at`, as day numbers), its two parties and its exposure pair
(`exposure_pair`), and the few links that change an amount (`part_of`, `overlaps`).
At a date, `counted_at` finds the live commitments by comparing day numbers, and hands
only the commitments whose amount a rule changes (a whole with counting parts, an
overlap with a counting commitment) to `graph.counting.counted_as`, the per-commitment
rule itself, so the adjusted amounts are the very Decimals `counted` gives. Every other
amount is the commitment's own (`Commitment.amount_usd`), read once per basis.

A property test (tests/graph/test_counting_table.py) holds this equal to `counted` on
generated webs.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from graph.counting import ZERO, Counted, counted_as
from schemas.commitments import Commitment
from schemas.enums import CONTRACT_KINDS, MONEY_FLOW_KINDS, CommitmentKind, ValueBasis

Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
# Kinds numbered in the order of their values, so a set of codes sorts as its values do.
KINDS = sorted(CommitmentKind, key=lambda kind: kind.value)
KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
# The end of an interval that has none (still counting): past any date's day number.
NO_END = dt.date.max.toordinal() + 1


@dataclass(frozen=True)
class Amounts:
    """Per row, on one basis: `usd` the commitment's own amount as a float (0 where
    undisclosed), `per_year_share`, a year's worth as a share of it (1 where the whole
    counts as one year's obligation: README, Stress), and `per_year_usd`, a year's worth
    as `Commitment.per_year_usd` gives it (NaN where it gives none)."""

    usd: Floats
    per_year_share: Floats
    per_year_usd: Floats


@dataclass(frozen=True)
class CountedRows:
    """The table's rows as they count at one date and basis.

    `live` marks the rows that count; `usd` is the amount as it counts (0 where it does
    not count or is undisclosed: `disclosed` tells which); `adjusted` holds, per row, the
    `Counted` of the few whose amount a rule changed, with the rule in words."""

    live: Bools
    usd: Floats
    disclosed: Bools
    adjusted: Mapping[int, Counted]


class CountingTable:
    """The money-flow commitments of a snapshot as arrays, in id order (module docstring).

    Rows are the commitments that can count; `entity_ids` (sorted) numbers every entity
    and every party, so row arrays hold entity numbers. Pairs group the rows by their
    exposure pair (exposed, counterparty), sorted by it; `pair_rows[pair_start[p]:
    pair_start[p + 1]]` are pair p's rows in id order.
    """

    def __init__(self, commitments: Iterable[Commitment], entity_ids: Iterable[str]) -> None:
        rows = [c for c in commitments if c.kind in MONEY_FLOW_KINDS]
        self.rows: Sequence[Commitment] = rows
        parties = {c.from_ for c in rows} | {c.to for c in rows}
        self.entity_ids: list[str] = sorted(parties.union(entity_ids))
        self.entity_index = {entity: i for i, entity in enumerate(self.entity_ids)}
        index = self.entity_index
        n = len(rows)
        self.source = np.fromiter((index[c.from_] for c in rows), np.int32, n)
        self.target = np.fromiter((index[c.to] for c in rows), np.int32, n)
        contract = np.fromiter((c.kind in CONTRACT_KINDS for c in rows), np.bool_, n)
        self.contract = contract
        self.loan = np.fromiter((c.kind is CommitmentKind.LOAN for c in rows), np.bool_, n)
        # exposure_pair: a contract's recipient is exposed to its payer, else the payer.
        self.exposed = np.where(contract, self.target, self.source)
        self.counterparty = np.where(contract, self.source, self.target)
        self.has_amount = np.fromiter((c.amount is not None for c in rows), np.bool_, n)
        self.up_to = np.fromiter((bool(c.amount and c.amount.up_to) for c in rows), np.bool_, n)
        self.estimate = np.fromiter(
            (bool(c.amount and c.amount.estimate) for c in rows), np.bool_, n
        )
        # What a listing shows per row, read once here rather than per question.
        self.row_ids = [c.id for c in rows]
        self.kind = np.fromiter((KIND_CODE[c.kind] for c in rows), np.int8, n)
        self.term_years = np.fromiter(
            (np.nan if c.term_years is None else float(c.term_years) for c in rows), np.float64, n
        )
        owner, starts, ends = [], [], []
        for k, c in enumerate(rows):
            for begin, end in c.counting_intervals():
                owner.append(k)
                starts.append(begin.toordinal())
                ends.append(NO_END if end is None else end.toordinal())
        self.interval_row = np.asarray(owner, dtype=np.int32)
        self.interval_start = np.asarray(starts, dtype=np.int32)
        self.interval_end = np.asarray(ends, dtype=np.int32)
        # The links that change an amount, as (row, row) pairs; a link to a commitment
        # that can never count (not a money flow, or unknown) never applies.
        linked = [k for k, c in enumerate(rows) if c.part_of is not None or c.overlaps]
        row_of = self.row_of if linked else {}
        part_links = [
            (k, row_of[p]) for k in linked if (p := rows[k].part_of) is not None and p in row_of
        ]
        self.part_row, self.whole_row = _columns(part_links)
        overlap_links = [
            (k, row_of[o.commitment])
            for k in linked
            for o in rows[k].overlaps
            if o.commitment in row_of
        ]
        self.overlap_row, self.overlap_other = _columns(overlap_links)
        # Pairs, sorted by (exposed, counterparty); rows within a pair in id order.
        code = self.exposed.astype(np.int64) * max(1, len(self.entity_ids)) + self.counterparty
        self.pair_rows = np.argsort(code, kind="stable").astype(np.int32)
        sorted_code = code[self.pair_rows]
        first = (
            np.flatnonzero(np.r_[True, sorted_code[1:] != sorted_code[:-1]]) if n else _no_rows()
        )
        self.pair_start = np.r_[first, n].astype(np.int32)
        self.pair_exposed = self.exposed[self.pair_rows[first]]
        self.pair_counterparty = self.counterparty[self.pair_rows[first]]
        self.pair_of = np.empty(n, dtype=np.int32)
        self.pair_of[self.pair_rows] = np.repeat(np.arange(len(first)), np.diff(self.pair_start))
        self._amounts: dict[ValueBasis, Amounts] = {}
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def pairs(self) -> int:
        return len(self.pair_exposed)

    def amounts(self, basis: ValueBasis) -> Amounts:
        """The rows' own amounts on `basis`, read from the records once per basis."""
        with self._lock:
            found = self._amounts.get(basis)
        if found is not None:
            return found
        usd = np.zeros(self.size)
        share = np.ones(self.size)
        per_year_usd = np.full(self.size, np.nan)
        for k, c in enumerate(self.rows):
            if c.amount is None:
                continue
            whole = c.total_usd(basis)
            usd[k] = float(whole)
            per_year = c.per_year_usd(basis)
            if per_year is not None:
                per_year_usd[k] = float(per_year)
                if whole:
                    share[k] = float(per_year / whole)
        found = Amounts(usd, share, per_year_usd)
        with self._lock:
            self._amounts[basis] = found
        return found

    def live_at(self, as_of: dt.date) -> Bools:
        """The rows that count at `as_of` (`counts`): day number inside an interval."""
        day = as_of.toordinal()
        inside = (self.interval_start <= day) & (day < self.interval_end)
        live = np.zeros(self.size, dtype=np.bool_)
        live[self.interval_row[inside]] = True
        return live

    def counted_at(self, as_of: dt.date, basis: ValueBasis) -> CountedRows:
        """The rows as they count at `as_of` on `basis` (`graph.counting.counted`)."""
        live = self.live_at(as_of)
        amounts = self.amounts(basis)
        disclosed = live & self.has_amount
        usd = np.where(disclosed, amounts.usd, 0.0)
        # Wholes with a counting part that has a figure; commitments sharing money with a
        # counting one. Only these go through the per-commitment rule.
        counting_part = live[self.part_row] & live[self.whole_row] & self.has_amount[self.part_row]
        shared = live[self.overlap_row] & live[self.overlap_other]
        touched = np.union1d(self.whole_row[counting_part], self.overlap_row[shared])
        adjusted: dict[int, Counted] = {}
        if touched.size:
            adjusted = self._adjusted(
                touched, self.part_row[counting_part], self.whole_row[counting_part], live, basis
            )
            for k, item in adjusted.items():
                usd[k] = 0.0 if item.usd is None else float(item.usd)
        return CountedRows(live, usd, disclosed, adjusted)

    def _adjusted(
        self, touched: Ints, parts: Ints, wholes: Ints, live: Bools, basis: ValueBasis
    ) -> dict[int, Counted]:
        parts_usd: dict[int, Decimal] = {}
        for part, whole in zip(parts.tolist(), wholes.tolist(), strict=True):
            parts_usd[whole] = parts_usd.get(whole, ZERO) + self.rows[part].total_usd(basis)
        out = {}
        for k in touched.tolist():
            c = self.rows[k]
            counts_too = [o for o in c.overlaps if self._live(o.commitment, live)]
            item = counted_as(c, basis, parts_usd.get(k), counts_too)
            if item.rule is not None:
                out[k] = item
        return out

    def _live(self, commitment_id: str, live: Bools) -> bool:
        k = self.row_of.get(commitment_id)
        return k is not None and bool(live[k])

    @functools.cached_property
    def row_of(self) -> dict[str, int]:
        """Row number by commitment id (built on first need: about 40 bytes a row)."""
        return {c.id: k for k, c in enumerate(self.rows)}


def _no_rows() -> Ints:
    return np.zeros(0, dtype=np.int32)


def _columns(links: list[tuple[int, int]]) -> tuple[Ints, Ints]:
    if not links:
        return _no_rows(), _no_rows()
    pairs = np.asarray(links, dtype=np.int32)
    return pairs[:, 0].copy(), pairs[:, 1].copy()
