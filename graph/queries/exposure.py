"""Direct and look-through exposure of one entity, in both directions (README, Exposure).

E[a][b] is what a stands to lose if b fails, over the commitments that count at the
date as they count (graph.counting), disclosed figures only, with the undisclosed ones
counted beside.

Look-through: what a stands to lose from z's failure through intermediaries, over simple
paths a=v0 -> v1 -> ... -> vm=z (m <= depth). When z fails, v(m-1) loses up to
E[v(m-1)][z]; a loss of an intermediary v reaches its own stakeholders pro rata, each by
its share s(x, v) = E[x][v] / sum_y E[y][v] of what the web has at stake in v, and never
beyond what it has at stake itself. So a path carries

    L(v0 -> v1) = E[v0][v1],   L(v0 -> v1 -> rest) = min(E[v0][v1], s(v0, v1) x L(v1 -> rest))

which is never more than the path's smallest hop, and a's look-through to z through v
never more than what v has at stake in z. This is the pro-rata look-through of the Basel
Committee's large-exposures standard (BCBS 283, 2014, paragraphs 72-80: a holder's
exposure to an underlying asset is its pro-rata share of the structure's exposure),
applied along chains, with each hop capped by its own amount. The first version of this
tool multiplied the first hop by dependence shares E[vi][vi+1] / sum_x E[vi][x] instead,
which has no such bound: it told readers Oracle had $297B at stake in AMD through OpenAI,
whose whole AMD stake is a $34B warrant.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graph import budget
from graph.counting import Counted
from graph.counting_table import KINDS
from graph.lookup import name_of, require_entity
from graph.snapshot import Snapshot
from graph.views import ExposureMatrix, Positions, ranges
from schemas.enums import Direction, FinancialMetric, ValueBasis
from schemas.queries import ExposureQuery, resolve_as_of
from schemas.results import ExposureReport

MAX_PATHS = 10  # paths listed per ultimate counterparty, largest first
DIRECT_RULE = (
    "Exposure sums the disclosed amounts of the commitments that count at as_of, as they "
    "count: a whole counts only its remainder beyond its parts (part_of), a commitment less "
    "the money it shares with another (overlaps); undisclosed ones are counted beside, never "
    "as zero."
)
LOOK_THROUGH_RULE = (
    "Look-through: a path a -> v1 -> ... -> z carries E[a][v1] x a's share of what the web "
    "has at stake in v1 x ..., never more than any of its hops (the pro-rata look-through "
    "of BCBS 283, capped per hop); paths through a hop without a disclosed figure are left "
    "out."
)


@dataclass(frozen=True)
class Paths:
    """Simple paths as rows of entity numbers (padded with -1 at the end), oriented from
    the exposed entity to the failing one, with the USD each carries."""

    nodes: npt.NDArray[np.int32]
    usd: npt.NDArray[np.float64]


def walk(
    matrix: ExposureMatrix, entity: int, *, depth: int, direction: Direction, min_usd: float
) -> Paths:
    """Every simple path of length 1..depth worth > min_usd (module docstring), a level
    of the walk at a time: each level extends all paths of the last by their head's row
    of E at once (no line of Python per path).

    Unrolled, L = min over k of P(k) x E[vk][vk+1], where P(k) is the product of the
    shares s(vi, vi+1) for i < k. Going out, a path is extended with a running P and a
    running min; going in, a hop is put in front of a suffix worth V, which gives
    min(E, s x V). Either way a path is worth no more than any path it extends, so
    pruning at `min_usd` is exact.

    >>> from graph.snapshot import snapshot_of
    >>> from tests.factories import make_commitment
    >>> web = snapshot_of([], [make_commitment("a", "b", "equity_investment", 100),
    ...     make_commitment("b", "c", "equity_investment", 50),
    ...     make_commitment("x", "b", "equity_investment", 300)])
    >>> m = web.exposure_matrix(dt.date(2026, 1, 1), ValueBasis.POINT)
    >>> found = walk(m, m.table.entity_index["a"], depth=2, direction=Direction.OUT, min_usd=0)
    >>> [([m.table.entity_ids[i] for i in row if i >= 0], usd)
    ...  for row, usd in zip(found.nodes.tolist(), found.usd.tolist())]
    [(['a', 'b'], 100.0), (['a', 'b', 'c'], 12.5)]
    """
    incoming = direction is Direction.IN
    with np.errstate(divide="ignore", invalid="ignore"):
        share_of_held = np.where(matrix.at_stake > 0, 1.0 / matrix.at_stake, 0.0)
    nodes = np.full((1, 1), entity, dtype=np.int32)
    carried = np.ones(1)  # going out: P, the product of the shares so far
    value = np.full(1, np.inf)  # the path's value so far (going in: the suffix's)
    found_nodes: list[npt.NDArray[np.int32]] = []
    found_usd: list[npt.NDArray[np.float64]] = []
    for level in range(1, depth + 1):
        head = nodes[:, 0] if incoming else nodes[:, -1]
        starts = (matrix.in_start if incoming else matrix.out_start)[head]
        counts = (matrix.in_start if incoming else matrix.out_start)[head + 1] - starts
        pieces = []
        # The level's extensions in chunks of about CHUNK, the question's time budget read
        # before each: one level of a deep walk can hold millions of paths.
        for first, last in _chunks(counts):
            budget.check(
                "depth",
                f"the look-through to depth {depth} has more paths than that; ask with a "
                "smaller depth or a larger min_usd (paths worth less are not followed)",
            )
            span = counts[first:last]
            parent = first + np.repeat(np.arange(last - first), span)
            at = ranges(starts[first:last], span)
            position = matrix.in_order[at] if incoming else at
            step = (matrix.exposed if incoming else matrix.counterparty)[position]
            usd = matrix.usd[position]
            if incoming:
                worth = (
                    usd
                    if level == 1
                    else np.minimum(usd, usd * share_of_held[head[parent]] * value[parent])
                )
            else:
                worth = np.minimum(value[parent], carried[parent] * usd)
            keep = (worth > min_usd) & ~(nodes[parent] == step[:, None]).any(axis=1)
            pieces.append((parent[keep], step[keep], usd[keep], worth[keep]))
        parent, step, usd, worth = (np.concatenate(column) for column in zip(*pieces, strict=True))
        ahead = nodes[parent]
        nodes = np.column_stack([step, ahead] if incoming else [ahead, step]).astype(np.int32)
        found_nodes.append(np.pad(nodes, ((0, 0), (0, depth - level)), constant_values=-1))
        found_usd.append(worth)
        if not incoming:
            carried = carried[parent] * usd * share_of_held[step]
        value = worth
        if not len(nodes):
            break
    return Paths(np.concatenate(found_nodes), np.concatenate(found_usd))


CHUNK = 1 << 16


def _chunks(counts: npt.NDArray[np.intp]) -> list[tuple[int, int]]:
    """[first, last) ranges of the frontier whose extensions add up to about CHUNK each
    (a head with more forms a range of its own); one empty range for an empty frontier."""
    if not counts.size:
        return [(0, 0)]
    ends = np.searchsorted(np.cumsum(counts), np.arange(CHUNK, int(counts.sum()), CHUNK))
    bounds = sorted({0, *(int(e) + 1 for e in ends), len(counts)})
    return list(itertools.pairwise(bounds))


def _revenue(snapshot: Snapshot, entity_id: str, as_of: dt.date) -> dict[str, Any] | None:
    entity = snapshot.entities.get(entity_id)
    fact = entity.latest(FinancialMetric.REVENUE, as_of) if entity else None
    if fact is None:
        return None
    return {
        "usd": float(fact.usd),
        "as_of": fact.as_of,
        "period": fact.period,
        "source_url": fact.source.url,
    }


@dataclass(frozen=True)
class _Members:
    """The counting commitments of a page's pairs, pair after pair, as they count:
    `rows[bounds[i]:bounds[i + 1]]` are pair i's (table rows), with the USD and year's
    worth of each (NaN where unknown) and the rule of the few a rule changes."""

    rows: npt.NDArray[np.int32]
    bounds: npt.NDArray[np.intp]
    usd: npt.NDArray[np.float64]
    per_year: npt.NDArray[np.float64]
    rules: dict[int, str | None]

    @functools.cached_property
    def group(self) -> npt.NDArray[np.intp]:
        """Per member, the number of its pair on the page (read three times an answer)."""
        return np.repeat(np.arange(len(self.bounds) - 1), np.diff(self.bounds))

    def per_year_totals(self) -> tuple[list[float | None], list[int]]:
        """Per pair, the sum of the year's worth of its commitments that have one (None
        where none has), and how many have one."""
        known = ~np.isnan(self.per_year)
        pairs = len(self.bounds) - 1
        count = np.bincount(self.group[known], minlength=pairs)
        total = np.bincount(self.group[known], weights=self.per_year[known], minlength=pairs)
        return _known(total.astype(np.float64), count > 0), count.tolist()

    def largest(self, per_pair: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Member positions of each pair's `per_pair` largest (undisclosed last, ties in
        id order), pair after pair, and their bounds."""
        group = self.group
        usd = np.nan_to_num(self.usd, nan=-np.inf)
        order = np.lexsort((self.rows, -usd, group))
        rank = np.arange(order.size) - self.bounds[group[order]]
        kept = np.minimum(np.diff(self.bounds), per_pair)
        return order[rank < per_pair], np.concatenate(([0], np.cumsum(kept)))


