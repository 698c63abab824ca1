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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from graph import budget
from graph.counting import Counted
from graph.lookup import name_of, require_entity
from graph.snapshot import Snapshot
from graph.views import Adjacency, ExposureEdge, ExposureTotals
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


def walk(
    exposure: Adjacency,
    entity: str,
    *,
    depth: int,
    direction: Direction,
    min_usd: float,
    totals: ExposureTotals,
    incoming: Adjacency,
) -> Iterator[tuple[tuple[str, ...], float]]:
    """(path, USD it carries) of every simple path of length 1..depth worth > min_usd,
    oriented from the exposed entity to the failing one (module docstring).

    Unrolled, L = min over k of P(k) x E[vk][vk+1], where P(k) is the product of the
    shares s(vi, vi+1) for i < k. Going out, a path is extended with a running P and a
    running min; going in, a hop is put in front of a suffix worth V, which gives
    min(E, s x V). Either way a path is worth no more than any path it extends, so
    pruning at `min_usd` is exact.

    >>> from graph.views import exposure_totals, reverse
    >>> def edge(usd):
    ...     return ExposureEdge(Decimal(usd), (), ())
    >>> e = {"a": {"b": edge(100)}, "b": {"c": edge(50)}, "x": {"b": edge(300)}}
    >>> inc = reverse(e)
    >>> sorted(walk(e, "a", depth=2, direction=Direction.OUT, min_usd=0,
    ...             totals=exposure_totals(inc), incoming=inc))
    [(('a', 'b'), 100.0), (('a', 'b', 'c'), 12.5)]
    """
    at_stake = totals.at_stake

    def share(holder: str, held: str, usd: float) -> float:
        whole = at_stake.get(held, 0.0)
        return usd / whole if whole > 0 else 0.0

    if direction is Direction.OUT:
        # (path, P: product of the shares so far, M: the running min, the path's value)
        stack: list[tuple[tuple[str, ...], float, float]] = [((entity,), 1.0, float("inf"))]
        while stack:
            path, carried, value = stack.pop()
            head = path[-1]
            for nxt, edge in exposure.get(head, {}).items():
                if nxt in path:
                    continue
                usd = float(edge.usd)
                worth = min(value, carried * usd)
                if worth <= min_usd:
                    continue
                yield (*path, nxt), worth
                if len(path) < depth:
                    stack.append(((*path, nxt), carried * share(head, nxt, usd), worth))
        return
    back: list[tuple[tuple[str, ...], float]] = [((entity,), float("inf"))]
    while back:
        suffix, value = back.pop()
        head = suffix[0]
        for prev, edge in incoming.get(head, {}).items():
            if prev in suffix:
                continue
            usd = float(edge.usd)
            worth = usd if len(suffix) == 1 else min(usd, share(prev, head, usd) * value)
            if worth <= min_usd:
                continue
            yield (prev, *suffix), worth
            if len(suffix) < depth:
                back.append(((prev, *suffix), worth))


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
    adjacency = snapshot.exposure(as_of, query.basis)
    incoming = snapshot.exposure_in(as_of, query.basis)
    row = (adjacency if query.direction is Direction.OUT else incoming).get(entity_id, {})
    total = sum((edge.usd for edge in row.values()), start=Decimal(0))
    undisclosed = sum(edge.undisclosed for edge in row.values())
    priced = any(edge.disclosed for edge in row.values())
    # The largest first (undisclosed last), ties by id; rows are built only for those
    # listed, as a hub can have many thousands of counterparties.
    listed = sorted(
        row.items(), key=lambda item: (not item[1].disclosed, -float(item[1].usd), item[0])
    )[: query.limit]
    whole = float(total)
    adjusted = snapshot.adjustments(as_of, query.basis)
    counterparties = [
        _row(
            snapshot,
            entity_id,
            other,
            edge,
            whole=whole,
            direction=query.direction,
            as_of=as_of,
            basis=query.basis,
            adjusted=adjusted,
        )
        for other, edge in listed
    ]
    look_through: list[LookThroughExposure] = []
    rules = [DIRECT_RULE]
    if query.depth > 1:
        rules.append(LOOK_THROUGH_RULE)
        paths = walk(
            adjacency,
            entity_id,
            depth=query.depth,
            direction=query.direction,
            min_usd=query.min_usd,
            totals=snapshot.exposure_totals(as_of, query.basis),
            incoming=incoming,
        )
        look_through = _look_through(
            snapshot,
            budget.metered(
                paths,
                "depth",
                f"the look-through to depth {query.depth} has more paths than that; ask "
                "with a smaller depth or a larger min_usd (paths worth less are not followed)",
            ),
            direction=query.direction,
        )
    return ExposureReport.model_validate(
        {
            "entity": entity_id,
            "name": name_of(snapshot, entity_id),
            "direction": query.direction,
            "as_of": as_of,
            "basis": query.basis,
            "depth": query.depth,
            "total_usd": whole if priced or not row else None,
            "undisclosed": undisclosed,
            "ceilings": sum(edge.ceilings for edge in row.values()),
            "counterparty_count": len(row),
            "counterparties": counterparties,
            "look_through_count": len(look_through),
            "look_through": look_through[: query.limit],
            "rules": rules,
        }
    )


@dataclass
class _End:
    """Running totals of the paths to one end entity."""

    usd: float = 0.0
    count: int = 0
    best: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)  # (-usd, path)


def _look_through(
    snapshot: Snapshot,
    paths: Iterator[tuple[tuple[str, ...], float]],
    *,
    direction: Direction,
) -> list[LookThroughExposure]:
    """Per end entity: the sum and count of its paths and the MAX_PATHS largest,
    gathered as the walk finds them, so no list of every path is ever held."""
    ends: dict[str, _End] = {}
    trim_at = 2 * MAX_PATHS + 16
    for path, usd in paths:
        end = path[-1] if direction is Direction.OUT else path[0]
        acc = ends.get(end)
        if acc is None:
            acc = ends[end] = _End()
        acc.usd += usd
        acc.count += 1
        acc.best.append((-usd, path))
        if len(acc.best) >= trim_at:  # keep the best MAX_PATHS: (-usd, path) is a total order
            acc.best.sort()
            del acc.best[MAX_PATHS:]
    out = []
    for end, acc in ends.items():
        acc.best.sort()
        out.append(
            LookThroughExposure(
                id=end,
                name=name_of(snapshot, end),
                usd=acc.usd,
                path_count=acc.count,
                paths=[ExposurePath(path=list(p), usd=-neg) for neg, p in acc.best[:MAX_PATHS]],
            )
        )
    out.sort(key=lambda r: (-r.usd, r.id))
    return out
