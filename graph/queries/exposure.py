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
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graph import budget
from graph.counting import Counted
from graph.lookup import name_of, require_entity
from graph.snapshot import Snapshot
from graph.views import ExposureEdge, ExposureMatrix
from schemas.enums import Direction, FinancialMetric, ValueBasis
from schemas.queries import ExposureQuery, resolve_as_of
from schemas.results import ExposurePath, ExposureReport, LookThroughExposure

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
            offset = np.arange(parent.size) - np.repeat(np.cumsum(span) - span, span)
            position = starts[parent] + offset
            if incoming:
                position = matrix.in_order[position]
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


def _row(
    snapshot: Snapshot,
    entity_id: str,
    other: str,
    edge: ExposureEdge,
    *,
    whole: float,
    direction: Direction,
    as_of: dt.date,
    basis: ValueBasis,
    adjusted: Mapping[str, Counted],
) -> dict[str, object]:
    """A counterparty row as plain data (validated with the report in one call)."""
    usd = float(edge.usd) if edge.disclosed else None
    exposed = entity_id if direction is Direction.OUT else other
    revenue = _revenue(snapshot, exposed, as_of)
    revenue_usd = revenue["usd"] if revenue else None
    items = []
    for commitment_id in edge.commitments:
        c = snapshot.commitments[commitment_id]
        counted = adjusted.get(commitment_id)
        amount = counted.usd if counted is not None else c.amount_usd(basis)
        per_year = c.per_year_usd(basis)
        if per_year is not None and amount is not None and c.total_usd(basis):
            per_year = per_year * amount / c.total_usd(basis)  # as it counts
        items.append(
            {
                "commitment": c.id,
                "kind": c.kind,
                "usd": None if amount is None else float(amount),
                "usd_per_year": None if per_year is None else float(per_year),
                "term_years": None if c.term_years is None else float(c.term_years),
                "up_to": bool(c.amount and c.amount.up_to),
                "estimate": bool(c.amount and c.amount.estimate),
                "rule": counted.rule if counted is not None else None,
            }
        )
    return {
        "id": other,
        "name": name_of(snapshot, other),
        "usd": usd,
        "undisclosed": edge.undisclosed,
        "share": usd / whole if usd is not None and whole else None,
        "up_to": edge.ceilings > 0,
        "estimate": edge.estimates > 0,
        "share_of_revenue": usd / revenue_usd if usd is not None and revenue_usd else None,
        "exposed_revenue": revenue,
        "kinds": edge.kinds,
        "commitments": edge.commitments,
        "items": items,
    }


def exposure(
    snapshot: Snapshot, entity_id: str, query: ExposureQuery, *, today: dt.date
) -> ExposureReport:
    """Exposure of `entity_id` at the query's date: per counterparty, and look-through
    when depth > 1. `min_usd` is the look-through's materiality threshold: paths worth
    that much or less are left out and not followed. `limit` lists only the largest
    counterparties (and ultimate counterparties) of each list; totals and counts still
    cover them all."""
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
    listed = positions[np.lexsort((others, -usd, ~disclosed))[: query.limit]]
    adjusted = snapshot.adjustments(as_of, query.basis)
    ids = matrix.table.entity_ids
    counterparties = [
        _row(
            snapshot,
            entity_id,
            ids[other],
            matrix.edge(position),
            whole=whole,
            direction=query.direction,
            as_of=as_of,
            basis=query.basis,
            adjusted=adjusted,
        )
        for position, other in zip(
            listed.tolist(),
            (matrix.exposed if incoming else matrix.counterparty)[listed].tolist(),
            strict=True,
        )
    ]
    look_through: list[LookThroughExposure] = []
    rules = [DIRECT_RULE]
    if query.depth > 1:
        rules.append(LOOK_THROUGH_RULE)
        paths = walk(
            matrix, entity, depth=query.depth, direction=query.direction, min_usd=query.min_usd
        )
        look_through = _look_through(snapshot, matrix, paths, direction=query.direction)
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
            "look_through_count": len(look_through),
            "look_through": look_through[: query.limit],
            "rules": rules,
        }
    )


def _look_through(
    snapshot: Snapshot, matrix: ExposureMatrix, paths: Paths, *, direction: Direction
) -> list[LookThroughExposure]:
    """Per end entity: the sum and count of its paths and the MAX_PATHS largest (ties by
    the path's ids: entity numbers are in id order, and the -1 padding puts a path
    before its extensions), largest end first."""
    if not paths.usd.size:
        return []
    width = paths.nodes.shape[1]
    if direction is Direction.OUT:
        ends = paths.nodes[np.arange(len(paths.nodes)), (paths.nodes >= 0).sum(axis=1) - 1]
    else:
        ends = paths.nodes[:, 0]
    entities = len(matrix.table.entity_ids)
    total = np.bincount(ends, weights=paths.usd, minlength=entities)
    count = np.bincount(ends, minlength=entities)
    keys = [paths.nodes[:, column] for column in reversed(range(width))]
    order = np.lexsort([*keys, -paths.usd, ends])
    ranked_ends = ends[order]
    group_start = np.r_[0, np.cumsum(count)][ranked_ends]
    best = order[np.arange(order.size) - group_start < MAX_PATHS]
    ids = matrix.table.entity_ids
    listed: dict[int, list[ExposurePath]] = {}
    for row, end, usd in zip(
        paths.nodes[best].tolist(), ends[best].tolist(), paths.usd[best].tolist(), strict=True
    ):
        path = [ids[i] for i in row if i >= 0]
        listed.setdefault(end, []).append(ExposurePath(path=path, usd=usd))
    reached = np.flatnonzero(count)
    ranked = reached[np.lexsort((reached, -total[reached]))]
    return [
        LookThroughExposure(
            id=ids[end],
            name=name_of(snapshot, ids[end]),
            usd=float(total[end]),
            path_count=int(count[end]),
            paths=listed[end],
        )
        for end in ranked.tolist()
    ]