def _members(matrix: ExposureMatrix, listed: Positions, basis: ValueBasis) -> _Members:
    """The pairs' counting commitments from the table's columns; the few a rule changes
    (part_of, overlaps) as that rule counts them."""
    table, counted = matrix.table, matrix.counted
    rows, bounds = matrix.members(listed)
    usd = np.where(counted.disclosed[rows], counted.usd[rows], np.nan)
    per_year = table.amounts(basis).per_year_usd[rows].copy()
    rules: dict[int, str | None] = {}
    if counted.adjusted:
        for at in np.flatnonzero(np.isin(rows, list(counted.adjusted))).tolist():
            rule = counted.adjusted[int(rows[at])]
            amount, year = _as_adjusted(rule, basis)
            usd[at] = np.nan if amount is None else amount
            per_year[at] = np.nan if year is None else year
            rules[int(rows[at])] = rule.rule
    return _Members(rows, bounds, usd, per_year, rules)


def _items(
    matrix: ExposureMatrix, members: _Members, at: npt.NDArray[np.intp]
) -> list[dict[str, object]]:
    """The members at positions `at` as plain data."""
    table = matrix.table
    rows = members.rows[at]
    term_years = table.term_years[rows]
    ids = table.row_ids
    return [
        {
            "commitment": ids[k],
            "kind": KINDS[kind],
            "usd": amount,
            "usd_per_year": year,
            "term_years": term,
            "up_to": up_to,
            "estimate": estimate,
            "rule": members.rules.get(k),
        }
        for k, kind, amount, year, term, up_to, estimate in zip(
            rows.tolist(),
            table.kind[rows].tolist(),
            _known(members.usd[at], ~np.isnan(members.usd[at])),
            _known(members.per_year[at], ~np.isnan(members.per_year[at])),
            _known(term_years, ~np.isnan(term_years)),
            table.up_to[rows].tolist(),
            table.estimate[rows].tolist(),
            strict=True,
        )
    ]


def _known(values: npt.NDArray[np.float64], known: npt.NDArray[np.bool_]) -> list[float | None]:
    """The values as floats, None where not known (unknown is never zero)."""
    out = values.astype(object)
    out[~known] = None
    listed: list[float | None] = out.tolist()
    return listed


def _as_adjusted(counted: Counted, basis: ValueBasis) -> tuple[float | None, float | None]:
    """A commitment's amount and year's worth as a rule counts it (a year's worth in the
    same proportion as the amount)."""
    c, amount = counted.commitment, counted.usd
    per_year = c.per_year_usd(basis)
    if per_year is not None and amount is not None and c.total_usd(basis):
        per_year = per_year * amount / c.total_usd(basis)
    return (
        None if amount is None else float(amount),
        None if per_year is None else float(per_year),
    )


def _rows(
    snapshot: Snapshot,
    matrix: ExposureMatrix,
    listed: Positions,
    *,
    entity_id: str,
    whole: float,
    query: ExposureQuery,
    as_of: dt.date,
) -> list[dict[str, object]]:
    """The counterparty rows at the pair positions `listed` as plain data (validated with
    the report in one call), built from the matrix's columns: each with its `query.items`
    largest commitments, its counts and year's worth over all of them."""
    direction = query.direction
    ids = matrix.table.entity_ids
    others = (matrix.exposed if direction is Direction.IN else matrix.counterparty)[listed]
    members = _members(matrix, listed, query.basis)
    shown, shown_bounds = members.largest(query.items)
    items = _items(matrix, members, shown)
    per_year, per_year_count = members.per_year_totals()
    kinds = matrix.kinds(members.rows, members.bounds)
    revenues: dict[str, dict[str, Any] | None] = {}
    out = []
    for i, (other, usd, undisclosed, ceilings, estimates, count, start, stop) in enumerate(
        zip(
            [ids[o] for o in others.tolist()],
            _known(matrix.usd[listed], matrix.disclosed[listed]),
            matrix.undisclosed[listed].tolist(),
            matrix.ceilings[listed].tolist(),
            matrix.estimates[listed].tolist(),
            matrix.count[listed].tolist(),
            shown_bounds[:-1].tolist(),
            shown_bounds[1:].tolist(),
            strict=True,
        )
    ):
        exposed = entity_id if direction is Direction.OUT else other
        if exposed not in revenues:
            revenues[exposed] = _revenue(snapshot, exposed, as_of)
        revenue = revenues[exposed]
        revenue_usd = revenue["usd"] if revenue else None
        listed_items = items[start:stop]
        out.append(
            {
                "id": other,
                "name": name_of(snapshot, other),
                "usd": usd,
                "undisclosed": undisclosed,
                "share": usd / whole if usd is not None and whole else None,
                "up_to": ceilings > 0,
                "estimate": estimates > 0,
                "share_of_revenue": usd / revenue_usd if usd is not None and revenue_usd else None,
                "exposed_revenue": revenue,
                "usd_per_year": per_year[i],
                "per_year_count": per_year_count[i],
                "kinds": kinds[i],
                "commitment_count": count,
                "commitments": [item["commitment"] for item in listed_items],
                "items": listed_items,
            }
        )
    return out


def exposure(
    snapshot: Snapshot, entity_id: str, query: ExposureQuery, *, today: dt.date
) -> ExposureReport:
    """Exposure of `entity_id` at the query's date: per counterparty, and look-through
    when depth > 1. `min_usd` is the look-through's materiality threshold: paths worth
    that much or less are left out and not followed. Each list (counterparties, ultimate
    counterparties) holds `limit` rows from `offset`, largest first; totals and counts
    still cover them all."""
    require_entity(snapshot, entity_id)
    as_of = resolve_as_of(query.as_of, today)
    matrix = snapshot.exposure_matrix(as_of, query.basis)
    entity = matrix.table.entity_index[entity_id]
    incoming = query.direction is Direction.IN
    positions = matrix.positions(entity, incoming=incoming)
    usd, disclosed = matrix.usd[positions], matrix.disclosed[positions]
    others = (matrix.exposed if incoming else matrix.counterparty)[positions]
    whole = float(usd.sum())
    priced = bool(disclosed.any())
    # The largest first (undisclosed last), ties by id (entity numbers are in id order);
    # rows are built only for those listed, as a hub can have many thousands.
    page = slice(query.offset, query.offset + query.limit)
    listed = positions[np.lexsort((others, -usd, ~disclosed))[page]]
    counterparties = _rows(
        snapshot, matrix, listed, entity_id=entity_id, whole=whole, query=query, as_of=as_of
    )
    look_through: list[dict[str, object]] = []
    reached = 0
    rules = [DIRECT_RULE]
    if query.depth > 1:
        rules.append(LOOK_THROUGH_RULE)
        paths = walk(
            matrix, entity, depth=query.depth, direction=query.direction, min_usd=query.min_usd
        )
        reached, look_through = _look_through(
            snapshot, matrix, paths, direction=query.direction, page=page
        )
    return ExposureReport.model_validate(
        {
            "entity": entity_id,
            "name": name_of(snapshot, entity_id),
            "direction": query.direction,
            "as_of": as_of,
            "basis": query.basis,
            "depth": query.depth,
            "total_usd": whole if priced or not positions.size else None,
            "undisclosed": int(matrix.undisclosed[positions].sum()),
            "ceilings": int(matrix.ceilings[positions].sum()),
            "counterparty_count": int(positions.size),
            "counterparties": counterparties,
            "look_through_count": reached,
            "look_through": look_through,
            "limit": query.limit,
            "offset": query.offset,
            "rules": rules,
        }
    )


def _look_through(
    snapshot: Snapshot,
    matrix: ExposureMatrix,
    paths: Paths,
    *,
    direction: Direction,
    page: slice,
) -> tuple[int, list[dict[str, object]]]:
    """How many end entities the paths reach, and those of `page` (largest end first,
    ties by id) as plain data: the sum and count of their paths and the MAX_PATHS
    largest (ties by the path's ids: entity numbers are in id order, and the -1 padding
    puts a path before its extensions)."""
    if not paths.usd.size:
        return 0, []
    width = paths.nodes.shape[1]
    if direction is Direction.OUT:
        ends = paths.nodes[np.arange(len(paths.nodes)), (paths.nodes >= 0).sum(axis=1) - 1]
    else:
        ends = paths.nodes[:, 0]
    entities = len(matrix.table.entity_ids)
    total = np.bincount(ends, weights=paths.usd, minlength=entities)
    count = np.bincount(ends, minlength=entities)
    reached = np.flatnonzero(count)
    shown = reached[np.lexsort((reached, -total[reached]))][page]
    keys = [paths.nodes[:, column] for column in reversed(range(width))]
    order = np.lexsort([*keys, -paths.usd, ends])
    ranked_ends = ends[order]
    group_start = np.r_[0, np.cumsum(count)][ranked_ends]
    best = order[np.arange(order.size) - group_start < MAX_PATHS]
    best = best[np.isin(ends[best], shown)]
    ids = matrix.table.entity_ids
    listed: dict[int, list[dict[str, object]]] = {}
    for row, end, usd in zip(
        paths.nodes[best].tolist(), ends[best].tolist(), paths.usd[best].tolist(), strict=True
    ):
        listed.setdefault(end, []).append({"path": [ids[i] for i in row if i >= 0], "usd": usd})
    return int(reached.size), [
        {
            "id": ids[end],
            "name": name_of(snapshot, ids[end]),
            "usd": float(total[end]),
            "path_count": int(count[end]),
            "paths": listed[end],
        }
        for end in shown.tolist()
    ]
